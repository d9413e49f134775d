// Store rows as the admin API shows them: snake_case, ISO timestamps, never a key's hash or secret.
import type { ProviderStatus } from "../../providers/registry.ts";
import type { ApiKey, Plan, Team, TeamKey, User } from "../../store/types.ts";
import type { AccountSummary, Progress } from "../account/service.ts";

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export type KeyStatus = "active" | "expiring" | "expired" | "revoked";

export function keyStatus(key: ApiKey, now: number): KeyStatus {
  if (!key.isActive) return "revoked";
  if (!key.expiresAt) return "active";
  return key.expiresAt.getTime() <= now ? "expired" : "expiring";
}

export function keyView({ key, teamId }: TeamKey, now: number) {
  return {
    id: key.id,
    name: key.name,
    key_prefix: key.keyPrefix,
    user_id: key.userId,
    team_id: teamId,
    rate_limit: key.rateLimit,
    budget_monthly_cents: key.budgetMonthlyCents,
    allowed_models: key.allowedModels,
    max_concurrent: key.maxConcurrent,
    status: keyStatus(key, now),
    is_active: key.isActive,
    expires_at: iso(key.expiresAt),
    replaced_by: key.replacedBy,
    last_used_at: iso(key.lastUsedAt),
    created_at: key.createdAt.toISOString(),
  };
}

export function userView(user: User) {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    team_id: user.teamId,
    role: user.role,
    is_active: user.isActive,
    created_at: user.createdAt.toISOString(),
  };
}

export function teamView(team: Team) {
  return {
    id: team.id,
    name: team.name,
    plan: team.plan,
    budget_monthly_cents: team.budgetMonthlyCents,
    allowed_models: team.allowedModels,
    created_at: team.createdAt.toISOString(),
  };
}

export function planView(plan: Plan) {
  return {
    id: plan.id,
    name: plan.name,
    price_cents: plan.priceCents,
    tokens_per_month: plan.tokensPerMonth,
    max_users: plan.maxUsers,
    max_keys: plan.maxKeys,
  };
}

const scaled = (p: Progress, divisor: number): Progress => ({
  used: p.used / divisor,
  limit: p.limit === null ? null : p.limit / divisor,
  fraction: p.fraction,
});

export function accountView(a: AccountSummary) {
  return {
    team: teamView(a.team),
    plan: a.plan ? planView(a.plan) : null,
    period: a.period,
    tokens: a.tokens,
    spend_micros: a.spendMicros,
    spend_cents: scaled(a.spendMicros, 10_000),
    keys: a.keys,
    users: a.users,
    requests: a.requests,
  };
}

/** The list envelope every paginated route answers with. */
export const pageOf = <T>(data: T[], total: number, page: { limit: number; offset: number }) => ({
  data,
  total,
  limit: page.limit,
  offset: page.offset,
});

/** A provider as `/admin/providers` and `snodus providers --json` show it (the same fields, snake_case). */
export function providerView(p: ProviderStatus) {
  return {
    name: p.name,
    configured: p.configured,
    reachable: p.reachable,
    upstream_url: p.upstreamUrl,
    models: p.models,
    deployments: p.deployments.map((d) => ({
      name: d.name,
      upstream_url: d.upstreamUrl,
      reachable: d.reachable,
      weight: d.weight,
      healthy: d.healthy,
      failures: d.failures,
      cooling_until: d.coolingUntil === null ? null : new Date(d.coolingUntil).toISOString(),
    })),
  };
}
