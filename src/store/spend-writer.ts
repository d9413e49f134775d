// Spend rows into spend_log through each driver directly: the one write that scales with traffic. The
// latency rollup (./latency-rollup.ts) is added to in the same transaction as the spend rollups.
//
// At 2 000 req/s the recorder flushes ~400 rows five times a second. Through drizzle's builder a
// 400-row INSERT costs tens of milliseconds of JS on the event loop (7 600 bound parameters merged
// into one SQL string), and bun:sqlite then runs it synchronously: every request in flight waited.
// A prepared single-row statement in one transaction (SQLite), or postgres.js's own multi-row
// helper (Postgres), does the same work in about a millisecond. Column names come from the drizzle
// tables, so the schema stays the one source of truth.
//
// The same transaction upserts the batch's daily rollup rows (./rollup.ts): aggregated here first, so
// a batch of N rows costs one upsert per distinct (day × group), not one per row.
import type { Database } from "bun:sqlite";
import { getTableColumns, getTableName, type Table } from "drizzle-orm";
import type { Sql, TransactionSql } from "postgres";
import { type PostgresLatencyRollup, type SqliteLatencyRollup, samplesOf } from "./latency-rollup.ts";
import { KEY_KEY_FIELDS, KEY_MONTH_KEY_FIELDS, MODEL_KEY_FIELDS, rollupBatch, SUM_FIELDS } from "./rollup.ts";
import type * as pgSchema from "./schema/postgres.ts";
import type * as liteSchema from "./schema/sqlite.ts";
import type { SpendRow } from "./types.ts";

export type SpendWriter = (rows: readonly SpendRow[]) => Promise<void>;

/** The tables one spend batch writes to. */
export type SpendTables<S extends typeof liteSchema | typeof pgSchema> = Pick<
  S,
  "spendLog" | "spendDailyModel" | "spendDailyKey" | "spendMonthlyKey"
>;

/** One rollup's upsert: its fields in value order, their SQL types, and the statement around a row source. */
interface Upsert {
  fields: string[];
  types: string[];
  statement(source: string): string;
}

/** INSERT … ON CONFLICT (key) DO UPDATE adding the batch's sums to the day's row; same text in both dialects. */
function upsertOf(table: Table, keys: readonly string[]): Upsert {
  const name = getTableName(table);
  const byField = getTableColumns(table);
  const col = (f: string) => {
    const c = byField[f];
    if (!c) throw new Error(`${name} has no field ${f}`);
    return `"${c.name}"`;
  };
  const fields = [...keys, ...SUM_FIELDS];
  const adds = SUM_FIELDS.map((f) => `${col(f)} = "${name}".${col(f)} + excluded.${col(f)}`).join(", ");
  return {
    fields,
    types: fields.map((f) => byField[f]?.getSQLType() ?? "text"),
    statement: (source) =>
      `INSERT INTO "${name}" (${fields.map(col).join(", ")}) ${source} ON CONFLICT (${keys.map(col).join(", ")}) DO UPDATE SET ${adds}`,
  };
}

const valuesOf = (u: Upsert, row: object): (string | number)[] =>
  u.fields.map((f) => (row as Record<string, string | number>)[f] ?? 0);

type Field = keyof SpendRow;

/** [field of SpendRow, column name] in table order; fails fast if the two ever disagree. */
function columnsOf(table: typeof liteSchema.spendLog | typeof pgSchema.spendLog): [Field, string][] {
  return Object.entries(getTableColumns(table)).map(([field, column]) => [field as Field, column.name]);
}

export function sqliteSpendWriter(
  client: Database,
  tables: SpendTables<typeof liteSchema>,
  latency: SqliteLatencyRollup,
): SpendWriter {
  const columns = columnsOf(tables.spendLog);
  const insert = client.prepare(
    `INSERT INTO spend_log (${columns.map(([, c]) => `"${c}"`).join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`,
  );
  const value = (row: SpendRow, field: Field): string | number | null => {
    const v = row[field];
    if (v instanceof Date) return v.getTime(); // timestamp_ms
    if (typeof v === "boolean") return v ? 1 : 0;
    return v ?? null; // optional columns a row leaves out are stored as NULL
  };
  const model = upsertOf(tables.spendDailyModel, MODEL_KEY_FIELDS);
  const key = upsertOf(tables.spendDailyKey, KEY_KEY_FIELDS);
  const keyMonth = upsertOf(tables.spendMonthlyKey, KEY_MONTH_KEY_FIELDS);
  const one = (u: Upsert) => client.prepare(u.statement(`VALUES (${u.fields.map(() => "?").join(", ")})`));
  const upsertModel = one(model);
  const upsertKey = one(key);
  const upsertKeyMonth = one(keyMonth);
  // One transaction per batch: all rows and their rollups land or none do, and SQLite syncs the WAL once.
  const insertAll = client.transaction((rows: readonly SpendRow[]) => {
    for (const row of rows) insert.run(...columns.map(([field]) => value(row, field)));
    const groups = rollupBatch(rows);
    for (const g of groups.model) upsertModel.run(...valuesOf(model, g));
    for (const g of groups.key) upsertKey.run(...valuesOf(key, g));
    for (const g of groups.keyMonth) upsertKeyMonth.run(...valuesOf(keyMonth, g));
    latency.add(samplesOf(rows));
  });
  return async (rows) => {
    insertAll(rows);
  };
}

export function postgresSpendWriter(
  client: Sql,
  tables: SpendTables<typeof pgSchema>,
  latency: PostgresLatencyRollup,
): SpendWriter {
  const columns = columnsOf(tables.spendLog);
  const model = upsertOf(tables.spendDailyModel, MODEL_KEY_FIELDS);
  const key = upsertOf(tables.spendDailyKey, KEY_KEY_FIELDS);
  const keyMonth = upsertOf(tables.spendMonthlyKey, KEY_MONTH_KEY_FIELDS);
  // One statement per rollup over one array per column (unnest): the same text for every batch, so the
  // server plans it once, instead of a VALUES list of thousands of parameters that differs every time.
  // Its rows are distinct (a key twice in one INSERT … ON CONFLICT is an error) and sorted, so two
  // gateways' batches lock the rollup rows in the same order.
  const statementOf = (u: Upsert) =>
    u.statement(
      `SELECT * FROM unnest(${u.types.map((type, i) => `$${i + 1}::text[]::${type}[]`).join(", ")})`,
    );
  const upsert = (sql: TransactionSql, u: Upsert, text: string, groups: object[]) => {
    if (groups.length === 0) return;
    const values = groups.map((g) => valuesOf(u, g));
    const columns = u.fields.map((_, i) => values.map((v) => String(v[i])));
    return sql.unsafe(text, columns, { prepare: true });
  };
  const modelSql = statementOf(model);
  const keySql = statementOf(key);
  const keyMonthSql = statementOf(keyMonth);
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
    const groups = rollupBatch(rows);
    // The rows and their rollup increments commit together, so no rollup ever disagrees with the rows.
    await client.begin(async (sql) => {
      await sql`INSERT INTO spend_log ${sql(records, names)}`;
      await upsert(sql, model, modelSql, groups.model);
      await upsert(sql, key, keySql, groups.key);
      await upsert(sql, keyMonth, keyMonthSql, groups.keyMonth);
      await latency.add(sql, samplesOf(rows));
    });
  };
}
