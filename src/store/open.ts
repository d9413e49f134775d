// Opens the store named by DATABASE_URL: bun:sqlite file (default, behind worker threads) or Postgres.
import { drizzle as drizzlePg } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import type { StoreLocation } from "../config/database-url.ts";
import { postgresCapped } from "./capped.ts";
import { postgresLatencyRollup } from "./latency-rollup.ts";
import { toMigrationMeta } from "./migrations/embed.ts";
import { postgresMigrations } from "./migrations.gen.ts";
import { createRepository, type QueryDb, seedPlans } from "./repository.ts";
import * as pgSchema from "./schema/postgres.ts";
import { postgresSignup } from "./signup.ts";
import { postgresSpendWriter } from "./spend-writer.ts";
import { openSqliteDirect } from "./sqlite.ts";
import type { Store } from "./types.ts";
import { openSqliteWorkers } from "./worker-store.ts";

// drizzle keeps its migration runner on the dialect object; it is public in practice but not typed.
interface Migratable {
  dialect: { migrate(m: unknown, session: unknown, cfg: unknown): unknown };
  session: unknown;
}

export interface OpenOptions {
  /**
   * SQLite only: run queries on the calling thread instead of worker threads. For tools with no event
   * loop to protect; `serve` always uses the workers.
   */
  inline?: boolean;
}

export async function openStore(location: StoreLocation, opts: OpenOptions = {}): Promise<Store> {
  if (location.kind === "postgres") return openPostgres(location.url);
  if (opts.inline) return openSqliteDirect(location.path, { migrate: true });
  return openSqliteWorkers(location.path);
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
  const latency = postgresLatencyRollup(client);
  await oneAtATime(client, async () => {
    await m.dialect.migrate(toMigrationMeta(postgresMigrations), m.session, { migrationsFolder: "" });
    await seedPlans(db as unknown as QueryDb, pgSchema);
    // A database from before the rollup gets it computed once (the first gateway to start does it).
    await latency.backfillIfEmpty();
  });
  return createRepository({
    dialect: "postgres",
    db: db as unknown as QueryDb,
    tables: pgSchema,
    signup: postgresSignup(db, pgSchema),
    capped: postgresCapped(db, pgSchema),
    insertSpend: postgresSpendWriter(client, pgSchema, latency),
    rebuildLatency: () => latency.rebuild(),
    close: async () => {
      await client.end({ timeout: 5 });
    },
    ping: async () => {
      await client`SELECT 1`;
    },
  });
}

/** Any number that no other application on the same database would pick for its advisory lock. */
const STARTUP_LOCK = 0x736e6f64; // "snod"

/**
 * Replicas rolled out together start at the same moment: without this, two of them migrating an empty
 * database both try to create the same tables and one fails. A session advisory lock, held on one
 * reserved connection, lets one gateway migrate while the others wait and then find nothing to do.
 */
async function oneAtATime(client: postgres.Sql, work: () => Promise<void>): Promise<void> {
  const lock = await client.reserve();
  try {
    await lock`SELECT pg_advisory_lock(${STARTUP_LOCK})`;
    try {
      await work();
    } finally {
      await lock`SELECT pg_advisory_unlock(${STARTUP_LOCK})`;
    }
  } finally {
    lock.release();
  }
}
