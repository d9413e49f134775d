// The /v1 routes: one front door per protocol over the shared pipeline, plus count_tokens, the model list and the key's own usage.
import { Elysia } from "elysia";
import { messagesDoor } from "../../doors/anthropic-messages/door.ts";
import { embeddingsDoor } from "../../doors/embeddings/door.ts";
import { chatDoor } from "../../doors/openai-chat/door.ts";
import { responsesDoor } from "../../doors/openai-responses/door.ts";
import { badRequest, errorResponse, GatewayError } from "../../errors.ts";
import { clientResponseHeaders } from "../../http/headers.ts";
import { anthropic } from "../../providers/anthropic/index.ts";
import { callUpstream } from "../../providers/upstream.ts";
import { authenticate } from "../auth/authenticate.ts";
import { limitReason } from "../metrics/metrics.ts";
import type { ProxyContext } from "./context.ts";
import { keyInfo } from "./key-info.ts";
import { listModels, retrieveModel } from "./models.ts";
import { runPipeline } from "./pipeline.ts";
import { readJsonBody } from "./request-body.ts";
import { requestIdOf } from "./request-id.ts";

// Proxy routes take the raw body: Elysia must not parse (and normalise away) fields we pass through.
const RAW = { parse: "none" } as const;

export function proxyRoutes(ctx: ProxyContext) {
  return (
    new Elysia({ name: "proxy" })
      .post(
        "/v1/messages",
        tracked(ctx, ({ request }) => runPipeline(ctx, messagesDoor, request, requestIdOf(request))),
        RAW,
      )
      .post(
        "/v1/chat/completions",
        tracked(ctx, ({ request }) => runPipeline(ctx, chatDoor, request, requestIdOf(request))),
        RAW,
      )
      .post(
        "/v1/responses",
        tracked(ctx, ({ request }) => runPipeline(ctx, responsesDoor, request, requestIdOf(request))),
        RAW,
      )
      .post(
        "/v1/embeddings",
        tracked(ctx, ({ request }) => runPipeline(ctx, embeddingsDoor, request, requestIdOf(request))),
        RAW,
      )
      .post(
        "/v1/messages/count_tokens",
        tracked(ctx, async ({ request }) => {
          await authenticate(request.headers, ctx.keys, ctx.now());
          const body = await readJsonBody(request);
          const target = anthropic.target(ctx.config);
          if (!target)
            throw badRequest("No configured provider serves Anthropic models: set ANTHROPIC_API_KEY");
          const url = new URL(request.url);
          // Counting tokens is free upstream, so it is forwarded but never billed or logged as spend.
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
          headers.set("x-snodus-request-id", requestIdOf(request));
          return new Response(await upstream.arrayBuffer(), { status: upstream.status, headers });
        }),
        RAW,
      )
      // The caller's own key: limits and usage this month (OpenRouter's GET /api/v1/key, plus ours).
      .get("/v1/key", async ({ request }) => {
        const now = ctx.now();
        const info = await keyInfo(ctx, await authenticate(request.headers, ctx.keys, now), now);
        return Response.json(info, { headers: { "x-snodus-request-id": requestIdOf(request) } });
      })
      .get("/v1/models", async ({ request }) => {
        await authenticate(request.headers, ctx.keys, ctx.now());
        return listModels(ctx, request.headers);
      })
      .get("/v1/models/*", async ({ request, params }) => {
        await authenticate(request.headers, ctx.keys, ctx.now());
        return retrieveModel(ctx, request.headers, decodeURIComponent(params["*"]));
      })
      // Codex CLI tries a WebSocket on /v1/responses first; 426 makes it fall back to HTTP at once.
      .get("/v1/responses", ({ request }) => upgradeRequired(request))
  );
}

function upgradeRequired(request: Request): Response {
  const err = new GatewayError(
    426,
    "invalid_request_error",
    "This gateway serves /v1/responses over HTTP POST (streamed with SSE), not WebSocket",
    { code: "upgrade_required" },
  );
  const res = errorResponse("openai", err, requestIdOf(request));
  res.headers.set("upgrade", "HTTP/1.1");
  return res;
}

/**
 * Counts a request as in flight from its first byte, so shutdown also waits for one still uploading
 * its body or being authenticated. A streamed answer stays counted by its attempt until it ends.
 */
function tracked(ctx: ProxyContext, handle: (c: { request: Request }) => Promise<Response>) {
  return async (c: { request: Request }): Promise<Response> => {
    ctx.inflight.enter();
    try {
      return await handle(c);
    } catch (err) {
      if (err instanceof GatewayError) {
        const reason = limitReason(err.status, err.extra.code);
        if (reason) ctx.metrics.refused(reason, err.status);
      }
      throw err;
    } finally {
      ctx.inflight.leave();
    }
  };
}
