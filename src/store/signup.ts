// A signup's three inserts in one transaction, written per dialect: bun:sqlite transactions must be synchronous.
import type { BunSQLiteDatabase } from "drizzle-orm/bun-sqlite";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import type * as pgSchema from "./schema/postgres.ts";
import type * as liteSchema from "./schema/sqlite.ts";
import { type SignupResult, StoreNotFoundError } from "./types.ts";

/** The complete rows (ids chosen by the caller) a signup inserts. */
export interface SignupRows {
  team: { id: string; name: string; plan: string; budgetMonthlyCents: null };
  user: { id: string; email: string; name: string; teamId: string; role: "admin" };
  key: {
    id: string;
    userId: string;
    name: string;
    keyHash: string;
    keyPrefix: string;
    rateLimit: number;
    budgetMonthlyCents: null;
  };
}

export type SignupWriter = (rows: SignupRows) => Promise<SignupResult>;

function created<T>(row: T | undefined, entity: string, id: string): T {
  if (!row) throw new StoreNotFoundError(entity, id);
  return row;
}

/**
 * SQLite: drizzle's bun-sqlite transaction runs the callback inside bun:sqlite's native (synchronous)
 * transaction, so every statement uses the sync `.get()`; an async callback would commit too early
 * (drizzle issues #1472, #2275). IMMEDIATE takes the write lock up front instead of upgrading mid-way.
 */
export function sqliteSignup(db: BunSQLiteDatabase<typeof liteSchema>, t: typeof liteSchema): SignupWriter {
  return async (rows) =>
    db.transaction(
      (tx) => {
        const team = created(tx.insert(t.teams).values(rows.team).returning().get(), "team", rows.team.id);
        const user = created(tx.insert(t.users).values(rows.user).returning().get(), "user", rows.user.id);
        const key = created(tx.insert(t.apiKeys).values(rows.key).returning().get(), "key", rows.key.id);
        return { team, user, key };
      },
      { behavior: "immediate" },
    );
}

/** Postgres: an ordinary async transaction on one pooled connection; any failure rolls all three back. */
export function postgresSignup(db: PostgresJsDatabase<typeof pgSchema>, t: typeof pgSchema): SignupWriter {
  return (rows) =>
    db.transaction(async (tx) => {
      const [team] = await tx.insert(t.teams).values(rows.team).returning();
      const [user] = await tx.insert(t.users).values(rows.user).returning();
      const [key] = await tx.insert(t.apiKeys).values(rows.key).returning();
      return {
        team: created(team, "team", rows.team.id),
        user: created(user, "user", rows.user.id),
        key: created(key, "key", rows.key.id),
      };
    });
}
