// Inserts a key or user only while the team is under a cap, check and insert in one transaction per
// dialect, so creates racing on one gateway or many can never pass a plan's max_keys / max_users.
import { and, count, eq, sql } from "drizzle-orm";
import type { BunSQLiteDatabase } from "drizzle-orm/bun-sqlite";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import type * as pgSchema from "./schema/postgres.ts";
import type * as liteSchema from "./schema/sqlite.ts";
import { type ApiKey, StoreCapError, StoreNotFoundError, type User } from "./types.ts";

/** Complete rows (ids chosen by the caller). */
export type KeyRow = typeof pgSchema.apiKeys.$inferInsert & { id: string };
export type UserRow = typeof pgSchema.users.$inferInsert & { id: string };

export interface CappedWriter {
  /** Throws StoreCapError when the team already has `max` active keys. */
  key(row: KeyRow, teamId: string, max: number): Promise<ApiKey>;
  /** Throws StoreCapError when the team already has `max` users. */
  user(row: UserRow, max: number): Promise<User>;
}

function inserted<T>(row: T | undefined, entity: string, id: string): T {
  if (!row) throw new StoreNotFoundError(entity, id);
  return row;
}

/** SQLite: IMMEDIATE takes the database's write lock before the count, so the count cannot go stale. */
export function sqliteCapped(db: BunSQLiteDatabase<typeof liteSchema>, t: typeof liteSchema): CappedWriter {
  return {
    async key(row, teamId, max) {
      return db.transaction(
        (tx) => {
          const n = Number(
            tx
              .select({ n: count() })
              .from(t.apiKeys)
              .innerJoin(t.users, eq(t.users.id, t.apiKeys.userId))
              .where(and(eq(t.users.teamId, teamId), eq(t.apiKeys.isActive, true)))
              .get()?.n ?? 0,
          );
          if (n >= max) throw new StoreCapError(n);
          return inserted(tx.insert(t.apiKeys).values(row).returning().get(), "key", row.id);
        },
        { behavior: "immediate" },
      );
    },
    async user(row, max) {
      return db.transaction(
        (tx) => {
          const n = Number(
            tx.select({ n: count() }).from(t.users).where(eq(t.users.teamId, row.teamId)).get()?.n ?? 0,
          );
          if (n >= max) throw new StoreCapError(n);
          return inserted(tx.insert(t.users).values(row).returning().get(), "user", row.id);
        },
        { behavior: "immediate" },
      );
    },
  };
}

/** Postgres: the team's row is locked (FOR UPDATE) first, so creates for one team take turns. */
export function postgresCapped(db: PostgresJsDatabase<typeof pgSchema>, t: typeof pgSchema): CappedWriter {
  const lockTeam = (tx: Parameters<Parameters<typeof db.transaction>[0]>[0], teamId: string) =>
    tx.execute(sql`select ${t.teams.id} from ${t.teams} where ${t.teams.id} = ${teamId} for update`);
  return {
    key: (row, teamId, max) =>
      db.transaction(async (tx) => {
        await lockTeam(tx, teamId);
        const [c] = await tx
          .select({ n: count() })
          .from(t.apiKeys)
          .innerJoin(t.users, eq(t.users.id, t.apiKeys.userId))
          .where(and(eq(t.users.teamId, teamId), eq(t.apiKeys.isActive, true)));
        const n = Number(c?.n ?? 0);
        if (n >= max) throw new StoreCapError(n);
        const [key] = await tx.insert(t.apiKeys).values(row).returning();
        return inserted(key, "key", row.id);
      }),
    user: (row, max) =>
      db.transaction(async (tx) => {
        await lockTeam(tx, row.teamId);
        const [c] = await tx.select({ n: count() }).from(t.users).where(eq(t.users.teamId, row.teamId));
        const n = Number(c?.n ?? 0);
        if (n >= max) throw new StoreCapError(n);
        const [user] = await tx.insert(t.users).values(row).returning();
        return inserted(user, "user", row.id);
      }),
  };
}
