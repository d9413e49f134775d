// User rules shared by the CLI and the admin API: validation, plan caps and team scope.
import type { ListFilter, Page, Paged, Role, Store, User, UserPatch } from "../../store/types.ts";
import { StoreNotFoundError } from "../../store/types.ts";
import { assertSees, ForbiddenError, GLOBAL, type Scope, teamFilter } from "../auth/scope.ts";
import { planCap, withinCap } from "../plans/caps.ts";

// Deliberately simple: one @, no spaces, a dot in the domain. Real verification is out of scope.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export class ValidationError extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field} ${reason}`);
    this.name = "ValidationError";
  }
}

export function validEmail(email: string): string {
  const e = email.trim().toLowerCase();
  if (!EMAIL.test(e) || e.length > 254)
    throw new ValidationError("email", `is not a valid address ("${email}")`);
  return e;
}

export function validRole(role: string | undefined): Role {
  if (role === undefined || role === "member") return "member";
  if (role === "admin") return "admin";
  throw new ValidationError("role", `must be admin or member (got "${role}")`);
}

export async function createUser(
  store: Store,
  input: {
    email: string;
    name: string;
    /** Optional for a team admin (their own team); required otherwise. */
    teamId?: string;
    role?: string;
    enforcePlan?: boolean;
    scope?: Scope;
  },
): Promise<User> {
  const scope = input.scope ?? GLOBAL;
  const email = validEmail(input.email);
  const name = input.name.trim();
  if (!name) throw new ValidationError("name", "must not be empty");
  const teamId = input.teamId ?? (scope.kind === "team" ? scope.teamId : undefined);
  if (!teamId) throw new ValidationError("team_id", "is required");
  assertSees(scope, teamId, "team", teamId);
  const team = await store.teams.get(teamId);
  if (!team) throw new StoreNotFoundError("team", teamId);
  const cap = input.enforcePlan ? await planCap(store, team.id, "maxUsers") : null;
  // A team admin may make other admins of their own team; every admin is confined to their team, so
  // no role this creates reaches beyond it (the global administrator exists only as Basic auth).
  return withinCap(cap, "user(s)", () =>
    store.users.create(
      { email, name, teamId: team.id, role: validRole(input.role) },
      cap ? { max: cap.max } : undefined,
    ),
  );
}

export function listUsers(store: Store, scope: Scope, filter: ListFilter, page: Page): Promise<Paged<User>> {
  return store.users.listPage({ ...filter, teamId: teamFilter(scope, filter.teamId) }, page);
}

/**
 * Name, role and active flag of a user the scope may see. A team admin manages their own team's users
 * but cannot demote or deactivate themselves (it would lock the team's admin out mid-session; another
 * admin or the global administrator can).
 */
export async function updateUser(
  store: Store,
  scope: Scope,
  id: string,
  patch: { name?: string; role?: string; active?: boolean },
): Promise<User> {
  const user = await store.users.get(id);
  if (!user) throw new StoreNotFoundError("user", id);
  assertSees(scope, user.teamId, "user", id);
  const clean: UserPatch = {};
  if (patch.name !== undefined) {
    clean.name = patch.name.trim();
    if (!clean.name) throw new ValidationError("name", "must not be empty");
  }
  if (patch.role !== undefined) clean.role = validRole(patch.role);
  if (patch.active !== undefined) clean.isActive = patch.active;
  const self = scope.kind === "team" && scope.userId === id;
  if (self && ((clean.role && clean.role !== user.role) || clean.isActive === false))
    throw new ForbiddenError("A team admin cannot demote or deactivate themselves");
  return store.users.update(id, clean);
}
