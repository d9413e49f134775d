// Providers that speak another protocol: translate the request, then the answer back to Anthropic's format.
import { badRequest, GatewayError } from "../../../errors.ts";
import { upstreamRequestHeaders } from "../../../http/headers.ts";
import type { Usage } from "../../../pricing/usage.ts";
import { emptyUsage } from "../../../pricing/usage.ts";
import type { AnthropicStreamTranslator } from "../../../providers/translate/anthropic-sse.ts";
import type {
  AnthropicMessage,
  AnthropicMessagesBody,
} from "../../../providers/translate/anthropic-types.ts";
import { TranslationError } from "../../../providers/translate/content.ts";
import { anthropicErrorFromUpstream } from "../../../providers/translate/errors.ts";
import { estimateInputTokens, upstreamModelName } from "../../../providers/translate/models.ts";
import { callUpstream } from "../../../providers/upstream.ts";
import { type Attempt, attemptHeaders, recordAttempt, streamStatus } from "../attempt.ts";
import type { ProxyContext } from "../context.ts";
import { meteredStream } from "../metered-stream.ts";
import { readWhole, safeJson } from "../read-whole.ts";
import type { MessagesAdapter } from "./types.ts";

/** Anthropic sends `ping` about every 15 s; translated streams do the same during upstream silence. */
const PING_EVERY_MS = 10_000;

export interface TranslatedProvider {
  name: "openai" | "ollama";
  /** URL, headers and body for the upstream; throws GatewayError when the provider is not configured. */
  request(
    ctx: ProxyContext,
    body: AnthropicMessagesBody,
    upstreamModel: string,
  ): { url: string; headers: Headers; body: string };
  toMessage(json: unknown, model: string): { message: AnthropicMessage; usage: Usage };
  createStream(model: string, inputTokenEstimate: number): AnthropicStreamTranslator;
}

export function translatedAdapter(p: TranslatedProvider): MessagesAdapter {
  return {
    async send(ctx, { request, body, model }) {
      let upstream: { url: string; headers: Headers; body: string };
      try {
        upstream = p.request(ctx, body.json as unknown as AnthropicMessagesBody, upstreamModelName(model));
      } catch (err) {
        if (err instanceof TranslationError) throw badRequest(err.message);
        throw err;
      }
      // The client's end-to-end headers still travel (tracing ids, user agent); Anthropic-only ones do not.
      const headers = upstreamRequestHeaders(request.headers);
      for (const name of [...headers.keys()]) if (name.startsWith("anthropic-")) headers.delete(name);
      for (const [name, value] of upstream.headers) headers.set(name, value);
      return callUpstream({
        url: upstream.url,
        method: "POST",
        headers,
        body: upstream.body,
        fetch: ctx.fetch,
        headersTimeoutMs: body.stream ? ctx.config.connectTimeoutMs : ctx.config.upstreamTimeoutMs,
        provider: p.name,
      });
    },

    async respond(ctx, upstream, attempt, { body }) {
      if (!upstream.ok || !body.stream || !upstream.body) return respondWhole(ctx, p, upstream, attempt);
      const translator = p.createStream(
        attempt.model,
        estimateInputTokens(body.json as unknown as AnthropicMessagesBody),
      );
      // Checked before finish(): afterwards a cut-off stream looks finished too.
      const cleanEnd = () => translator.finished && translator.stopReason !== null;
      const stream = meteredStream(upstream.body, {
        idleTimeoutMs: ctx.config.upstreamTimeoutMs,
        onChunk: (chunk) => translator.push(chunk),
        flush: () => translator.finish(),
        keepAlive: { everyMs: PING_EVERY_MS, bytes: () => translator.ping() },
        endedCleanly: cleanEnd,
        failureTail: (outcome) =>
          outcome === "upstream_timeout"
            ? translator.error("timeout_error", `${p.name} stopped sending before the message was complete`)
            : translator.error(
                "api_error",
                `The ${p.name} connection failed before the message was complete`,
              ),
        onFinish: (outcome) => {
          const inBandError = translator.finished && translator.stopReason === null;
          recordAttempt(ctx, attempt, translator.usage, streamStatus(200, outcome, inBandError));
          ctx.inflight.leave();
        },
      });
      const headers = attemptHeaders(
        new Headers({ "content-type": "text/event-stream; charset=utf-8" }),
        attempt,
      );
      headers.set("x-accel-buffering", "no");
      headers.set("cache-control", "no-cache");
      return new Response(stream, { status: 200, headers });
    },
  };
}

/** Errors and non-streamed answers: read in full, translate once. */
async function respondWhole(ctx: ProxyContext, p: TranslatedProvider, upstream: Response, attempt: Attempt) {
  try {
    const json = safeJson(await readWhole(upstream, ctx.config.upstreamTimeoutMs));
    const headers = attemptHeaders(new Headers({ "content-type": "application/json" }), attempt);
    if (!upstream.ok) {
      recordAttempt(ctx, attempt, emptyUsage(), upstream.status);
      const error = anthropicErrorFromUpstream(upstream.status, json, p.name);
      return new Response(JSON.stringify({ ...error, request_id: attempt.requestId }), {
        status: upstream.status,
        headers,
      });
    }
    const { message, usage } = p.toMessage(json, attempt.model);
    recordAttempt(ctx, attempt, usage, 200);
    return new Response(JSON.stringify(message), { status: 200, headers });
  } catch (err) {
    recordAttempt(ctx, attempt, emptyUsage(), err instanceof GatewayError ? err.status : 502);
    throw err;
  } finally {
    ctx.inflight.leave();
  }
}
