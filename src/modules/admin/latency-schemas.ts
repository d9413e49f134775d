// Query and response schemas of /admin/analytics/latency.
import { t } from "elysia";
import { int, RangeQuery, timestamp, uuid } from "./schemas.ts";

const choice = <const V extends string>(name: string, values: readonly V[], description: string) =>
  t.Optional(
    t.Union(
      values.map((v) => t.Literal(v)),
      {
        description,
        error: () => ({ field: `query.${name}`, reason: `must be one of ${values.join(", ")}` }),
      },
    ),
  );

export const LatencyQuery = t.Object({
  from: RangeQuery.properties.from,
  to: RangeQuery.properties.to,
  team_id: RangeQuery.properties.team_id,
  bucket: choice("bucket", ["hour", "day"], "Period of each point: hour (≤ 31 days) or day (default)"),
  group: choice("group", ["model", "provider"], "One series per model (default) or per provider"),
});

const ms = (description: string) =>
  t.Nullable(t.Number({ description: `${description}, ms (within \`resolution\` of the exact value)` }));
const figures = {
  requests: int("Requests"),
  errors_4xx: int("Status 400–498"),
  client_closed: int("Status 499: the client left before the answer ended"),
  errors_5xx: int("Status ≥ 500"),
  error_rate: t.Number({ description: "(errors_4xx + client_closed + errors_5xx) / requests" }),
  p50_ms: ms("Median duration"),
  p95_ms: ms("95th percentile duration"),
  p99_ms: ms("99th percentile duration"),
};
const group = t.String({ description: "The model or provider" });

export const LatencyReport = t.Object(
  {
    from: timestamp("Range start, widened to the whole UTC hour"),
    to: timestamp("Range end (exclusive), widened to the whole UTC hour"),
    team_id: t.Nullable(uuid("The team filter applied; null = every team")),
    bucket: t.Union([t.Literal("hour"), t.Literal("day")]),
    group: t.Union([t.Literal("model"), t.Literal("provider")]),
    resolution: t.Number({
      description: "Largest relative error of a percentile (histogram buckets); exact below 16 ms",
    }),
    series: t.Array(t.Object({ bucket_start: timestamp("Period start (UTC)"), group, ...figures }), {
      description: "Periods with traffic, oldest first, then by group",
    }),
    totals: t.Array(t.Object({ group, ...figures }), {
      description: "Each group over the whole range, busiest first",
    }),
  },
  { description: "Latency percentiles and error rates per model or provider over time" },
);
