// Opens a bun:sqlite connection as a Store on the calling thread; the worker (store-worker.ts) runs this.
import { Database } from "bun:sqlite";
import { drizzle as drizzleSqlite } from "drizzle-orm/bun-sqlite";
import { sqliteCapped } from "./capped.ts";
import { sqliteLatencyRollup } from "./latency-rollup.ts";
import { toMigrationMeta } from "./migrations/embed.ts";
import { sqliteMigrations } from "./migrations.gen.ts";
import { createRepository, type QueryDb, seedPlans } from "./repository.ts";
import type * as pgSchema from "./schema/postgres.ts";
import * as liteSchema from "./schema/sqlite.ts";
import { sqliteSignup } from "./signup.ts";
import { sqliteSpendWriter } from "./spend-writer.ts";
import type { Store } from "./types.ts";

// drizzle keeps its migration runner on the dialect object; it is public in practice but not typed.
interface Migratable {
  dialect: { migrate(m: unknown, session: unknown, cfg: unknown): unknown };
  session: unknown;
}

export interface SqliteOpenOptions {
  /** Apply the embedded migrations and seed the plans (the first connection of a process does). */
  migrate: boolean;
  /** Refuse writes on this connection (the read lanes). */
  readOnly?: boolean;
  /** How long a statement waits for another connection's write lock before SQLITE_BUSY. */
  busyTimeoutMs?: number;
}

export async function openSqliteDirect(path: string, opts: SqliteOpenOptions): Promise<Store> {
  const client = new Database(path, { create: true, strict: true });
  // The busy timeout first: switching a new file to WAL takes a lock that another process opening the
  // same file at that moment (a replica, a CLI command) may hold, and must be waited for, not refused.
  client.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(opts.busyTimeoutMs ?? 5000))}`);
  // WAL lets readers (other lanes, the CLI) read while one connection writes.
  client.exec("PRAGMA journal_mode = WAL");
  client.exec("PRAGMA synchronous = NORMAL");
  client.exec("PRAGMA foreign_keys = ON");
  const db = drizzleSqlite(client, { schema: liteSchema });
  if (opts.migrate) {
    const m = db as unknown as Migratable;
    const migrate = () =>
      m.dialect.migrate(toMigrationMeta(sqliteMigrations), m.session, { migrationsFolder: "" });
    try {
      migrate();
    } catch {
      // Two processes opening a new file at once (replicas, `serve` and a CLI command) both find it
      // unmigrated: drizzle reads the applied migrations before taking the write lock, so the loser
      // fails on a table the winner created. Waiting for the write lock waits out the winner's
      // transaction; after it nothing is left to apply, and a real failure fails again here.
      client.exec("BEGIN IMMEDIATE");
      client.exec("COMMIT");
      migrate();
    }
  }
  // The SQLite query builders accept every call the repository makes; the repository is
  // typed against the Postgres builders and both dialects run the same store test suite.
  if (opts.migrate) await seedPlans(db as unknown as QueryDb, liteSchema as unknown as typeof pgSchema);
  const latency = sqliteLatencyRollup(client);
  // A database from before the rollup gets it computed once, on the connection that migrates.
  if (opts.migrate) latency.backfillIfEmpty();
  if (opts.readOnly) client.exec("PRAGMA query_only = ON");
  return createRepository({
    dialect: "sqlite",
    db: db as unknown as QueryDb,
    tables: liteSchema as unknown as typeof pgSchema,
    signup: sqliteSignup(db, liteSchema),
    capped: sqliteCapped(db, liteSchema),
    insertSpend: sqliteSpendWriter(client, liteSchema, latency),
    rebuildLatency: async () => latency.rebuild(),
    close: async () => client.close(),
    ping: async () => {
      client.query("SELECT 1").get();
    },
  });
}
