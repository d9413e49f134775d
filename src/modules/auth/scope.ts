// Who an admin request acts for: the global administrator sees every team, a team admin only their own.
import { StoreNotFoundError } from "../../store/types.ts";

export type Scope = { kind: "global" } | { kind: "team"; teamId: string; userId: string };

/** The global administrator (Basic auth, or the CLI, which runs with the database's own rights). */
export const GLOBAL: Scope = { kind: "global" };

/** The actor is known but may not do this (escalation attempts); HTTP answers 403. */
export class ForbiddenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ForbiddenError";
  }
}

/** Whether a row of team `teamId` is visible in this scope. */
export function sees(scope: Scope, teamId: string): boolean {
  return scope.kind === "global" || scope.teamId === teamId;
}

/**
 * Another team's rows answer exactly like rows that do not exist (404), so a team admin cannot even
 * learn which ids are taken.
 */
export function assertSees(scope: Scope, teamId: string, entity: string, id: string): void {
  if (!sees(scope, teamId)) throw new StoreNotFoundError(entity, id);
}

/**
 * The team a list or report is narrowed to: a team admin always gets their own team (asking for another
 * one is a 404, as for any id); the global administrator gets what was asked, or every team.
 */
export function teamFilter(scope: Scope, requested?: string): string | undefined {
  if (scope.kind === "global") return requested;
  if (requested !== undefined && requested !== scope.teamId) throw new StoreNotFoundError("team", requested);
  return scope.teamId;
}

export function requireGlobal(scope: Scope, what: string): void {
  if (scope.kind !== "global") throw new ForbiddenError(`Only the global administrator can ${what}`);
}
