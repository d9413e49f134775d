// Turns limit events into webhook alerts: budget thresholds crossed (70/90/100 %) and rate limits hit.
import type { Logger } from "../../log.ts";
import type { KeyIdentity } from "../../store/types.ts";
import type { RateDecision } from "../limits/gcra.ts";
import type { GuardEvents } from "../limits/guard.ts";
import type { LimitStore } from "../limits/types.ts";
import type { AlertDedup } from "./dedup.ts";
import type { WebhookDelivery, WebhookEvent } from "./delivery.ts";

export const THRESHOLDS = [70, 90, 100] as const;
const HOUR_MS = 3_600_000;

export interface AlertDeps {
  delivery: WebhookDelivery;
  dedup: AlertDedup;
  limits: LimitStore;
  now: () => number;
  log: Logger;
}

export class AlertNotifier implements GuardEvents {
  readonly #d: AlertDeps;

  constructor(deps: AlertDeps) {
    this.#d = deps;
  }

  rateLimited(identity: KeyIdentity, decision: RateDecision): void {
    void this.#emit(`rate_limit:key:${identity.key.id}`, {
      type: "rate_limit.exceeded",
      key: { id: identity.key.id, name: identity.key.name, prefix: identity.key.keyPrefix },
      team: { id: identity.team.id, name: identity.team.name },
      limit_per_minute: decision.limit,
      retry_after: decision.retryAfterSeconds,
    });
  }

  settled(identity: KeyIdentity, month: string, costMicros: number): void {
    if (costMicros <= 0) return;
    const { key, team } = identity;
    void this.#checkBudget("key", key.id, key.name, key.budgetMonthlyCents, month, costMicros, identity);
    void this.#checkBudget("team", team.id, team.name, team.budgetMonthlyCents, month, costMicros, identity);
  }

  async #checkBudget(
    kind: "key" | "team",
    id: string,
    name: string,
    budgetCents: number | null,
    month: string,
    costMicros: number,
    identity: KeyIdentity,
  ): Promise<void> {
    if (budgetCents === null || budgetCents <= 0) return;
    try {
      const budgetMicros = budgetCents * 10_000;
      const { spentMicros } = await this.#d.limits.usage(kind, id, month);
      const before = spentMicros - costMicros;
      for (const t of THRESHOLDS) {
        const line = (budgetMicros * t) / 100;
        if (before < line && spentMicros >= line) {
          await this.#emit(`budget:${kind}:${id}:${month}:${t}`, {
            type: "budget.threshold",
            threshold_percent: t,
            subject: { kind, id, name },
            team: { id: identity.team.id, name: identity.team.name },
            month,
            spent_micros: spentMicros,
            budget_micros: budgetMicros,
            budget_cents: budgetCents,
          });
        }
      }
    } catch (err) {
      this.#d.log.warn("budget alert check failed", { err: (err as Error).message });
    }
  }

  async #emit(dedupId: string, fields: Omit<WebhookEvent, "id" | "occurred_at">): Promise<void> {
    const now = this.#d.now();
    if (!(await this.#d.dedup.claim(dedupId, HOUR_MS, now))) return;
    this.#d.delivery.send({
      id: Bun.randomUUIDv7(),
      occurred_at: new Date(now).toISOString(),
      ...fields,
    } as WebhookEvent);
  }
}
