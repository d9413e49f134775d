// Opens the store named by DATABASE_URL: bun:sqlite file (default) or Postgres; migrates and seeds.
import { Database } from "bun:sqlite";
import { drizzle as drizzleSqlite } from "drizzle-orm/bun-sqlite";
import { drizzle as drizzlePg } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import type { StoreLocation } from "../config/database-url.ts";
import { postgresCapped, sqliteCapped } from "./capped.ts";
import { toMigrationMeta } from "./migrations/embed.ts";
import { postgresMigrations, sqliteMigrations } from "./migrations.gen.ts";
import { createRepository, type QueryDb, seedPlans } from "./repository.ts";
import * as pgSchema from "./schema/postgres.ts";
import * as liteSchema from "./schema/sqlite.ts";
import { postgresSignup, sqliteSignup } from "./signup.ts";
import { postgresSpendWriter, sqliteSpendWriter } from "./spend-writer.ts";
import type { Store } from "./types.ts";

// drizzle keeps its migration runner on the dialect object; it is public in practice but not typed.
interface Migratable {
  dialect: { migrate(m: unknown, session: unknown, cfg: unknown): unknown };
  session: unknown;
}

export async function openStore(location: StoreLocation): Promise<Store> {
  if (location.kind === "postgres") return openPostgres(location.url);
  return openSqlite(location.path);
}

async function openSqlite(path: string): Promise<Store> {
  const client = new Database(path, { create: true, strict: true });
  // WAL lets the CLI read while `serve` writes; busy_timeout waits out a concurrent writer.
  client.exec("PRAGMA journal_mode = WAL");
  client.exec("PRAGMA busy_timeout = 5000");
  client.exec("PRAGMA synchronous = NORMAL");
  client.exec("PRAGMA foreign_keys = ON");
  const db = drizzleSqlite(client, { schema: liteSchema });
  const m = db as unknown as Migratable;
  m.dialect.migrate(toMigrationMeta(sqliteMigrations), m.session, { migrationsFolder: "" });
  // The SQLite query builders accept every call the repository makes; the repository is
  // typed against the Postgres builders and both dialects run the same store test suite.
  await seedPlans(db as unknown as QueryDb, liteSchema as unknown as typeof pgSchema);
  return createRepository({
    dialect: "sqlite",
    db: db as unknown as QueryDb,
    tables: liteSchema as unknown as typeof pgSchema,
    signup: sqliteSignup(db, liteSchema),
    capped: sqliteCapped(db, liteSchema),
    insertSpend: sqliteSpendWriter(client, liteSchema.spendLog),
    close: async () => client.close(),
    ping: async () => {
      client.query("SELECT 1").get();
    },
  });
}

async function openPostgres(url: string): Promise<Store> {
  const client = postgres(url, {
    max: 10,
    onnotice: () => {},
    connect_timeout: 5,
    // postgres.js waits up to 20 s between reconnects after repeated failures (3^n/100 s); after an
    // outage that wait, not the database, kept requests stalled. Capped at 1 s, recovery follows the
    // database within about a second.
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 1),
  });
  const db = drizzlePg(client, { schema: pgSchema });
  const m = db as unknown as Migratable;
  await m.dialect.migrate(toMigrationMeta(postgresMigrations), m.session, { migrationsFolder: "" });
  await seedPlans(db as unknown as QueryDb, pgSchema);
  return createRepository({
    dialect: "postgres",
    db: db as unknown as QueryDb,
    tables: pgSchema,
    signup: postgresSignup(db, pgSchema),
    capped: postgresCapped(db, pgSchema),
    insertSpend: postgresSpendWriter(client, pgSchema.spendLog),
    close: async () => {
      await client.end({ timeout: 5 });
    },
    ping: async () => {
      await client`SELECT 1`;
    },
  });
}
