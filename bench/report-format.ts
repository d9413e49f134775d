// What bench/run leaves in its work folder (the shapes report.ts reads) and the Markdown formatting it writes.

export interface Pct {
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}
export interface Sut {
  rssStartKb: number;
  rssPeakKb: number;
  rssEndKb: number;
  cpuMs: number;
  /** The same time by thread name (bench/procfs.ts cpuMsByThread); absent in older results. */
  cpuByThreadMs?: Record<string, number>;
  cpuShare: number;
  cpuUsPerRequest?: number | null;
  otherOnSutCore?: number | null;
}
export interface LoadResult {
  targetRate: number;
  measured: number;
  ok: number;
  okAll: number;
  failed: number;
  statuses: Record<string, number>;
  achievedRate: number;
  maxInflight: number;
  latencyMs: Pct;
  latencyFromScheduleMs: Pct;
  ttfbMs: Pct;
  lagMs: Pct;
  sut: Sut;
  durationS: number;
}
export interface WrkResult {
  requests: number;
  durationUs: number;
  bytes: number;
  errors: { connect: number; read: number; write: number; status: number; timeout: number };
  latencyUs: Pct;
}
/** Requests per second of a wrk run. */
export const wrkRps = (w: WrkResult | undefined) => (w ? (w.requests / w.durationUs) * 1e6 : undefined);
/** The SUT's CPU µs per request answered during a wrk run (sut.ts attached), when it was measured. */
export const cpuPerRequest = (w: (WrkResult & { sut?: Sut }) | undefined) =>
  w?.sut ? (w.sut.cpuMs * 1000) / Math.max(1, w.requests) : undefined;
export interface Spend {
  total: number;
  byStatus: Record<string, number>;
}
export interface Info {
  rssIdleKb: number;
  rssAfterLoadKb: number;
  pids: string;
}

export const f2 = (x: number | undefined | null) =>
  x === undefined || x === null || Number.isNaN(x) ? "–" : x.toFixed(2);
export const f3 = (x: number | undefined | null) =>
  x === undefined || x === null || Number.isNaN(x) ? "–" : x.toFixed(3);
export const int = (x: number | undefined | null) =>
  x === undefined || x === null || Number.isNaN(x) ? "–" : Math.round(x).toLocaleString("en-US");
export const mb = (kb: number | undefined) => (kb === undefined ? "–" : (kb / 1024).toFixed(0));
export const signed = (x: number | undefined) =>
  x === undefined ? "–" : `${x >= 0 ? "+" : ""}${x.toFixed(3)}`;
export const table = (head: string[], rows: string[][]) =>
  [
    `| ${head.join(" | ")} |`,
    `|${head.map(() => "---").join("|")}|`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
