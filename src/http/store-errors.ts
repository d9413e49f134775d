// Tells a database that does not answer (down, restarting, unreachable, locked) from a bug, so the
// former is a 503 with Retry-After instead of a 500.

import type { GatewayError } from "../errors.ts";
import { storeUnavailable } from "../errors.ts";

/** How long a client should wait before retrying; the pool reconnects within about a second. */
export const STORE_RETRY_AFTER_S = 2;

/** Thrown when a store read on the request path takes longer than it may (see auth/key-cache.ts). */
export class StoreTimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`${what} did not answer within ${ms} ms`);
    this.name = "StoreTimeoutError";
  }
}

// postgres.js connection errors, Node socket errors, and SQLite's busy/locked codes.
const UNAVAILABLE_CODES = new Set([
  "CONNECTION_CLOSED",
  "CONNECTION_DESTROYED",
  "CONNECTION_ENDED",
  "CONNECT_TIMEOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "SQLITE_BUSY",
  "SQLITE_LOCKED",
]);

/** Postgres SQLSTATEs: class 08 (connection exception), 57P01–57P03 (shutdown, cannot connect now), 53300 (too many connections). */
const unavailableSqlState = (code: string) => /^08|^57P0[123]$|^53300$/.test(code);

/** True when `err` (or an error it wraps, as drizzle does) says the database is not answering. */
export function isStoreUnavailable(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === "object" && depth < 5; depth++) {
    if (e instanceof StoreTimeoutError) return true;
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && (UNAVAILABLE_CODES.has(code) || unavailableSqlState(code))) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** The 503 for a store error, or null when the error is something else. */
export function storeErrorResponse(err: unknown): GatewayError | null {
  return isStoreUnavailable(err) ? storeUnavailable(STORE_RETRY_AFTER_S) : null;
}
