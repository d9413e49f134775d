// One attempt at answering a request on one model, and the spend row it leaves behind.
import type { Usage } from "../../pricing/usage.ts";
import type { ProviderName } from "../../providers/registry.ts";
import type { KeyIdentity, SpendRow } from "../../store/types.ts";
import type { Admission } from "../limits/guard.ts";
import type { ProxyContext } from "./context.ts";
import type { StreamOutcome } from "./metered-stream.ts";

/** Status recorded for a client that left before the answer was complete (nginx's convention). */
export const CLIENT_CLOSED_STATUS = 499;

export interface Routing {
  routedFrom: string;
  method: string;
  reason: string;
}

export interface Attempt {
  identity: KeyIdentity;
  admission: Admission;
  /** The model this attempt asked for (after routing / fallback). */
  model: string;
  provider: ProviderName;
  stream: boolean;
  startedAt: number;
  requestId: string;
  routing: Routing | null;
}

/** Queues the attempt's spend row and settles its budget reservation to the real cost. */
export function recordAttempt(ctx: ProxyContext, a: Attempt, usage: Usage, status: number): void {
  const row: SpendRow = {
    id: Bun.randomUUIDv7(),
    createdAt: new Date(a.startedAt),
    apiKeyId: a.identity.key.id,
    userId: a.identity.user.id,
    teamId: a.identity.team.id,
    model: a.model,
    provider: a.provider,
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    cacheCreationInputTokens: usage.cacheCreationInputTokens,
    cacheReadInputTokens: usage.cacheReadInputTokens,
    costMicros: a.provider === "ollama" ? 0 : ctx.pricer.cost(a.model, usage),
    durationMs: Math.max(0, Math.round(ctx.now() - a.startedAt)),
    status,
    stream: a.stream,
    routedFrom: a.routing?.routedFrom ?? null,
    routingMethod: a.routing?.method ?? null,
    routingReason: a.routing?.reason ?? null,
    requestId: a.requestId,
  };
  ctx.spend.record(row);
  // Plan quotas count input + output tokens, as the plans table states them.
  a.admission.settle(row.costMicros, row.inputTokens + row.outputTokens);
}

/** The status a stream's spend row records: what the client effectively got. */
export function streamStatus(upstreamStatus: number, outcome: StreamOutcome, sawErrorEvent: boolean): number {
  if (outcome === "client_cancelled") return CLIENT_CLOSED_STATUS;
  if (outcome === "upstream_timeout") return 504;
  if (outcome === "upstream_failed" || sawErrorEvent) return 502;
  return upstreamStatus;
}

/** Headers every answer to an attempt carries: request id, rate limit, routing decision. */
export function attemptHeaders(headers: Headers, a: Attempt): Headers {
  headers.set("x-snodus-request-id", a.requestId);
  for (const [name, value] of Object.entries(a.admission.headers)) headers.set(name, value);
  if (a.routing) {
    headers.set("x-snodus-routed-model", a.model);
    headers.set("x-snodus-routing-reason", encodeURIComponent(a.routing.reason));
  }
  return headers;
}
