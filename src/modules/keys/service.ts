// Key lifecycle shared by the CLI and the admin API: create, list, update, rotate, revoke — within a scope.

import type {
  ApiKey,
  KeyIdentity,
  KeyListFilter,
  KeyPatch,
  Page,
  Paged,
  Store,
  TeamKey,
} from "../../store/types.ts";
import { StoreNotFoundError } from "../../store/types.ts";
import { validBudgetCents, validRateLimit } from "../account/ranges.ts";
import { assertSees, ForbiddenError, GLOBAL, type Scope, teamFilter } from "../auth/scope.ts";
import { validAllowedModels } from "../models/allow-list.ts";
import { planCap, withinCap } from "../plans/caps.ts";
import { ValidationError } from "../users/service.ts";
import { generateKey } from "./secret.ts";

/** How long a rotated-out key keeps working, so clients can switch without downtime. */
export const ROTATION_GRACE_MS = 24 * 60 * 60 * 1000;

export interface CreateKeyInput {
  userId: string;
  name: string;
  rateLimit?: number;
  budgetMonthlyCents?: number | null;
  /** Models the key may use (exact names or `prefix*`); null/absent = every model its team allows. */
  allowedModels?: string[] | null;
  /** Requests the key may have in flight at once; null/absent = no cap. */
  maxConcurrent?: number | null;
  /** Refuse when the team's plan has no key left (SNODUS_FEATURES_PLANS). */
  enforcePlan?: boolean;
  /** Who asks; a team admin may only give keys to their own team's users, within the team's budget. */
  scope?: Scope;
}

export interface CreatedKey {
  key: ApiKey;
  /** Shown once; never stored. */
  secret: string;
}

export async function createKey(store: Store, input: CreateKeyInput): Promise<CreatedKey> {
  const scope = input.scope ?? GLOBAL;
  const user = await store.users.get(input.userId);
  if (!user) throw new StoreNotFoundError("user", input.userId);
  assertSees(scope, user.teamId, "user", input.userId);
  const name = validKeyName(input.name);
  validRateLimit(input.rateLimit);
  validBudgetCents(input.budgetMonthlyCents);
  const allowedModels = validAllowedModels(input.allowedModels ?? null);
  const maxConcurrent = validMaxConcurrent(input.maxConcurrent ?? null);
  if (scope.kind === "team") await assertWithinTeamBudget(store, user.teamId, input.budgetMonthlyCents);
  const cap = input.enforcePlan ? await planCap(store, user.teamId, "maxKeys") : null;
  const generated = generateKey();
  const key = await withinCap(cap, "active key(s)", () =>
    store.keys.create(
      {
        userId: input.userId,
        name,
        keyHash: generated.hash,
        keyPrefix: generated.prefix,
        rateLimit: input.rateLimit,
        budgetMonthlyCents: input.budgetMonthlyCents,
        allowedModels,
        maxConcurrent,
      },
      cap ? { teamId: user.teamId, max: cap.max } : undefined,
    ),
  );
  return { key, secret: generated.secret };
}

/** A key the scope may see, with its user and team; another team's key is "not found". */
export async function findKey(store: Store, scope: Scope, id: string): Promise<KeyIdentity> {
  const [identity] = await store.keys.identitiesByIds([id]);
  if (!identity) throw new StoreNotFoundError("key", id);
  assertSees(scope, identity.team.id, "key", id);
  return identity;
}

export async function listKeys(
  store: Store,
  scope: Scope,
  filter: KeyListFilter,
  page: Page,
): Promise<Paged<TeamKey>> {
  const teamId = teamFilter(scope, filter.teamId);
  // Another team's user is "not found" here too, rather than an empty list that confirms the id.
  if (filter.userId && scope.kind === "team") {
    const user = await store.users.get(filter.userId);
    if (!user) throw new StoreNotFoundError("user", filter.userId);
    assertSees(scope, user.teamId, "user", filter.userId);
  }
  return store.keys.listPage({ ...filter, teamId }, page);
}

/** Name, limits and allowed models only: a key never changes owner (and so never changes team). */
export async function updateKey(store: Store, scope: Scope, id: string, patch: KeyPatch): Promise<TeamKey> {
  const { team } = await findKey(store, scope, id);
  const clean: KeyPatch = {};
  if (patch.name !== undefined) clean.name = validKeyName(patch.name);
  if (patch.rateLimit !== undefined) clean.rateLimit = validRateLimit(patch.rateLimit);
  if (patch.budgetMonthlyCents !== undefined) {
    validBudgetCents(patch.budgetMonthlyCents);
    if (scope.kind === "team") await assertWithinTeamBudget(store, team.id, patch.budgetMonthlyCents);
    clean.budgetMonthlyCents = patch.budgetMonthlyCents;
  }
  if (patch.allowedModels !== undefined) clean.allowedModels = validAllowedModels(patch.allowedModels);
  if (patch.maxConcurrent !== undefined) clean.maxConcurrent = validMaxConcurrent(patch.maxConcurrent);
  return { key: await store.keys.update(id, clean), teamId: team.id };
}

/** Revocation is immediate and final; revoking twice is harmless. */
export async function revokeKey(store: Store, scope: Scope, id: string): Promise<TeamKey> {
  const { team } = await findKey(store, scope, id);
  return { key: await store.keys.revoke(id), teamId: team.id };
}

/** Issues a replacement with the same settings; the old key stays valid for ROTATION_GRACE_MS. */
export async function rotateKey(
  store: Store,
  id: string,
  now = new Date(),
  scope: Scope = GLOBAL,
): Promise<CreatedKey & { old: ApiKey }> {
  const { key: old } = await findKey(store, scope, id);
  // A replacement of a revoked key would bring it back to life.
  if (!old.isActive) throw new ForbiddenError(`Key ${id} is revoked; create a new key instead`);
  const next = await createKey(store, {
    userId: old.userId,
    name: old.name,
    rateLimit: old.rateLimit,
    budgetMonthlyCents: old.budgetMonthlyCents,
    allowedModels: old.allowedModels,
    maxConcurrent: old.maxConcurrent,
  });
  const expiresAt = new Date(now.getTime() + ROTATION_GRACE_MS);
  // Never extend an expiry that was already sooner (rotating twice must not revive a key).
  const effective = old.expiresAt && old.expiresAt < expiresAt ? old.expiresAt : expiresAt;
  await store.keys.markRotated(id, next.key.id, effective);
  return { ...next, old: { ...old, replacedBy: next.key.id, expiresAt: effective } };
}

function validMaxConcurrent(n: number | null): number | null {
  if (n === null) return null;
  if (!Number.isInteger(n) || n < 1)
    throw new ValidationError("max_concurrent", "must be a positive integer");
  return n;
}

function validKeyName(name: string): string {
  const clean = name.trim();
  if (!clean) throw new ValidationError("name", "must not be empty");
  return clean;
}

/**
 * A team admin cannot hand out more than the team may spend. A key without its own budget is fine:
 * the team's budget still caps it.
 */
async function assertWithinTeamBudget(store: Store, teamId: string, cents: number | null | undefined) {
  if (cents === null || cents === undefined) return;
  const team = await store.teams.get(teamId);
  const teamCents = team?.budgetMonthlyCents ?? null;
  if (teamCents !== null && cents > teamCents)
    throw new ForbiddenError(
      `A key's budget (${cents} cents) cannot exceed its team's monthly budget (${teamCents} cents)`,
    );
}
