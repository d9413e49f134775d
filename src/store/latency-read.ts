// Reads latency_hourly (one team) or latency_hourly_all (every team): counters and merged duration
// histograms per hour or day and per model or provider.
import { and, eq, gte, lt, type SQL, sql } from "drizzle-orm";
import { LATENCY_BUCKETS } from "./latency-buckets.ts";
import type { QueryDb } from "./repository.ts";
import type * as pgSchema from "./schema/postgres.ts";
import type { Dialect, LatencyPoint, LatencyQuery } from "./types.ts";

const total = (column: string) => sql<number>`coalesce(sum(${sql.identifier(column)}), 0)`.mapWith(Number);

export async function latencySeries(
  db: QueryDb,
  t: typeof pgSchema,
  dialect: Dialect,
  q: LatencyQuery,
): Promise<LatencyPoint[]> {
  // One team's figures come from the per-team table; every team's from the table summed over teams,
  // which has a row per hour and model instead of per hour, team and model.
  const h = q.teamId ? t.latencyHourly : t.latencyHourlyAll;
  // The period's start as ms since the epoch; hours are stored whole, so a day is the hour floored.
  // Inlined, not bound: Postgres only matches the SELECT and GROUP BY expressions when they are the
  // same text, and two bound parameters are two different expressions to it.
  const unit = sql.raw(q.bucket === "day" ? "86400000" : "3600000");
  const start =
    dialect === "sqlite"
      ? sql<number>`(${h.hour} / ${unit}) * ${unit}`
      : sql<number>`(floor(extract(epoch from ${h.hour}) * 1000 / ${unit}) * ${unit})::bigint`;
  const group = q.group === "model" ? h.model : h.provider;
  const fields: Record<string, SQL> = {
    start: start.mapWith(Number),
    group: sql<string>`${group}`,
    requests: total("requests"),
    errors4xx: total("errors_4xx"),
    clientClosed: total("client_closed"),
    errors5xx: total("errors_5xx"),
  };
  for (let i = 0; i < LATENCY_BUCKETS; i++) fields[`d${i}`] = total(`d${i}`);
  const parts = [gte(h.hour, q.from), lt(h.hour, q.to)];
  if (q.teamId) parts.push(eq(t.latencyHourly.teamId, q.teamId));
  const rows = (await db
    .select(fields)
    .from(h)
    .where(and(...parts))
    .groupBy(start, group)
    .orderBy(start, group)) as Record<string, unknown>[];
  return rows.map((r) => ({
    startMs: Number(r.start),
    group: String(r.group),
    requests: Number(r.requests),
    errors4xx: Number(r.errors4xx),
    clientClosed: Number(r.clientClosed),
    errors5xx: Number(r.errors5xx),
    histogram: Array.from({ length: LATENCY_BUCKETS }, (_, i) => Number(r[`d${i}`])),
  }));
}
