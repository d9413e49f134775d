// POST /v1/messages/count_tokens: Anthropic counts its own models; every other model is counted here.
import { badRequest, notFound } from "../../errors.ts";
import { clientResponseHeaders } from "../../http/headers.ts";
import { anthropic } from "../../providers/anthropic/index.ts";
import type { AnthropicMessagesBody } from "../../providers/translate/anthropic-types.ts";
import { callUpstream } from "../../providers/upstream.ts";
import { authenticate } from "../auth/authenticate.ts";
import { countTokens } from "../router/tokens.ts";
import type { ProxyContext } from "./context.ts";
import { readJsonBody } from "./request-body.ts";
import { requestIdOf } from "./request-id.ts";

/** What a chat template adds per message (role markers), as OpenAI documents for its chat models. */
const PER_MESSAGE = 3;

/**
 * Counting is free at Anthropic, so Claude models are forwarded (never billed or logged as spend).
 * Anthropic refuses other model names, so OpenAI and local models are counted with o200k_base — the
 * tokenizer of OpenAI's current models, and a close proxy for open-weight ones.
 */
export async function handleCountTokens(ctx: ProxyContext, request: Request): Promise<Response> {
  await authenticate(request.headers, ctx.keys, ctx.now());
  const body = await readJsonBody(request);
  const requestId = requestIdOf(request);
  const resolved = body.model === "auto" ? null : ctx.providers.resolve(body.model);
  if (body.model !== "auto" && !resolved)
    throw notFound(`No configured provider serves model "${body.model}"`);
  if (resolved?.provider.name !== "anthropic") {
    const input_tokens = countPivotTokens(body.json as unknown as AnthropicMessagesBody);
    return Response.json(
      { input_tokens },
      { headers: { "x-snodus-request-id": requestId, "x-snodus-token-count": "local" } },
    );
  }
  const target = anthropic.target(ctx.config);
  if (!target) throw badRequest("No configured provider serves Anthropic models: set ANTHROPIC_API_KEY");
  const url = new URL(request.url);
  const upstream = await callUpstream({
    url: `${target.baseUrl}${url.pathname}${url.search}`,
    method: "POST",
    headers: anthropic.passthrough.anthropic.headers(target, request.headers),
    body: body.bytes,
    fetch: ctx.fetch,
    connectTimeoutMs: ctx.config.connectTimeoutMs,
    headersTimeoutMs: ctx.config.upstreamTimeoutMs,
    provider: "anthropic",
  });
  const headers = clientResponseHeaders(upstream.headers);
  headers.set("x-snodus-request-id", requestId);
  return new Response(await upstream.arrayBuffer(), { status: upstream.status, headers });
}

/** Tokens of every string the model would read: system, each message's blocks, tool definitions. */
export function countPivotTokens(body: AnthropicMessagesBody): number {
  let tokens = 0;
  const text = (s: string) => {
    tokens += countTokens(s);
  };
  const walk = (value: unknown): void => {
    if (typeof value === "string") text(value);
    else if (Array.isArray(value)) for (const item of value) walk(item);
    else if (typeof value === "object" && value !== null) block(value as Record<string, unknown>);
  };
  const block = (b: Record<string, unknown>): void => {
    // Images are priced by size, not text; Anthropic's own estimate for a typical image is ~1 600.
    if (b.type === "image") tokens += 1600;
    else if (b.type === "tool_use") text(`${String(b.name)}${JSON.stringify(b.input ?? {})}`);
    else if (b.type === "document") {
      const source = (b.source ?? {}) as { type?: unknown; data?: unknown; content?: unknown };
      if (source.type === "text") walk(source.data);
      else if (source.type === "content") walk(source.content);
      // A base64 PDF page is ~1.5–3k tokens per ~32 KB; its text is not known without parsing it.
      else if (typeof source.data === "string") tokens += Math.ceil((source.data.length * 0.75) / 32);
    } else for (const key of ["text", "thinking", "content"]) if (key in b) walk(b[key]);
  };
  walk(body.system);
  for (const message of Array.isArray(body.messages) ? body.messages : []) {
    tokens += PER_MESSAGE;
    walk(message.content);
  }
  for (const tool of Array.isArray(body.tools) ? body.tools : []) text(JSON.stringify(tool));
  return tokens;
}
