// Reads the daily spend rollups (./rollup.ts) as SpendGroups: the same query text in both dialects.
import { and, eq, gte, lt, type SQL, sql } from "drizzle-orm";
import type { QueryDb } from "./repository.ts";
import { type DayRange, decodeNullable, type RollupName } from "./rollup.ts";
import type * as pgSchema from "./schema/postgres.ts";
import type { SpendDimension, SpendFilter, SpendGroup } from "./types.ts";

type Tables = typeof pgSchema;
type ModelTable = Tables["spendDailyModel"];
type KeyTable = Tables["spendDailyKey"];

// Postgres returns sums of bigints as strings; SQLite as numbers.
const total = (column: unknown) => sql<number>`coalesce(sum(${column}), 0)`.mapWith(Number);

/** Dimensions whose rollup column holds the encoded form of a nullable spend column. */
const ENCODED: ReadonlySet<SpendDimension> = new Set(["routedFrom", "routingMethod", "routingRule"]);

function dimension(name: RollupName, t: Tables, d: SpendDimension): SQL {
  const m: ModelTable = t.spendDailyModel;
  const k: KeyTable = t.spendDailyKey;
  const day = name === "model" ? m.day : k.day;
  switch (d) {
    case "day":
      return sql`${day}`;
    case "month":
      return sql`substr(${day}, 1, 7)`;
    case "teamId":
      return sql`${name === "model" ? m.teamId : k.teamId}`;
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
      return sql`${k.userId}`;
    case "apiKeyId":
      return sql`${k.apiKeyId}`;
  }
}

/** Totals grouped by `dims` over whole days of one rollup; chooseRollup() has checked it carries them all. */
export async function rollupGroupBy(
  db: QueryDb,
  t: Tables,
  name: RollupName,
  dims: readonly SpendDimension[],
  filter: SpendFilter,
  days: DayRange,
): Promise<SpendGroup[]> {
  const table = name === "model" ? t.spendDailyModel : t.spendDailyKey;
  const parts: SQL[] = [];
  if (days.from) parts.push(gte(table.day, days.from));
  if (days.to) parts.push(lt(table.day, days.to));
  if (filter.teamId) parts.push(eq(table.teamId, filter.teamId));
  if (filter.model) parts.push(eq(t.spendDailyModel.model, filter.model));
  if (filter.provider) parts.push(eq(t.spendDailyModel.provider, filter.provider));
  if (filter.userId) parts.push(eq(t.spendDailyKey.userId, filter.userId));
  if (filter.apiKeyId) parts.push(eq(t.spendDailyKey.apiKeyId, filter.apiKeyId));
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
