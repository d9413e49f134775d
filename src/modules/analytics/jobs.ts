// Whole reports as text, so they can run in the store's report lane (a worker thread) and not on the /v1 event loop.
//
// A report's cost on the thread that runs it is more than its query: the rows arriving from the
// database (structured clone from a SQLite worker, the wire protocol from Postgres), the figures built
// from them, and the JSON or CSV text. Run on the event loop that also serves /v1/*, that pushed proxy
// p99 2.3–3.3× up while an admin looped over the Spend tab or an export (BENCHMARKS.md, issue 12).
// Here a report is a job (plain data), and its answer one string or one chunk of bytes.
import type { LatencyQuery, SpendCursor, SpendFilter, Store } from "../../store/types.ts";
import { byKey, routingDaily } from "./breakdowns.ts";
import { type ChargebackBy, chargebackCsv } from "./chargeback.ts";
import { csvPage } from "./csv.ts";
import { latencyReport } from "./latency.ts";
import { type RoutingPricing, routingMethods } from "./routing-methods.ts";
import { byModel, byProvider, byUser, daily, type Range, recent, routing } from "./service.ts";

/** The reports that need nothing but a date range (and the caller's team). */
export type RangeReport = "daily" | "models" | "users" | "providers" | "routing" | "keys" | "routing/daily";

export type ReportJob =
  | { report: RangeReport; range: Range }
  | { report: "routing/methods"; range: Range; pricing: RoutingPricing }
  | { report: "latency"; query: LatencyQuery }
  | { report: "recent"; range: Range; limit: number; after: SpendCursor | null; rows: SpendFilter }
  | { report: "chargeback"; range: Range; by: ChargebackBy };

/** One chunk of a CSV export; `exportId` keeps the names already looked up for that export. */
export interface CsvPageJob {
  exportId: string;
  filter: SpendFilter;
  after: SpendCursor | null;
  limit: number;
}

export interface CsvPage {
  /** UTF-8 CSV lines, empty when no row was left. */
  bytes: Uint8Array;
  /** Where the next chunk starts; null after the last one. */
  next: SpendCursor | null;
}

/** Where whole reports run. */
export interface ReportLane {
  /** The answer's body: JSON text, or CSV text for the chargeback export. */
  run(job: ReportJob): Promise<string>;
  csvPage(job: CsvPageJob): Promise<CsvPage>;
}

async function answer(store: Store, job: ReportJob): Promise<unknown> {
  switch (job.report) {
    case "daily":
      return daily(store, job.range);
    case "models":
      return byModel(store, job.range);
    case "users":
      return byUser(store, job.range);
    case "providers":
      return byProvider(store, job.range);
    case "routing":
      return routing(store, job.range);
    case "keys":
      return byKey(store, job.range);
    case "routing/daily":
      return routingDaily(store, job.range);
    case "routing/methods":
      return routingMethods(store, job.pricing, job.range);
    case "latency":
      return latencyReport(store, job.query);
    case "recent":
      return recent(store, job.range, job.limit, job.after, job.rows);
    case "chargeback":
      return chargebackCsv(store, job.range, job.by);
  }
}

/** Runs `job` on `store` on this thread and returns the answer's body. */
export async function runReport(store: Store, job: ReportJob): Promise<string> {
  const value = await answer(store, job);
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Reports run on this thread against `store` (the report lane's worker runs these). */
export const inlineReports = (store: Store): ReportLane => ({
  run: (job) => runReport(store, job),
  csvPage: (job) => csvPage(store, job),
});

/** The store's report lane when it has one (a worker thread), else this thread (the CLI, tests, :memory:). */
export const reportsOf = (store: Store): ReportLane => store.reportLane ?? inlineReports(store);
