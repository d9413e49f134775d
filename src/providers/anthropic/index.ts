// The Anthropic provider: Messages API upstream, passthrough for Anthropic clients, pivot for the others.
import { rewriteModel } from "../../modules/proxy/rewrite-model.ts";
import type { AnthropicMessage } from "../translate/anthropic-types.ts";
import { anthropicErrorFromUpstream } from "../translate/errors.ts";
import { isAnthropicModel, upstreamModelName } from "../translate/models.ts";
import type { ProviderDescriptor } from "../types.ts";
import { anthropicErrorEvent, anthropicHeaders } from "./adapter.ts";
import { createAnthropicPivotStream } from "./pivot-stream.ts";
import { createSseUsageTracker, usageFromMessage } from "./usage.ts";

export const ANTHROPIC_MODELS = [
  "claude-opus-4-5",
  "claude-sonnet-4-5",
  "claude-haiku-4-5",
  "claude-opus-4-1",
  "claude-sonnet-4",
  "claude-3-5-haiku-latest",
] as const;

/** Output ceilings as Anthropic's model pages state them; the 4.x generation allows 64k unless listed. */
function maxOutputTokens(model: string): number {
  const name = model.toLowerCase();
  if (/claude-(opus-4-1|opus-4-0|opus-4(?!-5)|4-opus)/.test(name)) return 32_000;
  if (/claude-3-5|claude-3-haiku|claude-3-opus|claude-3-sonnet/.test(name)) return 8_192;
  return 64_000;
}

export const anthropic = {
  name: "anthropic",
  setupHint: "set ANTHROPIC_API_KEY",
  target: (c) => (c.anthropicApiKey ? { baseUrl: c.anthropicUpstreamUrl, apiKey: c.anthropicApiKey } : null),
  upstreamUrl: (c) => c.anthropicUpstreamUrl,
  models: ANTHROPIC_MODELS,
  servesFamily: isAnthropicModel,
  maxOutputTokens,
  free: false,
  pivot: {
    request(target, body, model, incoming) {
      // The client spoke another protocol: only its end-to-end headers travel, with Anthropic's own set.
      const headers = anthropicHeaders(incoming, target);
      headers.set("content-type", "application/json");
      return {
        url: `${target.baseUrl}/v1/messages`,
        headers,
        body: JSON.stringify({ ...body, model: upstreamModelName(model) }),
      };
    },
    answer: (json) => ({ message: json as AnthropicMessage, usage: usageFromMessage(json) }),
    stream: () => createAnthropicPivotStream(),
    error: (status, json) =>
      isAnthropicError(json) ? json : anthropicErrorFromUpstream(status, json, "anthropic"),
  },
  passthrough: {
    anthropic: {
      path: (clientPath) => clientPath,
      headers: (target, incoming) => anthropicHeaders(incoming, target),
      body: (json, bytes, text, model) => ({
        bytes: model === json.model ? bytes : rewriteModel(text, json, model),
        injected: false,
      }),
      usage: usageFromMessage,
      usageLast: true,
      meter() {
        const tracker = createSseUsageTracker();
        return {
          push(chunk) {
            tracker.push(chunk);
            return chunk;
          },
          end() {
            tracker.end();
            return new Uint8Array(0);
          },
          get usage() {
            return tracker.usage;
          },
          endedCleanly: () => tracker.sawMessageStop || tracker.error !== null,
          sawError: () => tracker.error !== null,
        };
      },
      failureTail: (kind, message) => anthropicErrorEvent(kind, message),
    },
  },
} satisfies ProviderDescriptor<"anthropic">;

function isAnthropicError(json: unknown): json is { type: "error"; error: { type: never; message: string } } {
  if (typeof json !== "object" || json === null) return false;
  const j = json as { type?: unknown; error?: { type?: unknown; message?: unknown } };
  return j.type === "error" && typeof j.error?.type === "string" && typeof j.error.message === "string";
}
