// The one request path every front door shares: authenticate, route, and try each candidate model in turn.
import type { Door, DoorRequest } from "../../doors/types.ts";
import { badRequest, GatewayError, notFound } from "../../errors.ts";
import { embeddingsCodecOf } from "../../providers/embeddings.ts";
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
import { assertShallow, type ProxiedBody, readJsonBody } from "./request-body.ts";
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
  const url = new URL(request.url);
  const span = ctx.tracing.request(request.headers, door.protocol, url.pathname);
  try {
    return await traced(ctx, door, request, requestId, span, url);
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
  url: URL,
): Promise<Response> {
  const startedAt = ctx.now();
  const identity = await authenticate(request.headers, ctx.keys, startedAt);
  const body = await readJsonBody(request);
  const parsed = shallowWhenWalked(
    translating(() => door.parse(body.json)),
    body.bytes,
  );
  const plan = translating(() => planRoute(ctx, parsed, identity));
  if (plan.skipped.length)
    ctx.log.info("fallbacks the key may not use were skipped", {
      requestId,
      skipped: plan.skipped.join(","),
    });
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
      slot,
      startedAt,
      tagged,
      span,
      url,
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
  slot: Slot;
  startedAt: number;
  tagged: Attribution;
  span: RequestTrace;
  /** The client's URL: its path picks a passthrough route, its query string travels with it. */
  url: URL;
}

/** Tries each candidate (and each deployment of it) until one answers or the last one fails. */
async function attempts(
  ctx: ProxyContext,
  door: Door,
  request: Request,
  requestId: string,
  { identity, body, parsed, plan, slot, startedAt, tagged, span, url: clientUrl }: Prepared,
): Promise<Response> {
  let firstAdmission: Admission | null = null;
  // Deployments of the current model this request already went to (several keys or replicas).
  const tried = new Set<string>();
  for (let i = 0; i < plan.candidates.length; i++) {
    const model = plan.candidates[i] as string;
    const resolved = ctx.providers.resolve(model, tried);
    if (!resolved) {
      if (i === 0) throw noProvider(ctx, model);
      ctx.log.warn("fallback model has no configured provider; skipped", { requestId, model });
      continue;
    }
    const { provider, target, lease } = resolved;
    // Another deployment of the same model goes before any model fallback.
    const elsewhere = lease?.hasAlternative(tried) ?? false;
    const last = i === plan.candidates.length - 1 && !elsewhere;
    const retryElsewhere = (): boolean => {
      if (!lease || !elsewhere) return false;
      tried.add(lease.name);
      i--; // the same candidate again, on another deployment
      return true;
    };
    const route = provider.passthrough[door.protocol] ?? null;
    const embeddings = door.kind === "embeddings" && !route ? embeddingsCodecOf(provider) : undefined;
    if (!route && door.kind === "embeddings" && !embeddings)
      throw badRequest(`"${model}" is served by ${provider.name}, which has no embeddings API`);
    // Embeddings cross providers as OpenAI's request (the embeddings pivot).
    const embeddingsBody =
      embeddings && door.kind === "embeddings" ? translating(() => door.toOpenAI(body.json)) : null;
    // Translation problems are the client's (400) and must surface before anything is reserved.
    const pivot = route || door.kind === "embeddings" ? null : translating(() => parsed.pivot?.() ?? null);
    const maxTokens = parsed.maxTokens ?? provider.maxOutputTokens(model);
    // Anthropic requires max_tokens; OpenAI clients may leave it out, meaning "the model's maximum".
    const pivotBody = pivot && !pivot.max_tokens ? { ...pivot, max_tokens: maxTokens } : pivot;

    // The upstream request is built before anything is reserved: a body the provider's codec cannot
    // carry is the client's mistake (400), and must cost nothing.
    let injected = false;
    const call = translating(
      (): { url: string; headers: Headers; body: Uint8Array<ArrayBuffer> | string } => {
        // The client's headers as they came: each codec copies the end-to-end ones it forwards, once.
        const incoming = request.headers;
        if (route) {
          const out = route.body(body.json, body.bytes, body.text, model);
          injected = out.injected;
          return {
            url: `${target.baseUrl}${route.path(clientUrl.pathname)}${clientUrl.search}`,
            headers: route.headers(target, incoming),
            body: out.bytes,
          };
        }
        if (embeddings && embeddingsBody) return embeddings.request(target, embeddingsBody, model, incoming);
        return provider.pivot.request(target, pivotBody as NonNullable<typeof pivotBody>, model, incoming);
      },
    );

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
      deployment: lease,
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
    try {
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
        onCut: attempt.onCut,
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
      // A connection that failed (or timed out) before any byte reached the client can go to another
      // deployment; a failed connection also to the next candidate.
      if ((status === 502 || status === 504) && retryElsewhere()) continue;
      if (status === 502 && !last) {
        tried.clear();
        continue;
      }
      throw err;
    }
    if (upstream.status === 429) lease?.holdOff(upstream.headers.get("retry-after"));
    if (RETRYABLE.has(upstream.status) && !last) {
      await upstream.arrayBuffer().catch(() => {});
      ctx.log.info("upstream refused; trying another deployment or the next model", {
        requestId,
        model,
        deployment: lease?.name,
        status: upstream.status,
      });
      attempt.fail(upstream.status);
      if (!retryElsewhere()) tried.clear();
      continue;
    }
    const input = { ctx, attempt, upstream, provider, parsed, requestId };
    if (route) return respondPassthrough({ ...input, route, injected });
    if (door.kind === "embeddings")
      return respondEmbeddings({
        ...input,
        door,
        codec: embeddings as NonNullable<typeof embeddings>,
        body: embeddingsBody as NonNullable<typeof embeddingsBody>,
      });
    return respondPivot({ ...input, door, pivot: pivotBody as NonNullable<typeof pivotBody> });
  }
  // Only reachable when every fallback lacked a provider after the first was refused.
  throw new GatewayError(502, "api_error", "No fallback model could take the request");
}

/**
 * Passthrough never walks the body; translation and routing do, recursively, and always through
 * `pivot()`. So the nesting-depth check runs once, on the first call to it — for the primary model,
 * a fallback or the router alike — and a body only ever passed through is never scanned.
 */
function shallowWhenWalked<R extends DoorRequest>(parsed: R, bytes: Uint8Array): R {
  const pivot = parsed.pivot;
  if (!pivot) return parsed;
  let checked = false;
  return {
    ...parsed,
    pivot: () => {
      if (!checked) assertShallow(bytes);
      checked = true;
      return pivot();
    },
  };
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
