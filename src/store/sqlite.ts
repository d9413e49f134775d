// Opens a bun:sqlite connection as a Store on the calling thread; the worker (sqlite-worker.ts) runs this.
import { Database } from "bun:sqlite";
import { drizzle as drizzleSqlite } from "drizzle-orm/bun-sqlite";
import { sqliteCapped } from "./capped.ts";
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
  // WAL lets readers (other lanes, the CLI) read while one connection writes.
  client.exec("PRAGMA journal_mode = WAL");
  client.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(opts.busyTimeoutMs ?? 5000))}`);
  client.exec("PRAGMA synchronous = NORMAL");
  client.exec("PRAGMA foreign_keys = ON");
  const db = drizzleSqlite(client, { schema: liteSchema });
  if (opts.migrate) {
    const m = db as unknown as Migratable;
    m.dialect.migrate(toMigrationMeta(sqliteMigrations), m.session, { migrationsFolder: "" });
  }
  // The SQLite query builders accept every call the repository makes; the repository is
  // typed against the Postgres builders and both dialects run the same store test suite.
  if (opts.migrate) await seedPlans(db as unknown as QueryDb, liteSchema as unknown as typeof pgSchema);
  if (opts.readOnly) client.exec("PRAGMA query_only = ON");
  return createRepository({
    dialect: "sqlite",
    db: db as unknown as QueryDb,
    tables: liteSchema as unknown as typeof pgSchema,
    signup: sqliteSignup(db, liteSchema),
    capped: sqliteCapped(db, liteSchema),
    insertSpend: sqliteSpendWriter(client, liteSchema),
    close: async () => client.close(),
    ping: async () => {
      client.query("SELECT 1").get();
    },
  });
}
