// Team rules shared by the CLI and the admin API: validation, scope, and who may change plans.

import { PLAN_IDS } from "../../store/plans.ts";
import type { Page, Paged, Store, Team, TeamPatch } from "../../store/types.ts";
import { StoreNotFoundError } from "../../store/types.ts";
import { validBudgetCents } from "../account/ranges.ts";
import { assertSees, ForbiddenError, GLOBAL, requireGlobal, type Scope, teamFilter } from "../auth/scope.ts";
import { validAllowedModels } from "../models/allow-list.ts";
import { ValidationError } from "../users/service.ts";

export function validPlan(plan: string): string {
  if (!PLAN_IDS.includes(plan))
    throw new ValidationError("plan", `must be one of ${PLAN_IDS.join(", ")} (got "${plan}")`);
  return plan;
}

export async function createTeam(
  store: Store,
  input: { name: string; budgetMonthlyCents?: number | null; plan?: string; allowedModels?: string[] | null },
  scope: Scope = GLOBAL,
): Promise<Team> {
  requireGlobal(scope, "create teams");
  const name = input.name.trim();
  if (!name) throw new ValidationError("name", "must not be empty");
  return store.teams.create({
    name,
    budgetMonthlyCents: validBudgetCents(input.budgetMonthlyCents ?? null),
    plan: validPlan(input.plan ?? "free"),
    allowedModels: validAllowedModels(input.allowedModels ?? null),
  });
}

export async function updateTeam(store: Store, id: string, patch: TeamPatch): Promise<Team> {
  const clean: TeamPatch = {};
  if (patch.name !== undefined) {
    clean.name = patch.name.trim();
    if (!clean.name) throw new ValidationError("name", "must not be empty");
  }
  if (patch.budgetMonthlyCents !== undefined)
    clean.budgetMonthlyCents = validBudgetCents(patch.budgetMonthlyCents);
  if (patch.plan !== undefined) clean.plan = validPlan(patch.plan);
  if (patch.allowedModels !== undefined) clean.allowedModels = validAllowedModels(patch.allowedModels);
  return store.teams.update(id, clean);
}

/**
 * A team's model allow-list is set by the global administrator only: a team admin lifting it would
 * undo the restriction. (Keys can be narrowed further by the team admin; both lists must allow a model.)
 */
export async function setTeamAllowedModels(
  store: Store,
  scope: Scope,
  id: string,
  allowedModels: string[] | null,
): Promise<Team> {
  await findTeam(store, scope, id);
  requireGlobal(scope, "change a team's allowed models");
  return updateTeam(store, id, { allowedModels });
}

/** A team the scope may see; another team is "not found". */
export async function findTeam(store: Store, scope: Scope, id: string): Promise<Team> {
  assertSees(scope, id, "team", id);
  const team = await store.teams.get(id);
  if (!team) throw new StoreNotFoundError("team", id);
  return team;
}

export function listTeams(store: Store, scope: Scope, page: Page): Promise<Paged<Team>> {
  return store.teams.listPage({ teamId: teamFilter(scope) }, page);
}

/**
 * Plans are billing: only the global administrator changes them (a team admin upgrading their own
 * team would lift its quotas for free). Another team's id is still a 404 before that 403.
 */
export async function changePlan(store: Store, scope: Scope, id: string, plan: string): Promise<Team> {
  await findTeam(store, scope, id);
  requireGlobal(scope, "change a team's plan");
  return updateTeam(store, id, { plan });
}

/**
 * Name and monthly budget of a team the scope may see. A team admin may rename their team and lower
 * (or set) its budget, never raise it or lift it: the budget is the global administrator's limit on them.
 */
export async function patchTeam(
  store: Store,
  scope: Scope,
  id: string,
  patch: { name?: string; budgetMonthlyCents?: number | null },
): Promise<Team> {
  const team = await findTeam(store, scope, id);
  if (scope.kind === "team" && patch.budgetMonthlyCents !== undefined) {
    const next = patch.budgetMonthlyCents;
    const now = team.budgetMonthlyCents;
    const raises = now !== null && (next === null || next > now);
    if (raises) throw new ForbiddenError("A team admin cannot raise their own team's budget");
  }
  if (patch.budgetMonthlyCents !== undefined && patch.budgetMonthlyCents !== null) {
    if (!Number.isInteger(patch.budgetMonthlyCents) || patch.budgetMonthlyCents < 0)
      throw new ValidationError("budget_monthly_cents", "must be a whole number of cents ≥ 0, or null");
  }
  return updateTeam(store, id, { name: patch.name, budgetMonthlyCents: patch.budgetMonthlyCents });
}
