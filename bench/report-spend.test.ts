// The spend-row check: a writer that lags one scenario is not a lost row; a row missing at the end is.
import { expect, test } from "bun:test";
import type { Spend, WrkResult } from "./report-format.ts";
import { type SpendScenario, spendSection } from "./report-spend.ts";

const wrk = (requests: number, total200: number): SpendScenario =>
  ({
    requests,
    durationUs: 1_000_000,
    bytes: 0,
    errors: { connect: 0, read: 0, write: 0, status: 0, timeout: 0 },
    latencyUs: { p50: 1, p90: 1, p99: 1, p999: 1, max: 1, mean: 1 },
    spendAfter: { total: total200, byStatus: { "200": total200 } },
  }) as WrkResult & { spendAfter: Spend };

const input = (final200: number) => ({
  targets: ["snodus-pg"],
  name: (t: string) => t,
  order: () => ["c128", "c1"],
  // 1,000 answered at 128 connections, only 700 rows counted then; 100 more answered at one
  // connection, by then all 1,100 rows are there.
  scenario: (_t: string, s: string) =>
    s === "c128" ? wrk(1_000, 700) : s === "c1" ? wrk(100, 1_100) : undefined,
  finalSpend: () => ({ total: final200, byStatus: { "200": final200 } }),
  wrkConns: (s: string) => (s.startsWith("c") ? Number(s.slice(1)) : undefined),
});

test("a writer catching up after one scenario loses nothing; the final count decides", () => {
  const caughtUp = spendSection(input(1_100));
  expect(caughtUp.checks.map((c) => c.lost)).toEqual([300, 0]);
  expect(caughtUp.totalLost).toBe(0);
  const missing = spendSection(input(1_090));
  expect(missing.totalLost).toBe(10);
});
