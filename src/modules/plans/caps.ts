// Plan caps on users and keys (SNODUS_FEATURES_PLANS): the store checks the count and inserts in one
// transaction (store/capped.ts), so parallel creates on one gateway or many never pass the cap.
import { PLANS } from "../../store/plans.ts";
import { type Store, StoreCapError } from "../../store/types.ts";

/** A plan forbids what was asked; the CLI prints it, HTTP routes answer 403. */
export class PlanLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PlanLimitError";
  }
}

const PLAN_BY_ID = new Map(PLANS.map((p) => [p.id, p]));

interface Cap {
  max: number;
  plan: string;
}

/** The team's plan's cap on keys or users, or null when it has none (unlimited, or no plan). */
export async function planCap(
  store: Store,
  teamId: string,
  what: "maxKeys" | "maxUsers",
): Promise<Cap | null> {
  const team = await store.teams.get(teamId);
  const plan = team ? PLAN_BY_ID.get(team.plan) : undefined;
  const max = plan?.[what] ?? null;
  return plan && max !== null ? { max, plan: plan.name } : null;
}

/** Runs a capped insert, turning "cap reached" into the plan's own message. */
export async function withinCap<T>(cap: Cap | null, noun: string, insert: () => Promise<T>): Promise<T> {
  try {
    return await insert();
  } catch (err) {
    if (cap && err instanceof StoreCapError)
      throw new PlanLimitError(
        `Plan ${cap.plan} allows ${cap.max} ${noun} per team; this team has ${err.count}`,
      );
    throw err;
  }
}
