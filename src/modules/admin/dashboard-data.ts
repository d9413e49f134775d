// /admin/analytics/keys, /routing/daily and /routing/methods: the breakdowns the dashboard draws beyond the
// spec's reports (top keys; routing share per tier and rule over time; per method). Read-only, scoped like every report.
import { Elysia, t } from "elysia";
import { reportsOf } from "../analytics/jobs.ts";
import { resolveRange } from "../analytics/service.ts";
import { type AdminAuth, type AdminDeps, adminAuth } from "./auth.ts";
import { jsonText, rangedReport } from "./json.ts";
import { strictQuery } from "./query.ts";
import { RoutingMethodsReport } from "./routing-methods.ts";
import { ID_ERRORS, RangeQuery } from "./schemas.ts";

const tags = ["analytics"];

const figureProps = {
  requests: t.Integer(),
  input_tokens: t.Integer(),
  output_tokens: t.Integer(),
  cache_creation_input_tokens: t.Integer(),
  cache_read_input_tokens: t.Integer(),
  cost_micros: t.Integer({ description: "Cost in micro-dollars" }),
  cost_cents: t.Number({ description: "cost_micros / 10 000, not rounded" }),
};
const envelopeProps = {
  from: t.String({ format: "date-time" }),
  to: t.String({ format: "date-time" }),
  team_id: t.Nullable(t.String({ format: "uuid" })),
};

export const KeyReport = t.Object(
  {
    ...envelopeProps,
    data: t.Array(
      t.Object({
        api_key_id: t.String({ format: "uuid" }),
        name: t.Nullable(t.String({ description: "null if the key no longer exists" })),
        key_prefix: t.Nullable(t.String()),
        user_id: t.Nullable(t.String({ format: "uuid" })),
        ...figureProps,
      }),
    ),
  },
  { description: "Spend per key, costliest first" },
);

export const RoutingDailyReport = t.Object(
  {
    ...envelopeProps,
    data: t.Array(
      t.Object({
        day: t.String({ description: "UTC day, YYYY-MM-DD" }),
        tier: t.Nullable(t.String({ description: "cheap, middle or top; null if the reason names none" })),
        rule: t.String({ description: 'The routing rule, e.g. short input or complex keyword "debug"' }),
        model: t.String({ description: "The model the router chose" }),
        ...figureProps,
      }),
    ),
  },
  { description: "Requests the router routed, per UTC day, tier, rule and chosen model" },
);

export function dashboardDataRoutes(deps: AdminDeps, auth: AdminAuth) {
  const { store, now, config } = deps;
  const reports = reportsOf(store);
  const ranged = rangedReport(reports, now);
  // Built in the store's report lane and sent as its JSON text (see ../analytics/jobs.ts and ./json.ts).
  return new Elysia({ prefix: "/admin/analytics" })
    .use(adminAuth(auth))
    .get("/keys", ranged("keys"), {
      ...strictQuery(RangeQuery),
      response: { 200: KeyReport, ...ID_ERRORS },
      detail: { tags, summary: "Spend per key" },
    })
    .get("/routing/daily", ranged("routing/daily"), {
      ...strictQuery(RangeQuery),
      response: { 200: RoutingDailyReport, ...ID_ERRORS },
      detail: { tags, summary: "Routed requests per day, tier and rule" },
    })
    .get(
      "/routing/methods",
      async ({ scope, query }) =>
        jsonText(
          await reports.run({
            report: "routing/methods",
            range: resolveRange(scope, query, now()),
            pricing: { defaultPrice: config.defaultPrice, configuredTop: config.routerTiers.top },
          }),
        ),
      {
        query: RangeQuery,
        response: { 200: RoutingMethodsReport, ...ID_ERRORS },
        detail: { tags, summary: "Routed requests per method: tier mix and saving against always-top" },
      },
    );
}
