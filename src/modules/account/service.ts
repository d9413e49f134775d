// Account summary of a team: plan, tokens vs quota, spend vs budget, keys and users vs caps.
import type { Plan, Store, Team } from "../../store/types.ts";
import { StoreNotFoundError } from "../../store/types.ts";
import { assertSees, GLOBAL, type Scope } from "../auth/scope.ts";
import { monthStart, nextMonthStart } from "./month.ts";

export interface Progress {
  used: number;
  /** null = unlimited */
  limit: number | null;
  /** used / limit, or null when unlimited */
  fraction: number | null;
}

export interface AccountSummary {
  team: Team;
  plan: Plan | null;
  period: { from: string; to: string };
  tokens: Progress;
  spendMicros: Progress;
  keys: Progress;
  users: Progress;
  requests: number;
}

export const progress = (used: number, limit: number | null): Progress => ({
  used,
  limit,
  fraction: limit === null ? null : limit === 0 ? (used > 0 ? 1 : 0) : used / limit,
});

export async function accountSummary(
  store: Store,
  teamId: string,
  now: number,
  scope: Scope = GLOBAL,
): Promise<AccountSummary> {
  assertSees(scope, teamId, "team", teamId);
  const team = await store.teams.get(teamId);
  if (!team) throw new StoreNotFoundError("team", teamId);
  const from = monthStart(now);
  const to = nextMonthStart(now);
  const [plan, totals, keys, users] = await Promise.all([
    store.plans.get(team.plan),
    store.spend.totalsByTeam(from, to),
    store.keys.countActiveByTeam(teamId),
    store.users.countByTeam(teamId),
  ]);
  const spent = totals.get(teamId);
  const budgetMicros = team.budgetMonthlyCents === null ? null : team.budgetMonthlyCents * 10_000;
  return {
    team,
    plan,
    period: { from: from.toISOString(), to: to.toISOString() },
    tokens: progress((spent?.inputTokens ?? 0) + (spent?.outputTokens ?? 0), plan?.tokensPerMonth ?? null),
    spendMicros: progress(spent?.costMicros ?? 0, budgetMicros),
    keys: progress(keys, plan?.maxKeys ?? null),
    users: progress(users, plan?.maxUsers ?? null),
    requests: spent?.requests ?? 0,
  };
}
