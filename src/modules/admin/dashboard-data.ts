// /admin/analytics/keys and /admin/analytics/routing/daily: the two breakdowns the dashboard draws beyond the
// spec's reports (top keys; routing share per tier and rule over time). Read-only, scoped like every report.
import { Elysia, t } from "elysia";
import type { SpendGroup, Store } from "../../store/types.ts";
import { figures, filterOf, type Range, resolveRange } from "../analytics/service.ts";
import { type AdminAuth, type AdminDeps, adminAuth } from "./auth.ts";
import { jsonResponse } from "./json.ts";
import { strictQuery } from "./query.ts";
import { RoutingMethodsReport, routingMethods } from "./routing-methods.ts";
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
  const { store, now } = deps;
  return (
    new Elysia({ prefix: "/admin/analytics" })
      .use(adminAuth(auth))
      // Sent as serialized JSON, so Elysia does not check it against KeyReport at run time (the schema
      // still documents it): encoding 2,000 rows of nullable fields through TypeBox held the event loop
      // that serves /v1/* for ~60 ms per call under load (BENCHMARKS.md, "reports on rollups").
      .get(
        "/keys",
        async ({ scope, query }) => jsonResponse(await byKey(store, resolveRange(scope, query, now()))),
        {
          ...strictQuery(RangeQuery),
          response: { 200: KeyReport, ...ID_ERRORS },
          detail: { tags, summary: "Spend per key" },
        },
      )
      .get("/routing/daily", ({ scope, query }) => routingDaily(store, resolveRange(scope, query, now())), {
        ...strictQuery(RangeQuery),
        response: { 200: RoutingDailyReport, ...ID_ERRORS },
        detail: { tags, summary: "Routed requests per day, tier and rule" },
      })
      .get(
        "/routing/methods",
        ({ scope, query }) => routingMethods(store, deps.config, resolveRange(scope, query, now())),
        {
          query: RangeQuery,
          response: { 200: RoutingMethodsReport, ...ID_ERRORS },
          detail: { tags, summary: "Routed requests per method: tier mix and saving against always-top" },
        },
      )
  );
}

const envelope = (r: Range) => ({
  from: r.from.toISOString(),
  to: r.to.toISOString(),
  team_id: r.teamId ?? null,
});
const costliestFirst = (a: SpendGroup, b: SpendGroup) =>
  b.costMicros - a.costMicros || b.requests - a.requests;

export async function byKey(store: Store, r: Range) {
  const groups = (await store.spend.groupBy(["apiKeyId"], filterOf(r))).sort(costliestFirst);
  const ids = groups.map((g) => g.dims.apiKeyId ?? "").filter(Boolean);
  const keys = new Map((await store.keys.labels(ids)).map((k) => [k.id, k]));
  return {
    ...envelope(r),
    data: groups.map((g) => {
      const key = keys.get(g.dims.apiKeyId ?? "");
      return {
        api_key_id: g.dims.apiKeyId ?? "",
        name: key?.name ?? null,
        key_prefix: key?.keyPrefix ?? null,
        user_id: key?.userId ?? null,
        ...figures(g),
      };
    }),
  };
}

/** The router records reasons as "<tier> tier: <rule> (<figures>)"; the store groups by the part before " (". */
const TIERED = /^(\w+) tier: (.+)$/;

export async function routingDaily(store: Store, r: Range) {
  const groups = await store.spend.groupBy(["day", "routingRule", "model"], filterOf(r));
  return {
    ...envelope(r),
    data: groups
      .filter((g) => g.dims.routingRule)
      .map((g) => {
        const rule = g.dims.routingRule ?? "";
        const m = TIERED.exec(rule);
        return {
          day: g.dims.day ?? "",
          tier: m?.[1] ?? null,
          rule: m?.[2] ?? rule,
          model: g.dims.model ?? "",
          ...figures(g),
        };
      })
      .sort((a, b) => a.day.localeCompare(b.day) || b.requests - a.requests),
  };
}
