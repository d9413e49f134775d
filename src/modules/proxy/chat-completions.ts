// POST /v1/chat/completions: native OpenAI passthrough for OpenAI models, metered exactly, errors in OpenAI's shape.
import { badRequest, GatewayError, notFound } from "../../errors.ts";
import { clientResponseHeaders, upstreamRequestHeaders } from "../../http/headers.ts";
import { emptyUsage } from "../../pricing/usage.ts";
import { createOpenAIStreamMeter, ensureIncludeUsage } from "../../providers/openai/stream-usage.ts";
import { openAIUsage } from "../../providers/openai/to-anthropic.ts";
import type { OpenAIUsage } from "../../providers/openai/types.ts";
import { isOpenAIModel } from "../../providers/translate/models.ts";
import { callUpstream } from "../../providers/upstream.ts";
import { authenticate } from "../auth/authenticate.ts";
import { type Attempt, attemptHeaders, recordAttempt, streamStatus } from "./attempt.ts";
import type { ProxyContext } from "./context.ts";
import { meteredStream } from "./metered-stream.ts";
import { readWhole, safeJson } from "./read-whole.ts";
import { readJsonBody } from "./request-body.ts";

const encoder = new TextEncoder();

export async function handleChatCompletions(
  ctx: ProxyContext,
  request: Request,
  requestId: string,
): Promise<Response> {
  const startedAt = ctx.now();
  const identity = await authenticate(request.headers, ctx.keys, startedAt);
  const body = await readJsonBody(request);
  if (!isOpenAIModel(body.model)) {
    throw badRequest(
      `"${body.model}" is not an OpenAI model: /v1/chat/completions serves gpt-*, o1-*, o3-*, o4-* and gpt-5*; ` +
        "use POST /v1/messages for Anthropic, Ollama and routed (auto) models",
      "model_not_supported",
    );
  }
  const apiKey = ctx.config.openaiApiKey;
  if (!apiKey)
    throw notFound(`No configured provider serves model "${body.model}": set OPENAI_API_KEY on the gateway`);

  const admission = await ctx.limits.admit(
    identity,
    { model: body.model, bodyBytes: body.bytes.byteLength, maxTokens: maxTokensOf(body.json) },
    startedAt,
  );
  const attempt: Attempt = {
    identity,
    admission,
    model: body.model,
    provider: "openai",
    stream: body.stream,
    startedAt,
    requestId,
    routing: null,
  };
  // Exact accounting needs the final usage chunk; it is asked for here and hidden again if the client did not.
  const { body: forwarded, injected } = ensureIncludeUsage(body.json);
  const headers = upstreamRequestHeaders(request.headers);
  headers.set("authorization", `Bearer ${apiKey.reveal()}`);
  headers.set("content-type", "application/json");
  const url = new URL(request.url);

  ctx.inflight.enter();
  let upstream: Response;
  try {
    upstream = await callUpstream({
      url: `${ctx.config.openaiUpstreamUrl}${url.pathname}${url.search}`,
      method: "POST",
      headers,
      body: injected ? encoder.encode(JSON.stringify(forwarded)) : body.bytes,
      fetch: ctx.fetch,
      headersTimeoutMs: body.stream ? ctx.config.connectTimeoutMs : ctx.config.upstreamTimeoutMs,
      provider: "openai",
    });
  } catch (err) {
    recordAttempt(ctx, attempt, emptyUsage(), err instanceof GatewayError ? err.status : 502);
    ctx.inflight.leave();
    throw err;
  }

  const out = attemptHeaders(clientResponseHeaders(upstream.headers), attempt);
  const isSse = (upstream.headers.get("content-type") ?? "").includes("text/event-stream");
  if (!isSse || !upstream.body) {
    try {
      const bytes = await readWhole(upstream, ctx.config.upstreamTimeoutMs);
      const json = upstream.ok ? (safeJson(bytes) as { usage?: OpenAIUsage } | null) : null;
      recordAttempt(ctx, attempt, json ? openAIUsage(json.usage) : emptyUsage(), upstream.status);
      return new Response(bytes, { status: upstream.status, headers: out });
    } catch (err) {
      recordAttempt(ctx, attempt, emptyUsage(), err instanceof GatewayError ? err.status : 502);
      throw err;
    } finally {
      ctx.inflight.leave();
    }
  }

  const meter = createOpenAIStreamMeter({ stripUsageChunk: injected });
  const stream = meteredStream(upstream.body, {
    idleTimeoutMs: ctx.config.upstreamTimeoutMs,
    onChunk: (chunk) => meter.push(chunk),
    flush: () => meter.end(),
    endedCleanly: () => meter.sawDone,
    // OpenAI has no in-stream error event: a broken stream simply ends, as it would from OpenAI.
    failureTail: () => null,
    onFinish: (outcome) => {
      recordAttempt(ctx, attempt, meter.usage, streamStatus(upstream.status, outcome, false));
      ctx.inflight.leave();
    },
  });
  out.set("x-accel-buffering", "no");
  out.set("cache-control", "no-cache");
  return new Response(stream, { status: upstream.status, headers: out });
}

/** The output cap the client set, under either of OpenAI's names. */
function maxTokensOf(json: Record<string, unknown>): number | null {
  for (const field of ["max_completion_tokens", "max_tokens"]) {
    const v = json[field];
    if (typeof v === "number" && v > 0) return Math.floor(v);
  }
  return null;
}
