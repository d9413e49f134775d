// POST /v1/messages: authenticate, route, admit, try each candidate model, and answer in Anthropic's format.
import { GatewayError, notFound } from "../../errors.ts";
import { emptyUsage } from "../../pricing/usage.ts";
import type { ProviderName } from "../../providers/registry.ts";
import { authenticate } from "../auth/authenticate.ts";
import type { Admission } from "../limits/guard.ts";
import type { MessagesAdapter, UpstreamInput } from "./adapters/types.ts";
import { type Attempt, recordAttempt } from "./attempt.ts";
import type { ProxyContext } from "./context.ts";
import { readJsonBody } from "./request-body.ts";
import { planRoute } from "./route-plan.ts";

/** Upstream answers after which the next model of the fallback chain is tried (nothing reached the client yet). */
const RETRYABLE = new Set([429, 500, 502, 503, 529]);

export async function handleMessages(
  ctx: ProxyContext,
  request: Request,
  requestId: string,
): Promise<Response> {
  const startedAt = ctx.now();
  const identity = await authenticate(request.headers, ctx.keys, startedAt);
  const body = await readJsonBody(request);
  const plan = planRoute(ctx, body);

  let firstAdmission: Admission | null = null;
  for (let i = 0; i < plan.candidates.length; i++) {
    const model = plan.candidates[i] as string;
    const last = i === plan.candidates.length - 1;
    const provider = ctx.providers.resolve(model);
    if (!provider) {
      if (i === 0) throw noProvider(ctx, model);
      ctx.log.warn("fallback model has no configured provider; skipped", { requestId, model });
      continue;
    }
    // Every attempt reserves its own worst case; only the first counts against the rate limit.
    const admission = await ctx.limits.admit(
      identity,
      { model, bodyBytes: body.bytes.byteLength, maxTokens: body.maxTokens },
      ctx.now(),
      firstAdmission === null,
    );
    firstAdmission ??= admission;
    const attempt: Attempt = {
      identity,
      admission: { ...admission, headers: firstAdmission.headers },
      model,
      provider,
      stream: body.stream,
      startedAt: i === 0 ? startedAt : ctx.now(),
      requestId,
      routing: plan.routing,
    };
    const input: UpstreamInput = { request, body, model };
    const adapter = adapterFor(ctx, provider);

    ctx.inflight.enter();
    let upstream: Response;
    try {
      upstream = await adapter.send(ctx, input);
    } catch (err) {
      const status = err instanceof GatewayError ? err.status : 502;
      ctx.log.warn("upstream request failed", {
        requestId,
        provider,
        model,
        status,
        err,
        cause: err instanceof Error ? err.cause : undefined,
      });
      recordAttempt(ctx, attempt, emptyUsage(), status);
      ctx.inflight.leave();
      // A connection that failed before any byte reached the client can go to the next candidate.
      if (status === 502 && !last) continue;
      throw err;
    }
    if (RETRYABLE.has(upstream.status) && !last) {
      await upstream.arrayBuffer().catch(() => {});
      ctx.log.info("upstream refused; trying the next model", { requestId, model, status: upstream.status });
      recordAttempt(ctx, attempt, emptyUsage(), upstream.status);
      ctx.inflight.leave();
      continue;
    }
    return adapter.respond(ctx, upstream, attempt, input);
  }
  // Only reachable when every fallback lacked a provider after the first was refused.
  throw new GatewayError(502, "api_error", "No fallback model could take the request");
}

function adapterFor(ctx: ProxyContext, provider: ProviderName): MessagesAdapter {
  const adapter = ctx.adapters[provider];
  if (!adapter)
    throw new GatewayError(502, "api_error", `The ${provider} provider cannot answer /v1/messages`);
  return adapter;
}

function noProvider(ctx: ProxyContext, model: string): GatewayError {
  const configured = ctx.providers.configured();
  return notFound(
    `No configured provider serves model "${model}" (configured: ${configured.length ? configured.join(", ") : "none"})`,
  );
}
