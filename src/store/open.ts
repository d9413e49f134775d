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
   * Postgres only: a worker thread with its own connections runs whole reports and the spend writes
   * (`serve`; SQLite's worker store always has its lanes). Tools run them on the calling thread.
   */
  lane?: boolean;
}

export async function openStore(location: StoreLocation, opts: OpenOptions = {}): Promise<Store> {
  // The Postgres driver and schema are loaded only for Postgres: on SQLite (the default) they would be
  // ~10,000 objects of live heap the collector walks for nothing.
  if (location.kind === "postgres")
    return (await import("./postgres.ts")).openPostgres(location.url, {
      migrate: true,
      lane: opts.lane,
    });
  if (opts.inline) return openSqliteDirect(location.path, { migrate: true });
  return openSqliteWorkers(location.path);
}
