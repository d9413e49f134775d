// Issue 14's targets: each verdict from ratios to the floors of the same run, "not measured" when one is missing.
import { describe, expect, test } from "bun:test";
import { floorGoals } from "./report-floor.ts";
import type { LoadResult, Sut, WrkResult } from "./report-format.ts";

const pct = (p99: number, p50 = p99 / 2) => ({ p50, p90: p99, p99, p999: p99, max: p99, mean: p50 });
const sut = (cpuMs: number): Sut => ({ rssStartKb: 0, rssPeakKb: 0, rssEndKb: 0, cpuMs, cpuShare: 1 });
const wrk = (requests: number, p50Us: number, p99Us: number, cpuMs = 0): WrkResult & { sut: Sut } => ({
  requests,
  durationUs: 1_000_000,
  bytes: 0,
  errors: { connect: 0, read: 0, write: 0, status: 0, timeout: 0 },
  latencyUs: pct(p99Us, p50Us),
  sut: sut(cpuMs),
});
const load = (p99: number, ttfbP99 = p99) => ({ latencyMs: pct(p99), ttfbMs: pct(ttfbP99) }) as LoadResult;

describe("issue 14's targets", () => {
  test("ratios against the floors decide each verdict", () => {
    const runs: Record<string, Record<string, WrkResult & { sut: Sut }>> = {
      direct: { c1: wrk(10_000, 100, 400) },
      "bun-proxy": { c8: wrk(20_000, 0, 0, 600), max: wrk(20_000, 0, 0), ccmax: wrk(5_000, 0, 0) },
      nginx: { c1: wrk(10_000, 200, 1_400) },
      "portkey-node": { max: wrk(1_000, 0, 0) },
      "snodus-sqlite": {
        c8: wrk(10_000, 0, 0, 900), // 90 µs vs the floor's 30: 3×
        max: wrk(15_000, 0, 0), // 0.75× the floor, 15× Portkey
        ccmax: wrk(3_000, 0, 0),
        c1: wrk(10_000, 250, 2_400), // added p50 0.15 ms (nginx 0.1 + 0.1 = 0.2: met), p99 2 ms (nginx 1 ms: 2×)
      },
    };
    const loads: Record<string, Record<string, LoadResult>> = {
      direct: { rate2000: load(1), stream: load(1, 1) },
      "bun-proxy": { rate2000: load(3), stream: load(2, 2) },
      "snodus-sqlite": { rate2000: load(3.5), stream: load(2, 2.4) },
    };
    const goals = floorGoals({
      wrk: (t, s) => runs[t]?.[s],
      load: (t, s) => loads[t]?.[s],
      rssAt10kKb: () => 290 * 1024,
      lostRows: 0,
    });
    const met = (prefix: string) => goals.find((g) => g.goal.startsWith(prefix))?.met;
    // Postgres was not run: every goal that needs both dialects is "not measured".
    expect(met("CPU per request")).toBeUndefined();
    expect(met("maximum throughput, small request, ≥ 15×")).toBe(true);
    expect(met("RSS with 10,000")).toBe(true);
    expect(met("zero lost")).toBe(true);
    expect(goals.find((g) => g.goal.startsWith("CPU per request"))?.result).toContain("SQLite 3.00×");

    runs["snodus-pg"] = runs["snodus-sqlite"] as Record<string, WrkResult & { sut: Sut }>;
    loads["snodus-pg"] = loads["snodus-sqlite"] as Record<string, LoadResult>;
    const both = floorGoals({
      wrk: (t, s) => runs[t]?.[s],
      load: (t, s) => loads[t]?.[s],
      rssAt10kKb: () => 310 * 1024,
      lostRows: 1,
    });
    const verdicts = Object.fromEntries(both.map((g) => [g.goal.slice(0, 24), g.met]));
    expect(verdicts).toEqual({
      "CPU per request ≤ 1.5× t": false,
      "maximum throughput, smal": true, // both "small request" goals: 0.75× the floor, 15× Portkey
      "maximum throughput, Clau": false, // 0.6×
      "added p50 at concurrency": true, // +0.15 ms ≤ nginx's +0.1 + 0.1
      "added p99 at concurrency": false, // +2 ms = 2× nginx's +1
      "added p99 at 2,000 req/s": true, // +2.5 ms = 1.25× the floor's +2
      "streaming: added TTFB p9": true, // +1.4 ms = 1.4× the floor's +1
      "RSS with 10,000 open str": false,
      "zero lost spend rows": false,
    });
  });
});
