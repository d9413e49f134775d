// Response schemas of the analytics reports (the queries they take live in ./schemas.ts).
import { t } from "elysia";
import { int, timestamp, uuid } from "./schemas.ts";

const figures = {
  requests: int("Requests"),
  input_tokens: int("Input tokens"),
  output_tokens: int("Output tokens"),
  cache_creation_input_tokens: int("Cache-write input tokens"),
  cache_read_input_tokens: int("Cache-read input tokens"),
  cost_micros: int("Cost in micro-dollars (1 cent = 10 000)"),
  cost_cents: t.Number({ description: "Cost in cents (cost_micros / 10 000, not rounded)" }),
};
const report = <P extends Record<string, Parameters<typeof t.Object>[0][string]>>(
  row: P,
  description: string,
) =>
  t.Object(
    {
      from: timestamp("Range start"),
      to: timestamp("Range end (exclusive)"),
      team_id: t.Nullable(uuid("The team filter applied; null = every team")),
      data: t.Array(t.Object({ ...row, ...figures })),
    },
    { description },
  );

export const DailyReport = t.Object(
  {
    ...report({ day: t.String({ description: "UTC day, YYYY-MM-DD" }) }, "").properties,
    totals: t.Object(figures),
  },
  { description: "Spend per UTC day, every day of the range (zeros included), with totals" },
);
export const ModelReport = report(
  { model: t.String(), provider: t.String() },
  "Spend per model, costliest first",
);
export const UserReport = report(
  { user_id: uuid("User"), email: t.Nullable(t.String()), name: t.Nullable(t.String()) },
  "Spend per user, costliest first",
);
export const ProviderReport = report(
  {
    provider: t.String(),
    errors: int("Requests answered with status ≥ 400"),
    avg_duration_ms: int("Mean duration"),
  },
  "Spend and health per provider",
);
export const RoutingReport = t.Object(
  {
    ...report({ routed_from: t.String(), routing_method: t.Nullable(t.String()), model: t.String() }, "")
      .properties,
    requests: int("All requests in range"),
    routed_requests: int("Requests whose model the router chose"),
  },
  { description: "Routing decisions (routed_from / routing_method) and the models they chose" },
);

const spendProps = {
  id: uuid("Spend row id"),
  created_at: timestamp("When the request started"),
  request_id: t.String(),
  team_id: uuid("Team"),
  user_id: uuid("User"),
  api_key_id: uuid("Key"),
  model: t.String(),
  provider: t.String(),
  input_tokens: t.Integer(),
  output_tokens: t.Integer(),
  cache_creation_input_tokens: t.Integer(),
  cache_read_input_tokens: t.Integer(),
  cost_micros: t.Integer(),
  cost_cents: t.Number(),
  duration_ms: t.Integer(),
  status: t.Integer({ description: "HTTP status the client got (499 = client left mid-stream)" }),
  stream: t.Boolean(),
  routed_from: t.Nullable(t.String()),
  routing_method: t.Nullable(t.String()),
  routing_reason: t.Nullable(t.String()),
  tags: t.Array(t.String(), { description: "x-snodus-tags of the request" }),
  end_user: t.Nullable(t.String({ description: "The end user the client named" })),
  deployment: t.Nullable(
    t.String({ description: "Which of the provider's deployments served it; null when it has one" }),
  ),
};
export const RecentReport = t.Object(
  {
    data: t.Array(t.Object(spendProps)),
    next_cursor: t.Nullable(
      t.String({ description: "Pass as cursor for the next (older) page; null at the end" }),
    ),
  },
  { description: "Latest requests, newest first" },
);
export const CsvExport = t.String({ description: "RFC 4180 CSV (text/csv), one header row, CRLF line ends" });
