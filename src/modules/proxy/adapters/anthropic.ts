// Anthropic upstream: the body passes byte for byte (model rewritten only when routed) and so does the answer.
import { badRequest, GatewayError } from "../../../errors.ts";
import { clientResponseHeaders } from "../../../http/headers.ts";
import { emptyUsage } from "../../../pricing/usage.ts";
import { anthropicErrorEvent, anthropicHeaders } from "../../../providers/anthropic/adapter.ts";
import { createSseUsageTracker, usageFromMessage } from "../../../providers/anthropic/usage.ts";
import { callUpstream } from "../../../providers/upstream.ts";
import { attemptHeaders, recordAttempt, streamStatus } from "../attempt.ts";
import { meteredStream } from "../metered-stream.ts";
import { readWhole, safeJson } from "../read-whole.ts";
import { rewriteModel } from "../rewrite-model.ts";
import type { MessagesAdapter } from "./types.ts";

export const anthropicAdapter: MessagesAdapter = {
  async send(ctx, { request, body, model }) {
    const apiKey = ctx.config.anthropicApiKey;
    if (!apiKey) throw badRequest("No configured provider serves Anthropic models: set ANTHROPIC_API_KEY");
    const baseUrl = ctx.config.anthropicUpstreamUrl;
    const url = new URL(request.url);
    return callUpstream({
      url: `${baseUrl}${url.pathname}${url.search}`,
      method: "POST",
      headers: anthropicHeaders(request.headers, { baseUrl, apiKey }),
      body: model === body.model ? body.bytes : rewriteModel(body.text, body.json, model),
      fetch: ctx.fetch,
      // A streaming upstream answers with headers at once; a non-streaming one only when it is done.
      headersTimeoutMs: body.stream ? ctx.config.connectTimeoutMs : ctx.config.upstreamTimeoutMs,
      provider: "anthropic",
    });
  },

  async respond(ctx, upstream, attempt) {
    const headers = attemptHeaders(clientResponseHeaders(upstream.headers), attempt);
    const isSse = (upstream.headers.get("content-type") ?? "").includes("text/event-stream");

    if (!isSse || !upstream.body) {
      try {
        const bytes = await readWhole(upstream, ctx.config.upstreamTimeoutMs);
        const usage = upstream.ok ? usageFromMessage(safeJson(bytes)) : emptyUsage();
        recordAttempt(ctx, attempt, usage, upstream.status);
        return new Response(bytes, { status: upstream.status, headers });
      } catch (err) {
        recordAttempt(ctx, attempt, emptyUsage(), err instanceof GatewayError ? err.status : 502);
        throw err;
      } finally {
        ctx.inflight.leave();
      }
    }

    const tracker = createSseUsageTracker();
    const stream = meteredStream(upstream.body, {
      idleTimeoutMs: ctx.config.upstreamTimeoutMs,
      onChunk: (chunk) => {
        tracker.push(chunk);
        return chunk;
      },
      endedCleanly: () => tracker.sawMessageStop || tracker.error !== null,
      failureTail: (outcome) =>
        tracker.error
          ? null // the upstream already told the client what went wrong
          : outcome === "upstream_timeout"
            ? anthropicErrorEvent(
                "timeout_error",
                "The upstream stopped sending before the message was complete",
              )
            : anthropicErrorEvent(
                "api_error",
                "The upstream connection failed before the message was complete",
              ),
      onFinish: (outcome) => {
        tracker.end();
        recordAttempt(
          ctx,
          attempt,
          tracker.usage,
          streamStatus(upstream.status, outcome, tracker.error !== null),
        );
        if (outcome !== "complete")
          ctx.log.info("stream ended early", { requestId: attempt.requestId, outcome });
        ctx.inflight.leave();
      },
    });
    headers.set("x-accel-buffering", "no");
    headers.set("cache-control", "no-cache");
    return new Response(stream, { status: upstream.status, headers });
  },
};
