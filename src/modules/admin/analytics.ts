// /admin/analytics/*: dashboard figures over a date range, narrowed to the caller's team.
//
// Every report runs as a job in the store's report lane (../analytics/jobs.ts) and comes back as its
// JSON text: neither its rows nor its encoding touch the event loop that serves /v1/*.
import { Elysia } from "elysia";
import { reportsOf } from "../analytics/jobs.ts";
import { latencyQuery } from "../analytics/latency.ts";
import { decodeCursor, recentFilter, resolveRange } from "../analytics/service.ts";
import { type AdminAuth, type AdminDeps, adminAuth } from "./auth.ts";
import { jsonText, rangedReport } from "./json.ts";
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
  const reports = reportsOf(store);
  const opts = <R>(response: R, summary: string) => ({
    ...strictQuery(RangeQuery),
    response: { 200: response, ...ID_ERRORS },
    detail: { tags, summary },
  });
  const ranged = rangedReport(reports, now);
  return new Elysia({ prefix: "/admin/analytics" })
    .use(adminAuth(auth))
    .get("/daily", ranged("daily"), opts(DailyReport, "Spend, tokens and requests per UTC day"))
    .get("/models", ranged("models"), opts(ModelReport, "Spend per model"))
    .get("/users", ranged("users"), opts(UserReport, "Spend per user"))
    .get("/providers", ranged("providers"), opts(ProviderReport, "Spend, errors and latency per provider"))
    .get(
      "/routing",
      ranged("routing"),
      opts(RoutingReport, "Smart-routing decisions and the models they chose"),
    )
    .get(
      "/latency",
      async ({ scope, query }) =>
        jsonText(await reports.run({ report: "latency", query: latencyQuery(scope, query, now()) })),
      {
        ...strictQuery(LatencyQuery),
        response: { 200: LatencyReport, ...ID_ERRORS },
        detail: {
          tags,
          summary: "Latency percentiles (p50/p95/p99) and error rates per model or provider, per hour or day",
        },
      },
    )
    .get(
      "/recent",
      async ({ scope, query }) => {
        // The range and cursor are checked here, so a bad one is a 422 before any store work.
        const range = resolveRange(scope, query, now());
        const after = query.cursor ? decodeCursor(query.cursor) : null;
        return jsonText(
          await reports.run({
            report: "recent",
            range,
            limit: query.limit ?? 50,
            after,
            rows: recentFilter(query),
          }),
        );
      },
      {
        ...strictQuery(RecentQuery),
        response: { 200: RecentReport, ...ID_ERRORS },
        detail: { tags, summary: "Latest requests, newest first (cursor pagination)" },
      },
    );
}
