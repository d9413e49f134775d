// Plan caps on users and keys (SNODUS_FEATURES_PLANS): checked before anything is created.
import { PLANS } from "../../store/plans.ts";
import type { Store } from "../../store/types.ts";

/** A plan forbids what was asked; the CLI prints it, HTTP routes answer 403. */
export class PlanLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PlanLimitError";
  }
}

const PLAN_BY_ID = new Map(PLANS.map((p) => [p.id, p]));

export async function assertCanAddKey(store: Store, teamId: string): Promise<void> {
  const team = await store.teams.get(teamId);
  const plan = team ? PLAN_BY_ID.get(team.plan) : undefined;
  if (!plan || plan.maxKeys === null) return;
  const active = await store.keys.countActiveByTeam(teamId);
  if (active >= plan.maxKeys) {
    throw new PlanLimitError(
      `Plan ${plan.name} allows ${plan.maxKeys} active key(s) per team; this team has ${active}`,
    );
  }
}

export async function assertCanAddUser(store: Store, teamId: string): Promise<void> {
  const team = await store.teams.get(teamId);
  const plan = team ? PLAN_BY_ID.get(team.plan) : undefined;
  if (!plan || plan.maxUsers === null) return;
  const users = await store.users.countByTeam(teamId);
  if (users >= plan.maxUsers) {
    throw new PlanLimitError(
      `Plan ${plan.name} allows ${plan.maxUsers} user(s) per team; this team has ${users}`,
    );
  }
}
