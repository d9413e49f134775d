// The labelled routing set: big enough, ids unique and stable, the held-out part apart, and the harness runs.
import { expect, test } from "bun:test";
import { ALL, CLAUDE_CODE, isHeldOut, LAST_TURNS } from "./set/index.ts";

test("at least 300 last turns across the three labels and 50 Claude Code shapes", () => {
  expect(LAST_TURNS.length).toBeGreaterThanOrEqual(300);
  expect(CLAUDE_CODE.length).toBeGreaterThanOrEqual(50);
  for (const label of ["trivial", "medium", "hard"] as const) {
    expect(LAST_TURNS.filter((i) => i.label === label).length).toBeGreaterThanOrEqual(80);
    expect(CLAUDE_CODE.filter((i) => i.label === label).length).toBeGreaterThanOrEqual(5);
  }
});

test("ids are unique, so an item's split never depends on its neighbours", () => {
  expect(new Set(ALL.map((i) => i.id)).size).toBe(ALL.length);
});

test("about 40 % is held out, in both parts of the set", () => {
  const share = (xs: readonly (typeof ALL)[number][]) => xs.filter(isHeldOut).length / xs.length;
  for (const part of [LAST_TURNS, CLAUDE_CODE]) {
    expect(share(part)).toBeGreaterThan(0.3);
    expect(share(part)).toBeLessThan(0.5);
  }
});

test("npm run routing:eval prints the comparison table for the held-out part", () => {
  const run = Bun.spawnSync([process.execPath, "bench/routing/eval.ts", "--rounds", "1", "--batch", "1"], {
    cwd: `${import.meta.dir}/../..`,
  });
  const out = run.stdout.toString();
  expect(run.exitCode).toBe(0);
  expect(out).toStartWith("Held-out part: ");
  for (const method of ["score", "rules", "always-top", "always-middle", "shuffled control"])
    expect(out).toContain(`| ${method} | `);
  expect(out).toContain("| score (sticky) | ");
  // The timing says how it was taken and under what load; the cost is also shown at other prices.
  expect(out).toMatch(/1-minute load average \d+\.\d\d → \d+\.\d\d on \d+ cores/);
  expect(out).toContain("| fastest round p50 / p99 |");
  expect(out).toContain("Haiku 4.5 / Sonnet 4.5 / Opus 4.1");
  expect(out).toContain("| label | items | share of the always-top bill |");
  expect(out).toContain("| request | typed chars | decide | request shape |");
  expect(out).not.toContain("Misroutes");
});
