// The /v1 routes Anthropic clients call: messages, count_tokens and the model list.
import { Elysia } from "elysia";
import { badRequest } from "../../errors.ts";
import { clientResponseHeaders } from "../../http/headers.ts";
import { anthropicHeaders } from "../../providers/anthropic/adapter.ts";
import { ANTHROPIC_MODELS, OPENAI_MODELS } from "../../providers/catalog.ts";
import { callUpstream } from "../../providers/upstream.ts";
import { authenticate } from "../auth/authenticate.ts";
import { handleChatCompletions } from "./chat-completions.ts";
import type { ProxyContext } from "./context.ts";
import { handleMessages } from "./messages.ts";
import { readJsonBody } from "./request-body.ts";
import { requestIdOf } from "./request-id.ts";

// Proxy routes take the raw body: Elysia must not parse (and normalise away) fields we pass through.
const RAW = { parse: "none" } as const;

export function proxyRoutes(ctx: ProxyContext) {
  return new Elysia({ name: "proxy" })
    .post(
      "/v1/messages",
      tracked(ctx, ({ request }) => handleMessages(ctx, request, requestIdOf(request))),
      RAW,
    )
    .post(
      "/v1/chat/completions",
      tracked(ctx, ({ request }) => handleChatCompletions(ctx, request, requestIdOf(request))),
      RAW,
    )
    .post(
      "/v1/messages/count_tokens",
      tracked(ctx, async ({ request }) => {
        await authenticate(request.headers, ctx.keys, ctx.now());
        const body = await readJsonBody(request);
        const apiKey = ctx.config.anthropicApiKey;
        if (!apiKey)
          throw badRequest("No configured provider serves Anthropic models: set ANTHROPIC_API_KEY");
        const url = new URL(request.url);
        // Counting tokens is free upstream, so it is forwarded but never billed or logged as spend.
        const upstream = await callUpstream({
          url: `${ctx.config.anthropicUpstreamUrl}${url.pathname}${url.search}`,
          method: "POST",
          headers: anthropicHeaders(request.headers, { baseUrl: ctx.config.anthropicUpstreamUrl, apiKey }),
          body: body.bytes,
          fetch: ctx.fetch,
          headersTimeoutMs: ctx.config.upstreamTimeoutMs,
          provider: "anthropic",
        });
        const headers = clientResponseHeaders(upstream.headers);
        headers.set("x-snodus-request-id", requestIdOf(request));
        return new Response(await upstream.arrayBuffer(), { status: upstream.status, headers });
      }),
      RAW,
    )
    .get("/v1/models", async ({ request }) => {
      await authenticate(request.headers, ctx.keys, ctx.now());
      const data = availableModels(ctx).map((id) => ({
        type: "model",
        id,
        display_name: id,
        created_at: "2025-01-01T00:00:00Z",
      }));
      return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
    });
}

/**
 * Counts a request as in flight from its first byte, so shutdown also waits for one still uploading
 * its body or being authenticated. A streamed answer stays counted by its own handler until it ends.
 */
function tracked(ctx: ProxyContext, handle: (c: { request: Request }) => Promise<Response>) {
  return async (c: { request: Request }): Promise<Response> => {
    ctx.inflight.enter();
    try {
      return await handle(c);
    } finally {
      ctx.inflight.leave();
    }
  };
}

/** Models of every configured provider (Ollama's as discovered), plus "auto" when the router is on. */
function availableModels(ctx: ProxyContext): string[] {
  const configured = ctx.providers.configured();
  const out: string[] = [];
  if (ctx.config.routerEnabled) out.push("auto");
  if (configured.includes("anthropic")) out.push(...ANTHROPIC_MODELS);
  if (configured.includes("openai")) out.push(...OPENAI_MODELS);
  if (configured.includes("ollama")) out.push(...ctx.providers.ollamaModels());
  return out;
}
