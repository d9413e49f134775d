// Opens the store named by DATABASE_URL: bun:sqlite file (default, behind worker threads) or Postgres.
import type { StoreLocation } from "../config/database-url.ts";
import { openSqliteDirect } from "./sqlite.ts";
import type { Store } from "./types.ts";
import { openSqliteWorkers } from "./worker-store.ts";

export interface OpenOptions {
  /**
   * SQLite only: run queries on the calling thread instead of worker threads. For tools with no event
   * loop to protect; `serve` always uses the workers.
   */
  inline?: boolean;
  /**
   * Postgres only: run whole reports in a worker thread with its own connections (`serve`; SQLite's
   * worker store always has its report lane). Tools and tests run them inline.
   */
  reportLane?: boolean;
}

export async function openStore(location: StoreLocation, opts: OpenOptions = {}): Promise<Store> {
  // The Postgres driver and schema are loaded only for Postgres: on SQLite (the default) they would be
  // ~10,000 objects of live heap the collector walks for nothing.
  if (location.kind === "postgres")
    return (await import("./postgres.ts")).openPostgres(location.url, {
      migrate: true,
      reportLane: opts.reportLane,
    });
  if (opts.inline) return openSqliteDirect(location.path, { migrate: true });
  return openSqliteWorkers(location.path);
}
