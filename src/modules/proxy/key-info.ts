// GET /v1/key: a virtual key's own limits and usage this month, for the developer holding it (no admin).
import { PLANS } from "../../store/plans.ts";
import type { KeyIdentity } from "../../store/types.ts";
import { monthKey, monthStart, nextMonthStart } from "../account/month.ts";
import { keyStatus } from "../admin/views.ts";
import type { ProxyContext } from "./context.ts";

const PLAN_BY_ID = new Map(PLANS.map((p) => [p.id, p]));
const usd = (micros: number) => micros / 1_000_000;
const centsToMicros = (cents: number | null) => (cents === null ? null : cents * 10_000);

/**
 * OpenRouter's `GET /api/v1/key` fields first (`label`, `usage` and `limit` in USD, `limit_remaining`,
 * `is_free_tier`, `rate_limit`), then Snodus' own. Every figure comes from the key cache and the limit
 * store (memory or Redis), which already hold this month's totals: no database query per call.
 */
export async function keyInfo(ctx: ProxyContext, identity: KeyIdentity, now: number) {
  const { key, team } = identity;
  const month = monthKey(now);
  const [keyUsage, teamUsage, rate, inFlight] = await Promise.all([
    ctx.limits.usage("key", key.id, month),
    ctx.limits.usage("team", team.id, month),
    ctx.limits.rateState(identity, now),
    ctx.limits.inFlight(key.id),
  ]);
  const keyBudget = centsToMicros(key.budgetMonthlyCents);
  const teamBudget = centsToMicros(team.budgetMonthlyCents);
  const keyLeft = keyBudget === null ? null : Math.max(0, keyBudget - keyUsage.spentMicros);
  const teamLeft = teamBudget === null ? null : Math.max(0, teamBudget - teamUsage.spentMicros);
  // What this key can still spend: the tighter of its own budget and its team's.
  const left = keyLeft === null ? teamLeft : teamLeft === null ? keyLeft : Math.min(keyLeft, teamLeft);
  const limit = keyBudget ?? teamBudget;
  const plan = PLAN_BY_ID.get(team.plan);
  const tokenCap = plan?.tokensPerMonth ?? null;
  return {
    data: {
      label: key.name,
      usage: usd(keyUsage.spentMicros),
      limit: limit === null ? null : usd(limit),
      limit_remaining: left === null ? null : usd(left),
      is_free_tier: team.plan === "free",
      rate_limit: { requests: key.rateLimit, interval: "1m" },

      id: key.id,
      key_prefix: key.keyPrefix,
      status: keyStatus(key, now),
      expires_at: key.expiresAt?.toISOString() ?? null,
      user_id: key.userId,
      team_id: team.id,
      period: { month, from: monthStart(now).toISOString(), to: nextMonthStart(now).toISOString() },
      spend_micros: keyUsage.spentMicros,
      tokens: keyUsage.tokens,
      budget: {
        monthly_cents: key.budgetMonthlyCents,
        remaining_micros: keyLeft,
      },
      team: {
        name: team.name,
        budget_monthly_cents: team.budgetMonthlyCents,
        spend_micros: teamUsage.spentMicros,
        tokens: teamUsage.tokens,
        remaining_micros: teamLeft,
      },
      rate_limit_state: { limit: rate.limit, remaining: rate.remaining, reset_seconds: rate.resetSeconds },
      concurrency: { max_concurrent: key.maxConcurrent, in_flight: inFlight },
      allowed_models: { key: key.allowedModels, team: team.allowedModels },
      plan: {
        id: team.plan,
        name: plan?.name ?? team.plan,
        enforced: ctx.config.featurePlans,
        tokens_per_month: tokenCap,
        tokens_used: teamUsage.tokens,
        tokens_remaining: tokenCap === null ? null : Math.max(0, tokenCap - teamUsage.tokens),
      },
    },
  };
}
