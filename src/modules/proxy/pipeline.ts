// The one request path every front door shares: authenticate, route, and try each candidate model in turn.
import type { Door, DoorRequest } from "../../doors/types.ts";
import { badRequest, GatewayError, notFound } from "../../errors.ts";
import { upstreamRequestHeaders } from "../../http/headers.ts";
import { TranslationError } from "../../providers/translate/content.ts";
import { callUpstream } from "../../providers/upstream.ts";
import type { KeyIdentity } from "../../store/types.ts";
import { authenticate } from "../auth/authenticate.ts";
import type { Admission } from "../limits/guard.ts";
import { Slot } from "../limits/slot.ts";
import type { RequestTrace } from "../tracing/tracing.ts";
import { Attempt } from "./attempt.ts";
import { type Attribution, attribution } from "./attribution.ts";
import type { ProxyContext } from "./context.ts";
import { type ProxiedBody, readJsonBody } from "./request-body.ts";
import { respondEmbeddings, respondPassthrough, respondPivot } from "./respond.ts";
import { planRoute, type RoutePlan } from "./route-plan.ts";

/** Upstream answers after which the next model of the fallback chain is tried (nothing reached the client yet). */
const RETRYABLE = new Set([429, 500, 502, 503, 529]);

export async function runPipeline(
  ctx: ProxyContext,
  door: Door,
  request: Request,
  requestId: string,
): Promise<Response> {
  const span = ctx.tracing.request(request.headers, door.protocol, new URL(request.url).pathname);
  try {
    return await traced(ctx, door, request, requestId, span);
  } catch (err) {
    // Refusals and failures end the request span here; a success ends it with its last attempt.
    span.end(err instanceof GatewayError ? err.status : 500);
    throw err;
  }
}

async function traced(
  ctx: ProxyContext,
  door: Door,
  request: Request,
  requestId: string,
  span: RequestTrace,
): Promise<Response> {
  const startedAt = ctx.now();
  const identity = await authenticate(request.headers, ctx.keys, startedAt);
  const body = await readJsonBody(request);
  const parsed = translating(() => door.parse(body.json));
  const plan = translating(() => planRoute(ctx, parsed, identity));
  if (plan.skipped.length)
    ctx.log.info("fallbacks the key may not use were skipped", {
      requestId,
      skipped: plan.skipped.join(","),
    });
  const clientPath = new URL(request.url).pathname;
  const tagged = attribution(request.headers, body.json);
  // One slot per request, whatever the number of attempts; each attempt holds it until it finishes.
  const taken = await ctx.limits.enter(identity);
  // The request's lifetime: its slot and its span end when the pipeline and every attempt let go.
  const slot = new Slot(() => {
    taken.drop();
    span.end(null);
  });
  try {
    return await attempts(ctx, door, request, requestId, {
      identity,
      body,
      parsed,
      plan,
      clientPath,
      slot,
      startedAt,
      tagged,
      span,
    });
  } finally {
    slot.drop();
  }
}

interface Prepared {
  identity: KeyIdentity;
  body: ProxiedBody;
  parsed: DoorRequest;
  plan: RoutePlan;
  clientPath: string;
  slot: Slot;
  startedAt: number;
  tagged: Attribution;
  span: RequestTrace;
}

async function attempts(
  ctx: ProxyContext,
  door: Door,
  request: Request,
  requestId: string,
  { identity, body, parsed, plan, clientPath, slot, startedAt, tagged, span }: Prepared,
): Promise<Response> {
  let firstAdmission: Admission | null = null;
  for (let i = 0; i < plan.candidates.length; i++) {
    const model = plan.candidates[i] as string;
    const last = i === plan.candidates.length - 1;
    const resolved = ctx.providers.resolve(model);
    if (!resolved) {
      if (i === 0) throw noProvider(ctx, model);
      ctx.log.warn("fallback model has no configured provider; skipped", { requestId, model });
      continue;
    }
    const { provider, target } = resolved;
    const route = provider.passthrough[door.protocol] ?? null;
    const embeddings = door.kind === "embeddings" ? provider.embeddings : undefined;
    if (!route && door.kind === "embeddings" && !embeddings)
      throw badRequest(`"${model}" is served by ${provider.name}, which has no embeddings API`);
    // Translation problems are the client's (400) and must surface before anything is reserved.
    const pivot = route || door.kind === "embeddings" ? null : translating(() => parsed.pivot?.() ?? null);
    const maxTokens = parsed.maxTokens ?? provider.maxOutputTokens(model);
    // Anthropic requires max_tokens; OpenAI clients may leave it out, meaning "the model's maximum".
    const pivotBody = pivot && !pivot.max_tokens ? { ...pivot, max_tokens: maxTokens } : pivot;

    // Every attempt reserves its own worst case; only the first counts against the rate limit.
    const admission = await ctx.limits.admit(
      identity,
      {
        model,
        bodyBytes: body.bytes.byteLength,
        maxTokens,
        free: provider.free,
      },
      ctx.now(),
      firstAdmission === null,
    );
    firstAdmission ??= admission;
    const attempt = new Attempt(ctx, {
      identity,
      admission: { ...admission, headers: firstAdmission.headers },
      model,
      provider: provider.name,
      free: provider.free,
      stream: parsed.stream,
      startedAt: i === 0 ? startedAt : ctx.now(),
      requestId,
      routing: plan.routing,
      clientSignal: request.signal,
      slot,
      attribution: tagged,
      door: door.protocol,
      trace: span.attempt({
        model,
        provider: provider.name,
        operation: door.kind === "embeddings" ? "embeddings" : "chat",
      }),
    });

    let upstream: Response;
    let injected = false;
    try {
      const incoming = upstreamRequestHeaders(request.headers);
      let call: { url: string; headers: Headers; body: Uint8Array<ArrayBuffer> | string };
      if (route) {
        const out = route.body(body.json, body.bytes, body.text, model);
        injected = out.injected;
        const url = new URL(request.url);
        call = {
          url: `${target.baseUrl}${route.path(clientPath)}${url.search}`,
          headers: route.headers(target, incoming),
          body: out.bytes,
        };
      } else if (embeddings) {
        call = embeddings.request(target, body.json, model, incoming);
      } else {
        call = provider.pivot.request(target, pivotBody as NonNullable<typeof pivotBody>, model, incoming);
      }
      attempt.trace(call.headers);
      // The gateway's own share of the latency: everything before the first upstream call.
      if (i === 0) ctx.metrics.overhead(door.protocol, (ctx.now() - startedAt) / 1000);
      attempt.markSent();
      upstream = await callUpstream({
        ...call,
        method: "POST",
        fetch: ctx.fetch,
        connectTimeoutMs: ctx.config.connectTimeoutMs,
        headersTimeoutMs: ctx.config.upstreamTimeoutMs,
        provider: provider.name,
        cut: attempt.cutSignal,
      });
      attempt.markHeaders();
    } catch (err) {
      const status = err instanceof GatewayError ? err.status : 502;
      ctx.log.warn("upstream request failed", {
        requestId,
        provider: provider.name,
        model,
        status,
        err,
        cause: err instanceof Error ? err.cause : undefined,
      });
      attempt.fail(status);
      // A connection that failed before any byte reached the client can go to the next candidate.
      if (status === 502 && !last) continue;
      throw err;
    }
    if (RETRYABLE.has(upstream.status) && !last) {
      await upstream.arrayBuffer().catch(() => {});
      ctx.log.info("upstream refused; trying the next model", { requestId, model, status: upstream.status });
      attempt.fail(upstream.status);
      continue;
    }
    const input = { ctx, attempt, upstream, provider, parsed, requestId };
    if (route) return respondPassthrough({ ...input, route, injected });
    if (door.kind === "embeddings")
      return respondEmbeddings({ ...input, door, codec: embeddings as NonNullable<typeof embeddings> });
    return respondPivot({ ...input, door, pivot: pivotBody as NonNullable<typeof pivotBody> });
  }
  // Only reachable when every fallback lacked a provider after the first was refused.
  throw new GatewayError(502, "api_error", "No fallback model could take the request");
}

/** A client body the translators cannot carry is the client's mistake: 400, in its protocol. */
function translating<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof TranslationError) throw badRequest(err.message);
    throw err;
  }
}

function noProvider(ctx: ProxyContext, model: string): GatewayError {
  const configured = ctx.providers.configured();
  return notFound(
    `No configured provider serves model "${model}" (configured: ${configured.length ? configured.join(", ") : "none"})`,
  );
}
