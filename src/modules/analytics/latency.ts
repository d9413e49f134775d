// The latency and errors report: p50/p95/p99 and error rates per model or provider, per hour or day.
//
// It reads only the hourly rollup (store.latency), never raw rows, so its cost grows with hours ×
// groups, not with traffic. Percentiles come from merged fixed-bucket histograms: within
// LATENCY_RESOLUTION (9 %) of the exact nearest-rank percentile, exact below 16 ms.
import { histogramPercentile, LATENCY_BUCKETS, LATENCY_RESOLUTION } from "../../store/latency-buckets.ts";
import type { LatencyPoint, LatencyQuery, Store } from "../../store/types.ts";
import type { Scope } from "../auth/scope.ts";
import { ValidationError } from "../users/service.ts";
import { resolveRange } from "./service.ts";

const HOUR_MS = 3_600_000;
/** Longest series the report draws: a month of hours, two years of days. */
const MAX_PERIODS = { hour: 744, day: 732 } as const;

export interface LatencyRangeQuery {
  from?: string;
  to?: string;
  team_id?: string;
  bucket?: "hour" | "day";
  group?: "model" | "provider";
}

interface Counters {
  requests: number;
  errors4xx: number;
  clientClosed: number;
  errors5xx: number;
  histogram: number[];
}

/** The API's figures for one set of counters. */
function figures(c: Counters) {
  const errors = c.errors4xx + c.clientClosed + c.errors5xx;
  return {
    requests: c.requests,
    errors_4xx: c.errors4xx,
    client_closed: c.clientClosed,
    errors_5xx: c.errors5xx,
    error_rate: c.requests ? errors / c.requests : 0,
    p50_ms: histogramPercentile(c.histogram, 0.5),
    p95_ms: histogramPercentile(c.histogram, 0.95),
    p99_ms: histogramPercentile(c.histogram, 0.99),
  };
}

function merge(into: Counters, p: LatencyPoint): void {
  into.requests += p.requests;
  into.errors4xx += p.errors4xx;
  into.clientClosed += p.clientClosed;
  into.errors5xx += p.errors5xx;
  p.histogram.forEach((n, i) => {
    into.histogram[i] = (into.histogram[i] ?? 0) + n;
  });
}

/**
 * The rollup's grain is the UTC hour, so the range is widened to whole hours (`from` down, `to` up)
 * and the answer says which range it covers.
 */
export function latencyQuery(scope: Scope, q: LatencyRangeQuery, now: number): LatencyQuery {
  const r = resolveRange(scope, { from: q.from, to: q.to, team_id: q.team_id }, now);
  const bucket = q.bucket ?? "day";
  const from = new Date(Math.floor(r.from.getTime() / HOUR_MS) * HOUR_MS);
  const to = new Date(Math.ceil(r.to.getTime() / HOUR_MS) * HOUR_MS);
  const unit = bucket === "day" ? 24 * HOUR_MS : HOUR_MS;
  const periods = Math.ceil((to.getTime() - Math.floor(from.getTime() / unit) * unit) / unit);
  if (periods > MAX_PERIODS[bucket])
    throw new ValidationError(
      "bucket",
      bucket === "hour"
        ? `hourly series cover at most ${MAX_PERIODS.hour} hours (31 days); use bucket=day`
        : `daily series cover at most ${MAX_PERIODS.day} days`,
    );
  return { from, to, teamId: r.teamId, bucket, group: q.group ?? "model" };
}

export async function latencyReport(store: Store, q: LatencyQuery) {
  const points = await store.latency.series(q);
  const totals = new Map<string, Counters>();
  for (const p of points) {
    let t = totals.get(p.group);
    if (!t) {
      t = {
        requests: 0,
        errors4xx: 0,
        clientClosed: 0,
        errors5xx: 0,
        histogram: Array(LATENCY_BUCKETS).fill(0),
      };
      totals.set(p.group, t);
    }
    merge(t, p);
  }
  return {
    from: q.from.toISOString(),
    to: q.to.toISOString(),
    team_id: q.teamId ?? null,
    bucket: q.bucket,
    group: q.group,
    resolution: LATENCY_RESOLUTION,
    series: points.map((p) => ({
      bucket_start: new Date(p.startMs).toISOString(),
      group: p.group,
      ...figures(p),
    })),
    totals: [...totals.entries()]
      .sort(([a, x], [b, y]) => y.requests - x.requests || (a < b ? -1 : 1))
      .map(([group, c]) => ({ group, ...figures(c) })),
  };
}
