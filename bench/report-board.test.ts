// The board-style figures read from a bench run: req/s under a p99 bound, and the estimate through Portkey.

import { describe, expect, test } from "bun:test";
import { BOARD, boardEstimateUs, boardSection, sweepRows } from "./report-board.ts";
import type { LoadResult, Sut, WrkResult } from "./report-format.ts";

const pct = (p99: number) => ({ p50: p99 / 2, p90: p99, p99, p999: p99, max: p99, mean: p99 / 2 });
const step = (rate: number, p99: number, opts: { achieved?: number; not200?: number } = {}): LoadResult => ({
  targetRate: rate,
  measured: 1000,
  ok: 1000 - (opts.not200 ?? 0),
  okAll: 1000 - (opts.not200 ?? 0),
  failed: 0,
  statuses: { "200": 1000 - (opts.not200 ?? 0), ...(opts.not200 ? { "502": opts.not200 } : {}) },
  achievedRate: opts.achieved ?? rate,
  maxInflight: 1,
  latencyMs: pct(p99),
  latencyFromScheduleMs: pct(p99),
  ttfbMs: pct(p99),
  lagMs: pct(0),
  sut: { rssStartKb: 0, rssPeakKb: 0, rssEndKb: 0, cpuMs: 0, cpuShare: 0, otherOnSutCore: 0 },
  durationS: 5,
});
const wrk = (requests: number): WrkResult & { sut?: Sut } => ({
  requests,
  durationUs: 1_000_000,
  bytes: 0,
  errors: { connect: 0, read: 0, write: 0, status: 0, timeout: 0 },
  latencyUs: pct(2000),
});

function rowsFor(steps: LoadResult[]) {
  const names = steps.map((_, n) => `sweep-c8-${n + 1}`);
  return sweepRows({
    targets: ["gw"],
    name: (t) => t,
    wrk: (_t, s) => (s === "c8" ? wrk(4000) : undefined),
    load: (_t, s) => steps[names.indexOf(s)],
    sweepSteps: () => names,
  });
}

describe("concurrency sweep", () => {
  test("each bound gets the highest step under it, counting only steps below the first failure", () => {
    const [row] = rowsFor([step(400, 0.8), step(1000, 3), step(1600, 0.9), step(2200, 8), step(2800, 40)]);
    expect(row?.conns).toBe(8);
    expect(row?.closedLoopRps).toBe(4000);
    // 1600 req/s had p99 0.9 ms, but 1000 req/s already exceeded 1 ms: the bound holds up to 400 only.
    expect(row?.underP99).toEqual({ "1": 400, "5": 1600, "10": 2200 });
  });

  test("a step that answered anything but 200 or fell short of its rate was not sustained", () => {
    const [short] = rowsFor([step(400, 0.5), step(1000, 0.5, { achieved: 800 })]);
    expect(short?.underP99["1"]).toBe(400);
    const [errors] = rowsFor([step(400, 0.5, { not200: 1 })]);
    expect(errors?.underP99).toEqual({ "1": null, "5": null, "10": null });
    expect(errors?.lowestStep).toBe(400);
  });
});

describe("estimate on the board's rig", () => {
  test("scales the board's Portkey figure by our ratio to Portkey measured here", () => {
    expect(boardEstimateUs(1, 10)).toBeCloseTo(BOARD.portkeyAddedP99Us / 10);
  });

  test("an added p99 within noise counts as 0.05 ms, and nothing is estimated without Portkey", () => {
    expect(boardEstimateUs(-0.2, 5)).toBeCloseTo((BOARD.portkeyAddedP99Us * 0.05) / 5);
    expect(boardEstimateUs(1, undefined)).toBeUndefined();
  });
});

describe("CPU by thread at concurrency 8", () => {
  test("each thread group's time is divided by the requests answered", () => {
    const sut: Sut = {
      rssStartKb: 0,
      rssPeakKb: 0,
      rssEndKb: 0,
      cpuMs: 1000,
      cpuShare: 1,
      cpuByThreadMs: {
        "main (JS event loop)": 600,
        "snodus-sqlite-w": 200,
        "snodus-sqlite-r": 50,
        HeapHelper: 100,
        JITWorker: 50,
        "HTTP Client": 150,
      },
    };
    const { lines } = boardSection({
      targets: ["gw"],
      name: (t) => t,
      wrk: (_t, s) => (s === "c8" ? { ...wrk(10_000), sut } : undefined),
      load: () => undefined,
      sweepSteps: () => [],
    });
    const text = lines.join("\n");
    const section = text.slice(text.indexOf("### Where the CPU"));
    // 600 ms / 10 000 requests = 60 µs; fetch's thread 15, lanes 25, GC 10, the JIT thread 5; 115 in all.
    expect(section).toContain("\n| gw | 60 | 15 | 25 | 10 | 5 | 115 |\n");
  });
});
