// /admin/analytics/*: dashboard figures over a date range, narrowed to the caller's team.
import { Elysia } from "elysia";
import { latencyQuery, latencyReport } from "../analytics/latency.ts";
import {
  byModel,
  byProvider,
  byUser,
  daily,
  recent,
  recentFilter,
  resolveRange,
  routing,
} from "../analytics/service.ts";
import { type AdminAuth, type AdminDeps, adminAuth } from "./auth.ts";
import { jsonResponse } from "./json.ts";
import { LatencyQuery, LatencyReport } from "./latency-schemas.ts";
import { strictQuery } from "./query.ts";
import {
  DailyReport,
  ModelReport,
  ProviderReport,
  RecentReport,
  RoutingReport,
  UserReport,
} from "./report-schemas.ts";
import { ID_ERRORS, RangeQuery, RecentQuery } from "./schemas.ts";

const tags = ["analytics"];

export function analyticsRoutes(deps: AdminDeps, auth: AdminAuth) {
  const { store, now } = deps;
  const opts = <R>(response: R, summary: string) => ({
    ...strictQuery(RangeQuery),
    response: { 200: response, ...ID_ERRORS },
    detail: { tags, summary },
  });
  return new Elysia({ prefix: "/admin/analytics" })
    .use(adminAuth(auth))
    .get(
      "/daily",
      ({ scope, query }) => daily(store, resolveRange(scope, query, now())),
      opts(DailyReport, "Spend, tokens and requests per UTC day"),
    )
    .get(
      "/models",
      ({ scope, query }) => byModel(store, resolveRange(scope, query, now())),
      opts(ModelReport, "Spend per model"),
    )
    .get(
      "/users",
      // One row per user: hundreds of rows, so sent as serialized JSON (see ./json.ts).
      async ({ scope, query }) => jsonResponse(await byUser(store, resolveRange(scope, query, now()))),
      opts(UserReport, "Spend per user"),
    )
    .get(
      "/providers",
      ({ scope, query }) => byProvider(store, resolveRange(scope, query, now())),
      opts(ProviderReport, "Spend, errors and latency per provider"),
    )
    .get(
      "/routing",
      ({ scope, query }) => routing(store, resolveRange(scope, query, now())),
      opts(RoutingReport, "Smart-routing decisions and the models they chose"),
    )
    .get("/latency", ({ scope, query }) => latencyReport(store, latencyQuery(scope, query, now())), {
      ...strictQuery(LatencyQuery),
      response: { 200: LatencyReport, ...ID_ERRORS },
      detail: {
        tags,
        summary: "Latency percentiles (p50/p95/p99) and error rates per model or provider, per hour or day",
      },
    })
    .get(
      "/recent",
      ({ scope, query }) =>
        recent(
          store,
          resolveRange(scope, query, now()),
          query.limit ?? 50,
          query.cursor,
          recentFilter(query),
        ),
      {
        ...strictQuery(RecentQuery),
        response: { 200: RecentReport, ...ID_ERRORS },
        detail: { tags, summary: "Latest requests, newest first (cursor pagination)" },
      },
    );
}
