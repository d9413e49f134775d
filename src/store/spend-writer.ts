// Spend rows into spend_log through each driver directly: the one write that scales with traffic. The
// latency rollup (./latency-rollup.ts) is added to in the same transaction.
//
// At 2 000 req/s the recorder flushes ~400 rows five times a second. Through drizzle's builder a
// 400-row INSERT costs tens of milliseconds of JS on the event loop (7 600 bound parameters merged
// into one SQL string), and bun:sqlite then runs it synchronously: every request in flight waited.
// A prepared single-row statement in one transaction (SQLite), or postgres.js's own multi-row
// helper (Postgres), does the same work in about a millisecond. Column names come from the drizzle
// tables, so the schema stays the one source of truth.
import type { Database } from "bun:sqlite";
import { getTableColumns } from "drizzle-orm";
import type { Sql } from "postgres";
import { type PostgresLatencyRollup, type SqliteLatencyRollup, samplesOf } from "./latency-rollup.ts";
import type * as pgSchema from "./schema/postgres.ts";
import type * as liteSchema from "./schema/sqlite.ts";
import type { SpendRow } from "./types.ts";

export type SpendWriter = (rows: readonly SpendRow[]) => Promise<void>;

type Field = keyof SpendRow;

/** [field of SpendRow, column name] in table order; fails fast if the two ever disagree. */
function columnsOf(table: typeof liteSchema.spendLog | typeof pgSchema.spendLog): [Field, string][] {
  return Object.entries(getTableColumns(table)).map(([field, column]) => [field as Field, column.name]);
}

export function sqliteSpendWriter(
  client: Database,
  table: typeof liteSchema.spendLog,
  latency: SqliteLatencyRollup,
): SpendWriter {
  const columns = columnsOf(table);
  const insert = client.prepare(
    `INSERT INTO spend_log (${columns.map(([, c]) => `"${c}"`).join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`,
  );
  const value = (row: SpendRow, field: Field): string | number | null => {
    const v = row[field];
    if (v instanceof Date) return v.getTime(); // timestamp_ms
    if (typeof v === "boolean") return v ? 1 : 0;
    return v ?? null; // optional columns a row leaves out are stored as NULL
  };
  // One transaction per batch: all rows land or none do, and SQLite syncs the WAL once.
  const insertAll = client.transaction((rows: readonly SpendRow[]) => {
    for (const row of rows) insert.run(...columns.map(([field]) => value(row, field)));
    latency.add(samplesOf(rows));
  });
  return async (rows) => {
    insertAll(rows);
  };
}

export function postgresSpendWriter(
  client: Sql,
  table: typeof pgSchema.spendLog,
  latency: PostgresLatencyRollup,
): SpendWriter {
  const columns = columnsOf(table);
  const names = columns.map(([, c]) => c);
  return async (rows) => {
    const records = rows.map((row) => {
      const record: Record<string, string | number | boolean | null> = {};
      for (const [field, column] of columns) {
        const v = row[field];
        // drizzle's postgres-js setup turns off the driver's Date serializer: send ISO text.
        record[column] = v instanceof Date ? v.toISOString() : (v ?? null);
      }
      return record;
    });
    // The rows and their rollup increments commit together, so the rollup never disagrees with the rows.
    await client.begin(async (tx) => {
      await tx`INSERT INTO spend_log ${tx(records, names)}`;
      await latency.add(tx, samplesOf(rows));
    });
  };
}
