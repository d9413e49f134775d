// Reads the daily spend rollups (./rollup.ts) as SpendGroups: the same query text in both dialects.
import { and, eq, gte, lt, type SQL, sql } from "drizzle-orm";
import type { QueryDb } from "./repository.ts";
import { decodeNullable, type PeriodRange } from "./rollup.ts";
import type * as pgSchema from "./schema/postgres.ts";
import type { SpendDimension, SpendFilter, SpendGroup } from "./types.ts";

type Tables = typeof pgSchema;
type ModelTable = Tables["spendDailyModel"];
type KeyTable = Tables["spendDailyKey"];
type MonthTable = Tables["spendMonthlyKey"];

/** A rollup table: the two daily ones, or the monthly one beside spend_daily_key. */
export type RollupTable = "model" | "key" | "keyMonth";

// Postgres returns sums of bigints as strings; SQLite as numbers.
const total = (column: unknown) => sql<number>`coalesce(sum(${column}), 0)`.mapWith(Number);

/** Dimensions whose rollup column holds the encoded form of a nullable spend column. */
const ENCODED: ReadonlySet<SpendDimension> = new Set(["routedFrom", "routingMethod", "routingRule"]);

function dimension(name: RollupTable, t: Tables, d: SpendDimension): SQL {
  const m: ModelTable = t.spendDailyModel;
  const k: KeyTable = t.spendDailyKey;
  const km: MonthTable = t.spendMonthlyKey;
  const owner = name === "model" ? m : name === "key" ? k : km;
  switch (d) {
    case "day":
      if (name === "keyMonth") throw new Error("spend_monthly_key has no day");
      return sql`${name === "model" ? m.day : k.day}`;
    case "month":
      return name === "keyMonth" ? sql`${km.month}` : sql`substr(${name === "model" ? m.day : k.day}, 1, 7)`;
    case "teamId":
      return sql`${owner.teamId}`;
    case "model":
      return sql`${m.model}`;
    case "provider":
      return sql`${m.provider}`;
    case "routedFrom":
      return sql`${m.routedFrom}`;
    case "routingMethod":
      return sql`${m.routingMethod}`;
    case "routingRule":
      return sql`${m.routingRule}`;
    case "userId":
      return sql`${name === "key" ? k.userId : km.userId}`;
    case "apiKeyId":
      return sql`${name === "key" ? k.apiKeyId : km.apiKeyId}`;
  }
}

/**
 * Totals grouped by `dims` over whole periods (days, or months for "keyMonth") of one rollup table;
 * chooseRollup() has checked that it carries every dimension and filter.
 */
export async function rollupGroupBy(
  db: QueryDb,
  t: Tables,
  name: RollupTable,
  dims: readonly SpendDimension[],
  filter: SpendFilter,
  range: PeriodRange,
): Promise<SpendGroup[]> {
  const m = t.spendDailyModel;
  const k = name === "keyMonth" ? t.spendMonthlyKey : t.spendDailyKey;
  const table = name === "model" ? m : k;
  const period = name === "model" ? m.day : name === "key" ? t.spendDailyKey.day : t.spendMonthlyKey.month;
  const parts: SQL[] = [];
  if (range.from) parts.push(gte(period, range.from));
  if (range.to) parts.push(lt(period, range.to));
  if (filter.teamId) parts.push(eq(table.teamId, filter.teamId));
  if (filter.model) parts.push(eq(m.model, filter.model));
  if (filter.provider) parts.push(eq(m.provider, filter.provider));
  if (filter.userId) parts.push(eq(k.userId, filter.userId));
  if (filter.apiKeyId) parts.push(eq(k.apiKeyId, filter.apiKeyId));
  const exprs = dims.map((d) => dimension(name, t, d));
  const fields: Record<string, SQL> = {
    requests: total(table.requests),
    costMicros: total(table.costMicros),
    inputTokens: total(table.inputTokens),
    outputTokens: total(table.outputTokens),
    cacheCreationInputTokens: total(table.cacheCreationInputTokens),
    cacheReadInputTokens: total(table.cacheReadInputTokens),
    errors: total(table.errors),
    durationMsTotal: total(table.durationMs),
  };
  exprs.forEach((e, i) => {
    fields[`d${i}`] = e;
  });
  const query = db
    .select(fields)
    .from(table)
    .where(parts.length ? and(...parts) : undefined);
  const rows = (await (exprs.length ? query.groupBy(...exprs) : query)) as Record<string, unknown>[];
  const out: SpendGroup[] = [];
  for (const r of rows) {
    const group: Partial<Record<SpendDimension, string | null>> = {};
    dims.forEach((d, i) => {
      const v = String(r[`d${i}`]);
      group[d] = ENCODED.has(d) ? decodeNullable(v) : v;
    });
    out.push({
      dims: group,
      requests: Number(r.requests),
      costMicros: Number(r.costMicros),
      inputTokens: Number(r.inputTokens),
      outputTokens: Number(r.outputTokens),
      cacheCreationInputTokens: Number(r.cacheCreationInputTokens),
      cacheReadInputTokens: Number(r.cacheReadInputTokens),
      errors: Number(r.errors),
      durationMsTotal: Number(r.durationMsTotal),
    });
  }
  return out;
}
