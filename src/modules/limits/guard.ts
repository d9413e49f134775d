// The request guard: rate limit, then budget and plan reservation, before anything reaches an upstream.
import { budgetExceeded, forbidden, rateLimited } from "../../errors.ts";
import { estimateInputTokens } from "../../pricing/cost.ts";
import type { Pricer } from "../../pricing/pricer.ts";
import { PLANS } from "../../store/plans.ts";
import type { KeyIdentity } from "../../store/types.ts";
import { monthKey } from "../account/month.ts";
import type { RateDecision } from "./gcra.ts";
import { type Slot, takeSlot } from "./slot.ts";
import type { LimitStore, ReserveResult } from "./types.ts";

export interface Admission {
  /** `x-ratelimit-*` headers for the response. */
  headers: Record<string, string>;
  /** Replace the reservation by the real cost; idempotent, never throws, never awaits on the caller. */
  settle(costMicros: number, tokens: number): void;
}

export interface GuardEvents {
  rateLimited?(identity: KeyIdentity, decision: RateDecision): void;
  settled?(identity: KeyIdentity, month: string, costMicros: number): void;
}

export interface LimitGuardDeps {
  store: LimitStore;
  pricer: Pricer;
  plansEnforced: boolean;
  events?: GuardEvents;
  onSettleError?: (err: unknown) => void;
}

const PLAN_BY_ID = new Map(PLANS.map((p) => [p.id, p]));
const usd = (micros: number) => `$${(micros / 1_000_000).toFixed(2)}`;

export function rateLimitHeaders(d: RateDecision): Record<string, string> {
  return {
    "x-ratelimit-limit": String(d.limit),
    "x-ratelimit-remaining": String(d.remaining),
    "x-ratelimit-reset": String(d.resetSeconds),
  };
}

export class LimitGuard {
  readonly #deps: LimitGuardDeps;

  constructor(deps: LimitGuardDeps) {
    this.#deps = deps;
  }

  /** The request's concurrency slot (429 when the key has `max_concurrent` requests in flight). */
  enter(identity: KeyIdentity): Promise<Slot> {
    return takeSlot(this.#deps.store, identity, (err) => this.#deps.onSettleError?.(err));
  }

  /** Settled spend and tokens of a key or team this month (from the limit store, not the database). */
  usage(kind: "key" | "team", id: string, month: string) {
    return this.#deps.store.usage(kind, id, month);
  }

  /** A key's rate-limit allowance now, spending none of it. */
  rateState(identity: KeyIdentity, now: number): Promise<RateDecision> {
    return this.#deps.store.rateState(identity.key.id, identity.key.rateLimit, now);
  }

  /** Requests in flight for a key, on every instance sharing the store. */
  inFlight(keyId: string): Promise<number> {
    return this.#deps.store.inFlight(keyId);
  }

  /** The limit store's health: "ok" or "degraded: …". */
  status(): string {
    return this.#deps.store.status();
  }

  async admit(
    identity: KeyIdentity,
    /**
     * `maxTokens` is the client's cap or, when it named none, the model's maximum output; `free`
     * (local models) reserves nothing, as the spend row will cost nothing.
     */
    request: { model: string; bodyBytes: number; maxTokens: number; free?: boolean },
    now: number,
    /** false for a fallback attempt: the client's request was already counted once. */
    countRate = true,
  ): Promise<Admission> {
    const { key, team } = identity;
    const amountMicros = request.free
      ? 0
      : this.#deps.pricer.worstCaseCostMicros(
          request.model,
          estimateInputTokens(request.bodyBytes),
          request.maxTokens,
        );
    const plan = this.#deps.plansEnforced ? PLAN_BY_ID.get(team.plan) : undefined;
    const month = monthKey(now);
    const reservationId = Bun.randomUUIDv7();
    const { rate, budget } = await this.#deps.store.admit({
      reservationId,
      month,
      keyId: key.id,
      teamId: team.id,
      keyBudgetMicros: key.budgetMonthlyCents === null ? null : key.budgetMonthlyCents * 10_000,
      teamBudgetMicros: team.budgetMonthlyCents === null ? null : team.budgetMonthlyCents * 10_000,
      teamTokenCap: plan?.tokensPerMonth ?? null,
      amountMicros,
      rateLimit: countRate ? key.rateLimit : 0,
      now,
    });
    const headers = rateLimitHeaders(rate);
    if (!rate.allowed || !budget) {
      this.#deps.events?.rateLimited?.(identity, rate);
      throw rateLimited(
        `Rate limit of ${rate.limit} requests per minute exceeded for this key; retry in ${rate.retryAfterSeconds} s`,
        rate.retryAfterSeconds,
        headers,
      );
    }
    if (!budget.ok) throw refusal(budget, plan?.name ?? team.plan, headers);

    let settled = false;
    return {
      headers,
      settle: (costMicros, tokens) => {
        if (settled) return;
        settled = true;
        this.#deps.store
          .settle({ reservationId, month, keyId: key.id, teamId: team.id, amountMicros, costMicros, tokens })
          .then(() => this.#deps.events?.settled?.(identity, month, costMicros))
          .catch((err) => this.#deps.onSettleError?.(err));
      },
    };
  }
}

function refusal(
  result: Exclude<ReserveResult, { ok: true }>,
  planName: string,
  headers: Record<string, string>,
) {
  if (result.subject === "plan") {
    return forbidden(
      `Plan ${planName}: monthly token quota of ${result.tokenCap.toLocaleString("en-US")} tokens reached ` +
        `(${result.tokensUsed.toLocaleString("en-US")} used)`,
      "plan_limit_reached",
      headers,
    );
  }
  const which = result.subject === "key" ? "API key" : "team";
  const spent = result.spentMicros >= result.limitMicros;
  const message = spent
    ? `Monthly ${which} budget exceeded: spent ${usd(result.spentMicros)} of ${usd(result.limitMicros)}`
    : `Monthly ${which} budget nearly exhausted: spent ${usd(result.spentMicros)} of ${usd(result.limitMicros)}` +
      (result.reservedMicros > 0 ? ` with ${usd(result.reservedMicros)} held by requests in flight` : "") +
      "; this request's worst-case cost (from max_tokens) does not fit";
  return budgetExceeded(message, headers);
}
