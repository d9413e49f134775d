// The messages between the main thread and its store worker threads (store-worker.ts), and error transport.
import type { SqliteOpenOptions } from "./sqlite.ts";
import { type SpendRow, StoreCapError, StoreConflictError, StoreNotFoundError } from "./types.ts";

/**
 * "keys.create", "spend.groupBy", "ping" …: a Store method named by its path; "reports.run" and
 * "reports.csvPage" run a whole report (modules/analytics/jobs.ts) on the worker's connection.
 */
export type StoreOp = string;

export const REPORT_RUN_OP: StoreOp = "reports.run";
export const REPORT_CSV_OP: StoreOp = "reports.csvPage";
/** SQLite's report lane's nice value: below the event loop, so a report loop waits for it, not the reverse. */
export const REPORT_NICE = 10;

/** The connection a worker opens: a SQLite lane, or the Postgres lane's pool. */
export type OpenTarget = (
  | { dialect: "sqlite"; path: string; opts: SqliteOpenOptions }
  | { dialect: "postgres"; url: string }
) & {
  /** Run the thread at this nice value (thread-priority.ts): SQLite's report lane, whose work can wait. */
  nice?: number;
};

export type ToWorker =
  | { t: "open"; target: OpenTarget }
  | { t: "call"; id: number; op: StoreOp; args: unknown[] }
  | { t: "close" };

export type FromWorker =
  | { t: "ready" }
  | { t: "failed"; error: WireError }
  | { t: "result"; id: number; value: unknown }
  | { t: "error"; id: number; error: WireError }
  | { t: "closed" };

/** An error as plain data: structured cloning would keep the message but lose the class callers test for. */
export interface WireError {
  name: string;
  message: string;
  field?: string;
  entity?: string;
  id?: string;
  count?: number;
  code?: string;
}

export function toWire(err: unknown): WireError {
  if (err instanceof StoreConflictError) return { name: err.name, message: err.message, field: err.field };
  if (err instanceof StoreNotFoundError)
    return { name: err.name, message: err.message, entity: err.entity, id: err.id };
  if (err instanceof StoreCapError) return { name: err.name, message: err.message, count: err.count };
  const e = err as { name?: unknown; message?: unknown; code?: unknown };
  return {
    name: typeof e?.name === "string" ? e.name : "Error",
    message: typeof e?.message === "string" ? e.message : String(err),
    ...(typeof e?.code === "string" ? { code: e.code } : {}),
  };
}

export function fromWire(w: WireError): Error {
  switch (w.name) {
    case "StoreConflictError":
      return new StoreConflictError(w.field ?? "value");
    case "StoreNotFoundError":
      return new StoreNotFoundError(w.entity ?? "row", w.id ?? "");
    case "StoreCapError":
      return new StoreCapError(w.count ?? 0);
  }
  const err = new Error(w.message) as Error & { code?: string };
  err.name = w.name;
  if (w.code) err.code = w.code;
  return err;
}

/**
 * Spend batches cross to the write lane as one JSON string: structured cloning hundreds of row objects
 * (with a Date each) cost the event loop ~2.6 µs a row, a string ~0.5 µs. Each row is an array of its
 * values in SPEND_COLUMNS' order (no key repeated per row) with the time as epoch milliseconds.
 */
export const SPEND_BATCH_OP: StoreOp = "spend.insertMany";

/** Every SpendRow field, once: the compiler refuses a field added to SpendRow and not listed here. */
const SPEND_FIELDS: Record<keyof SpendRow, true> = {
  id: true,
  createdAt: true,
  apiKeyId: true,
  userId: true,
  teamId: true,
  model: true,
  provider: true,
  inputTokens: true,
  outputTokens: true,
  cacheCreationInputTokens: true,
  cacheReadInputTokens: true,
  costMicros: true,
  durationMs: true,
  status: true,
  stream: true,
  routedFrom: true,
  routingMethod: true,
  routingReason: true,
  requestId: true,
  deployment: true,
  tags: true,
  endUser: true,
};
const SPEND_COLUMNS = Object.keys(SPEND_FIELDS) as (keyof SpendRow)[];

type Packed = (string | number | boolean | null)[];

export function packSpendRows(rows: readonly SpendRow[]): string {
  const out: Packed[] = new Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as SpendRow;
    const values: Packed = new Array(SPEND_COLUMNS.length);
    for (let c = 0; c < SPEND_COLUMNS.length; c++) {
      const key = SPEND_COLUMNS[c] as keyof SpendRow;
      values[c] = key === "createdAt" ? row.createdAt.getTime() : ((row[key] ?? null) as Packed[number]);
    }
    out[r] = values;
  }
  return JSON.stringify(out);
}

export function unpackSpendRows(packed: string): SpendRow[] {
  return (JSON.parse(packed) as Packed[]).map((values) => {
    const row: Record<string, unknown> = {};
    for (let c = 0; c < SPEND_COLUMNS.length; c++) row[SPEND_COLUMNS[c] as string] = values[c];
    row.createdAt = new Date(values[SPEND_COLUMNS.indexOf("createdAt")] as number);
    return row as unknown as SpendRow;
  });
}
