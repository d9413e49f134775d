// /admin/analytics/export: the spend log in range as CSV, streamed chunk by chunk.
import { Elysia } from "elysia";
import { spendCsvStream } from "../analytics/csv.ts";
import { filterOf, resolveRange } from "../analytics/service.ts";
import { type AdminAuth, type AdminDeps, adminAuth } from "./auth.ts";
import { CsvExport } from "./report-schemas.ts";
import { ID_ERRORS, RangeQuery } from "./schemas.ts";

export function exportRoutes(deps: AdminDeps, auth: AdminAuth) {
  return new Elysia({ prefix: "/admin/analytics" }).use(adminAuth(auth)).get(
    "/export",
    ({ scope, query }) => {
      const range = resolveRange(scope, query, deps.now());
      const day = (d: Date) => d.toISOString().slice(0, 10);
      const stream = spendCsvStream(deps.store, filterOf(range));
      return new Response(stream, {
        headers: {
          "content-type": "text/csv; charset=utf-8",
          "content-disposition": `attachment; filename="snodus-spend-${day(range.from)}-${day(range.to)}.csv"`,
          "cache-control": "no-store",
        },
      });
    },
    {
      query: RangeQuery,
      response: { 200: CsvExport, ...ID_ERRORS },
      detail: {
        tags: ["analytics"],
        summary: "Spend log in range as RFC 4180 CSV (streamed; one header row)",
      },
    },
  );
}
