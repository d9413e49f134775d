// JSON answers passed through as text, for reports built off the event loop (analytics/jobs.ts).
import type { RangeReport, ReportLane } from "../analytics/jobs.ts";
import { type RangeQuery, resolveRange } from "../analytics/service.ts";
import type { Scope } from "../auth/scope.ts";
//
// A route with a `response` schema has Elysia check and encode its answer through TypeBox at run time,
// on the event loop that also serves /v1/*. For a 2,000-key report with nullable fields that held the
// loop ~60 ms a call under load (BENCHMARKS.md, "reports on rollups"); a Response is passed through.
// The schema stays on the route, so the OpenAPI document still describes the answer, and the API
// tests check its content.
export const jsonText = (body: string): Response =>
  new Response(body, { headers: { "content-type": "application/json" } });

/** The route handler of a report over a date range: the job goes to `reports`, its JSON text back out. */
export const rangedReport =
  (reports: ReportLane, now: () => number) =>
  (report: RangeReport) =>
  async ({ scope, query }: { scope: Scope; query: RangeQuery }) =>
    jsonText(await reports.run({ report, range: resolveRange(scope, query, now()) }));
