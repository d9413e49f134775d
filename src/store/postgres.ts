// Opens a Postgres database as a Store: the pooled client, migrations under a startup lock, and the worker lane.
import { drizzle as drizzlePg } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { postgresCapped } from "./capped.ts";
import { LaneWorker, reportLaneVia } from "./lane-worker.ts";
import { postgresLatencyRollup } from "./latency-rollup.ts";
import { toMigrationMeta } from "./migrations/embed.ts";
import { postgresMigrations } from "./migrations.gen.ts";
import { createRepository, type QueryDb, seedPlans } from "./repository.ts";
import * as pgSchema from "./schema/postgres.ts";
import { postgresSignup } from "./signup.ts";
import { postgresSpendWriter } from "./spend-writer.ts";
import type { Store } from "./types.ts";
import { SPEND_BATCH_OP } from "./worker-protocol.ts";

// drizzle keeps its migration runner on the dialect object; it is public in practice but not typed.
interface Migratable {
  dialect: { migrate(m: unknown, session: unknown, cfg: unknown): unknown };
  session: unknown;
}

export interface PostgresOpenOptions {
  /** Apply the migrations and seed the plans (false in the lane's worker: serve already did). */
  migrate: boolean;
  /** Connections in the pool. */
  max?: number;
  /**
   * Run whole reports and the spend writes in a worker thread with its own small pool (serve):
   * postgres.js encodes every parameter and parses every result row on the thread that asked, so a
   * report's rows and its JSON, or a batch of 500 spend rows and their rollups, would otherwise be
   * handled on the event loop that serves /v1/*.
   */
  lane?: boolean;
}

export async function openPostgres(url: string, opts: PostgresOpenOptions): Promise<Store> {
  const client = postgres(url, {
    max: opts.max ?? 10,
    onnotice: () => {},
    connect_timeout: 5,
    // postgres.js waits up to 20 s between reconnects after repeated failures (3^n/100 s); after an
    // outage that wait, not the database, kept requests stalled. Capped at 1 s, recovery follows the
    // database within about a second.
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 1),
  });
  const db = drizzlePg(client, { schema: pgSchema });
  const latency = postgresLatencyRollup(client);
  if (opts.migrate) {
    const m = db as unknown as Migratable;
    await oneAtATime(client, async () => {
      await m.dialect.migrate(toMigrationMeta(postgresMigrations), m.session, { migrationsFolder: "" });
      await seedPlans(db as unknown as QueryDb, pgSchema);
      // A database from before the rollup gets it computed once (the first gateway to start does it).
      await latency.backfillIfEmpty();
    });
  }
  let lane: LaneWorker | null = null;
  try {
    // At normal priority, unlike SQLite's report lane: this thread also writes the spend rows, and
    // niced on a saturated core it fell 65,000 rows behind in 13 s (they were in memory meanwhile).
    if (opts.lane) lane = await LaneWorker.start("snodus-postgres-lane", { dialect: "postgres", url });
  } catch (err) {
    await client.end({ timeout: 5 });
    throw err;
  }
  const store = createRepository({
    dialect: "postgres",
    db: db as unknown as QueryDb,
    tables: pgSchema,
    signup: postgresSignup(db, pgSchema),
    capped: postgresCapped(db, pgSchema),
    insertSpend: postgresSpendWriter(client, pgSchema, latency),
    rebuildLatency: () => latency.rebuild(),
    close: async () => {
      await Promise.all([lane?.close(), client.end({ timeout: 5 })]);
    },
    ping: async () => {
      await client`SELECT 1`;
    },
  });
  if (!lane) return store;
  const worker = lane;
  return {
    ...store,
    // The writes that follow traffic (spend batches, last_used_at) run in the lane; the rest of the
    // store (auth lookups, admin writes, transactions) stays here, where its callers wait for it anyway.
    spend: {
      ...store.spend,
      insertMany: (rows) => worker.call(SPEND_BATCH_OP, [rows]) as Promise<void>,
    },
    keys: { ...store.keys, touch: (used) => worker.call("keys.touch", [used]) as Promise<void> },
    reportLane: reportLaneVia((op, args) => worker.call(op, args)),
  };
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
