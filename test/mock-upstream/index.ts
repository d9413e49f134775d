// Mock upstream LLM server (Anthropic, OpenAI, Ollama wire formats) so gateway tests never leave the machine.

import { anthropicError, handleAnthropic, looksAnthropic } from "./anthropic.ts";
import {
  type MockBehavior,
  MockHeaderError,
  type Protocol,
  parseMockHeader,
  presetFor,
  type ResolvedBehavior,
  resolveBehavior,
} from "./behavior.ts";
import { handleOllama, ollamaError } from "./ollama.ts";
import { handleOpenAI, openaiError } from "./openai.ts";
import type { HandlerContext } from "./shared.ts";

export type { MockBehavior, MockToolUse, MockUsage, OllamaModelInfo } from "./behavior.ts";
export { mockHeader } from "./behavior.ts";
export { base64Embedding, mockEmbedding, mockTokenCount } from "./embeddings.ts";

export interface RecordedCall {
  method: string;
  /** Path plus query string. */
  path: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** The raw request body, byte for byte as received (decoded as UTF-8). */
  bodyText: string;
  receivedAt: number;
}

export interface MockUpstream {
  url: string;
  port: number;
  /** Every request received, in order. */
  calls: RecordedCall[];
  /** Behaviour for requests that carry no x-mock header (x-mock is merged over it). Replaces the previous one. */
  setDefault(b: Partial<MockBehavior>): void;
  /** Clears calls, the default behaviour and the mock-flaky counters. */
  reset(): void;
  stop(): Promise<void>;
}

export interface MockUpstreamOptions {
  port?: number;
  hostname?: string;
  /** Keep `calls` (default true). Long benchmarks turn this off so memory stays flat. */
  record?: boolean;
}

function protocolFor(path: string, headers: Headers): Protocol {
  if (path === "/" || path.startsWith("/api/")) return "ollama";
  if (path === "/v1/chat/completions" || path === "/v1/responses" || path === "/v1/embeddings")
    return "openai";
  if (path.startsWith("/v1/messages")) return "anthropic";
  return looksAnthropic(headers) ? "anthropic" : "openai";
}

const HANDLERS: Record<Protocol, (ctx: HandlerContext) => Response | Promise<Response>> = {
  anthropic: handleAnthropic,
  openai: handleOpenAI,
  ollama: handleOllama,
};

function badHeader(protocol: Protocol, ctx: HandlerContext, message: string): Response {
  if (protocol === "anthropic") return anthropicError(400, ctx, "invalid_request_error", message);
  if (protocol === "openai") return openaiError(400, ctx, { message });
  return ollamaError(400, message);
}

export async function startMockUpstream(opts: MockUpstreamOptions = {}): Promise<MockUpstream> {
  const hostname = opts.hostname ?? "127.0.0.1";
  const record = opts.record ?? true;
  const calls: RecordedCall[] = [];
  let defaults: MockBehavior | undefined;
  // Resolved once per setDefault: requests without x-mock or preset share this object, which is
  // what lets the protocol modules reuse prebuilt bodies for it.
  let resolvedDefault: ResolvedBehavior | undefined;
  const flaky = new Map<string, number>();
  let seq = 0;
  const idBase = Date.now().toString(36);

  const nextId = (): string => `mock${idBase}${(++seq).toString(36).padStart(6, "0")}`;

  const server = Bun.serve({
    port: opts.port ?? 0,
    hostname,
    // Slow-stream tests may pause longer than Bun's 10 s default between writes.
    idleTimeout: 0,
    // Production mode: aborting a stream on purpose must not print a stack trace on every test.
    development: false,
    error(err) {
      return new Response(JSON.stringify({ error: `mock upstream crashed: ${err.message}` }), {
        status: 500,
        headers: { "content-type": "application/json" },
      });
    },
    async fetch(req) {
      const url = req.url;
      // Cheaper than new URL() on the hot path: the path starts at the first "/" after "http://".
      const pathStart = url.indexOf("/", url.indexOf("//") + 2);
      const pathAndQuery = pathStart < 0 ? "/" : url.slice(pathStart);
      const q = pathAndQuery.indexOf("?");
      const path = q < 0 ? pathAndQuery : pathAndQuery.slice(0, q);
      const bodyText = req.method === "GET" || req.method === "HEAD" ? "" : await req.text();
      const headers = req.headers;
      if (record) {
        calls.push({
          method: req.method,
          path: pathAndQuery,
          headers: Object.fromEntries(headers),
          bodyText,
          receivedAt: Date.now(),
        });
      }
      const protocol = protocolFor(path, headers);
      const mockHeader = headers.get("x-mock");
      let perRequest: MockBehavior | undefined;
      let headerError: string | undefined;
      if (mockHeader !== null) {
        try {
          perRequest = parseMockHeader(mockHeader);
        } catch (e) {
          headerError = e instanceof MockHeaderError ? e.message : "x-mock header is invalid";
        }
      }
      const ctx: HandlerContext = {
        method: req.method,
        path,
        headers,
        bodyText,
        nextId,
        behavior(model) {
          const preset = presetFor(protocol, model, () => {
            const n = (flaky.get(model) ?? 0) + 1;
            flaky.set(model, n);
            return n % 2 === 1;
          });
          if (!perRequest && !preset) {
            resolvedDefault ??= resolveBehavior([defaults]);
            return resolvedDefault;
          }
          return resolveBehavior([defaults, preset, perRequest]);
        },
      };
      if (headerError !== undefined) return badHeader(protocol, ctx, headerError);
      return HANDLERS[protocol](ctx);
    },
  });

  const port = server.port ?? 0;
  // A wildcard bind is reachable on loopback; IPv6 literals need brackets in a URL.
  const host = hostname === "0.0.0.0" ? "127.0.0.1" : hostname.includes(":") ? `[${hostname}]` : hostname;
  return {
    url: `http://${host}:${port}`,
    port,
    calls,
    setDefault(b) {
      defaults = b;
      resolvedDefault = undefined;
    },
    reset() {
      calls.length = 0;
      defaults = undefined;
      resolvedDefault = undefined;
      flaky.clear();
    },
    async stop() {
      await server.stop(true);
    },
  };
}
