// /admin/analytics/export: the spend log in range as CSV, streamed chunk by chunk.
import { Elysia, t } from "elysia";
import { spendCsvStream } from "../analytics/csv.ts";
import { reportsOf } from "../analytics/jobs.ts";
import { filterOf, resolveRange } from "../analytics/service.ts";
import { type AdminAuth, type AdminDeps, adminAuth } from "./auth.ts";
import { strictQuery } from "./query.ts";
import { CsvExport } from "./report-schemas.ts";
import { ID_ERRORS, RangeQuery } from "./schemas.ts";

const MonthlyQuery = t.Object({
  ...RangeQuery.properties,
  by: t.Optional(
    t.Union([t.Literal("team"), t.Literal("key")], {
      description: "One row per month and team (default) or key",
    }),
  ),
});

const day = (d: Date) => d.toISOString().slice(0, 10);

export function exportRoutes(deps: AdminDeps, auth: AdminAuth) {
  // Read and formatted in the store's report lane (../analytics/jobs.ts); the event loop passes bytes on.
  const reports = reportsOf(deps.store);
  return new Elysia({ prefix: "/admin/analytics" })
    .use(adminAuth(auth))
    .get(
      "/export/monthly",
      async ({ scope, query }) => {
        const range = resolveRange(scope, query, deps.now());
        const by = query.by ?? "team";
        return new Response(await reports.run({ report: "chargeback", range, by }), {
          headers: {
            "content-type": "text/csv; charset=utf-8",
            "content-disposition": `attachment; filename="snodus-chargeback-${by}-${day(range.from)}-${day(range.to)}.csv"`,
            "cache-control": "no-store",
          },
        });
      },
      {
        ...strictQuery(MonthlyQuery),
        response: { 200: CsvExport, ...ID_ERRORS },
        detail: {
          tags: ["analytics"],
          summary: "Spend per UTC month and team or key, with names, as CSV (for chargeback)",
        },
      },
    )
    .get(
      "/export",
      ({ scope, query }) => {
        const range = resolveRange(scope, query, deps.now());
        const stream = spendCsvStream(reports, filterOf(range));
        return new Response(stream, {
          headers: {
            "content-type": "text/csv; charset=utf-8",
            "content-disposition": `attachment; filename="snodus-spend-${day(range.from)}-${day(range.to)}.csv"`,
            "cache-control": "no-store",
          },
        });
      },
      {
        ...strictQuery(RangeQuery),
        response: { 200: CsvExport, ...ID_ERRORS },
        detail: {
          tags: ["analytics"],
          summary: "Spend log in range as RFC 4180 CSV (streamed; one header row)",
        },
      },
    );
}
