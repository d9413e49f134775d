// The public board's measures as tables: added latency at concurrency 1, CPU per request at 8, req/s under p99 bounds, and the estimate.
//
// The board (GetBusbar/benchmarking) reports, per gateway on one rig against one mock: added p99 at
// concurrency 1, the highest req/s sustained under p99 bounds, and CPU per request. Its rig is not
// this machine, so our figures are placed beside its own only through a gateway both measure: Portkey.

import {
  cpuPerRequest,
  f2,
  f3,
  int,
  type LoadResult,
  type Sut,
  signed,
  table,
  type WrkResult,
  wrkRps,
} from "./report-format.ts";

/** Published by the board, added p99 at concurrency 1 (µs) and CPU per request where given (µs). */
export const BOARD = {
  portkeyAddedP99Us: 3262,
  rows: [
    { gateway: "Rust gateways (fastest to slowest)", addedP99Us: "107–186", cpuUs: "" },
    { gateway: "Bifrost", addedP99Us: "939", cpuUs: "~941" },
    { gateway: "Portkey", addedP99Us: "3,262", cpuUs: "" },
    { gateway: "LiteLLM", addedP99Us: "7,996", cpuUs: "" },
  ],
};
export const P99_BOUNDS_MS = [1, 5, 10];
/** An added latency within measurement noise (≤ 0.05 ms, even negative) counts as 0.05 ms in ratios. */
const NOISE_MS = 0.05;
/** A step sustained its rate when it answered ≥ 95 % of it (the rest is the client's own jitter). */
const SUSTAINED = 0.95;

type Wrk = WrkResult & { sut?: Sut };
interface Input {
  targets: string[];
  name: (t: string) => string;
  wrk: (t: string, s: string) => Wrk | undefined;
  load: (t: string, s: string) => LoadResult | undefined;
  /** The sweep's step scenarios of a target, in the order they ran (`sweep-c8-3`). */
  sweepSteps: (t: string) => string[];
}

export interface SweepRow {
  target: string;
  conns: number;
  closedLoopRps: number;
  closedLoopP99Ms: number;
  /** Highest fixed rate sustained with p99 ≤ bound (every lower step passing too); null: even the lowest step failed. */
  underP99: Record<string, number | null>;
  lowestStep: number;
  steps: { rate: number; achieved: number; p99Ms: number; notOk: number; otherOnSutCore: number | null }[];
}

const wrkErrors = (w: WrkResult) =>
  w.errors.connect + w.errors.read + w.errors.write + w.errors.status + w.errors.timeout;

export function sweepRows(i: Input): SweepRow[] {
  const rows: SweepRow[] = [];
  for (const t of i.targets) {
    const byConns = new Map<number, string[]>();
    for (const s of i.sweepSteps(t)) {
      const m = /^sweep-c(\d+)-\d+$/.exec(s);
      if (m) byConns.set(Number(m[1]), [...(byConns.get(Number(m[1])) ?? []), s]);
    }
    for (const [conns, names] of [...byConns].sort((a, b) => a[0] - b[0])) {
      const w = i.wrk(t, `c${conns}`);
      const steps = names
        .map((s) => i.load(t, s))
        .filter((r): r is LoadResult => r !== undefined)
        .map((r) => ({
          rate: r.targetRate,
          achieved: r.achievedRate,
          p99Ms: r.latencyFromScheduleMs.p99,
          notOk: r.measured - (r.statuses["200"] ?? 0),
          otherOnSutCore: r.sut.otherOnSutCore ?? null,
        }));
      const underP99: Record<string, number | null> = {};
      for (const bound of P99_BOUNDS_MS) {
        let best: number | null = null;
        for (const st of steps) {
          if (st.p99Ms > bound || st.notOk > 0 || st.achieved < SUSTAINED * st.rate) break;
          best = st.rate;
        }
        underP99[String(bound)] = best;
      }
      rows.push({
        target: t,
        conns,
        closedLoopRps: w ? Math.round(wrkRps(w) ?? 0) : 0,
        closedLoopP99Ms: w ? w.latencyUs.p99 / 1000 : 0,
        underP99,
        lowestStep: steps[0]?.rate ?? 0,
        steps,
      });
    }
  }
  return rows;
}

/** Estimated added p99 on the board's rig: the board's Portkey × (ours here / Portkey on Node here). */
export function boardEstimateUs(addedP99Ms: number | undefined, portkeyAddedP99Ms: number | undefined) {
  if (addedP99Ms === undefined || portkeyAddedP99Ms === undefined) return undefined;
  return (BOARD.portkeyAddedP99Us * Math.max(addedP99Ms, NOISE_MS)) / Math.max(portkeyAddedP99Ms, NOISE_MS);
}

export function boardSection(i: Input): { lines: string[]; summary: unknown } {
  const out: string[] = [];
  const add = (s = "") => out.push(s);
  const c1 = (t: string) => i.wrk(t, "c1");
  const added = (t: string, q: "p50" | "p99") => {
    const a = c1(t)?.latencyUs[q];
    const d = c1("direct")?.latencyUs[q];
    return a === undefined || d === undefined ? undefined : (a - d) / 1000;
  };

  // ---- concurrency 1 ----
  const atOne = i.targets.filter((t) => c1(t));
  if (atOne.length) {
    add("### Added latency at concurrency 1 (wrk, 1 connection, keep-alive, closed loop), small request");
    add();
    add(
      table(
        [
          "target",
          "req/s",
          "p50 ms",
          "p99 ms",
          "added p50 ms",
          "added p99 ms",
          "SUT CPU µs/req",
          "errors + non-2xx",
          "other load on SUT core",
        ],
        atOne.map((t) => {
          const w = c1(t) as Wrk;
          const d = t === "direct";
          return [
            i.name(t),
            int(wrkRps(w)),
            f3(w.latencyUs.p50 / 1000),
            f3(w.latencyUs.p99 / 1000),
            d ? "" : signed(added(t, "p50")),
            d ? "" : signed(added(t, "p99")),
            int(cpuPerRequest(w)),
            int(wrkErrors(w)),
            f2(w.sut?.otherOnSutCore),
          ];
        }),
      ),
    );
    add();
  }

  // ---- CPU per request at concurrency 8 ----
  const atEight = i.targets.filter((t) => i.wrk(t, "c8"));
  const floorCpu = cpuPerRequest(i.wrk("bun-proxy", "c8"));
  if (atEight.length) {
    add("### CPU per request at concurrency 8 (wrk, 8 connections, closed loop), from /proc of the SUT");
    add();
    add(
      table(
        [
          "target",
          "req/s",
          "p99 ms",
          "SUT CPU (cores)",
          "SUT CPU µs/req",
          "× bare Bun proxy",
          "errors + non-2xx",
          "other load on SUT core",
        ],
        atEight.map((t) => {
          const w = i.wrk(t, "c8") as Wrk;
          const cpu = cpuPerRequest(w);
          return [
            i.name(t),
            int(wrkRps(w)),
            f2(w.latencyUs.p99 / 1000),
            f2(w.sut?.cpuShare),
            int(cpu),
            cpu === undefined || floorCpu === undefined ? "–" : f2(cpu / floorCpu),
            int(wrkErrors(w)),
            f2(w.sut?.otherOnSutCore),
          ];
        }),
      ),
    );
    add();
  }

  // ---- where that CPU goes, by thread ----
  const threaded = atEight.filter((t) => i.wrk(t, "c8")?.sut?.cpuByThreadMs);
  if (threaded.length) {
    add("### Where the CPU per request at concurrency 8 goes, by thread (µs per request)");
    add();
    const split = (t: string) => {
      const w = i.wrk(t, "c8") as Wrk;
      const per = (ms: number) => (ms * 1000) / Math.max(1, w.requests);
      const by = w.sut?.cpuByThreadMs ?? {};
      const main = per(by["main (JS event loop)"] ?? 0);
      const http = per(by["HTTP Client"] ?? 0);
      const sqlite = per(sumWhere(by, (n) => n.startsWith("snodus-sqlite")));
      const gc = per(sumWhere(by, (n) => n === "HeapHelper"));
      const all = per(sumWhere(by, () => true));
      const other = all - main - http - sqlite - gc;
      return [i.name(t), int(main), int(http), int(sqlite), int(gc), int(other), int(all)];
    };
    add(
      table(
        [
          "target",
          "JS event loop",
          "fetch's HTTP client thread",
          "SQLite worker lanes",
          "GC helper threads",
          "other threads",
          "all threads",
        ],
        threaded.map(split),
      ),
    );
    add();
  }

  // ---- sweep ----
  const rows = sweepRows(i);
  if (rows.length) {
    add(
      "### Concurrency sweep: highest req/s sustained with p99 under a bound (fixed-rate steps on N connections, p99 from the schedule)",
    );
    add();
    const bound = (r: SweepRow, b: number) => {
      const v = r.underP99[String(b)];
      return v === null || v === undefined ? `< ${int(r.lowestStep)}` : int(v);
    };
    add(
      table(
        [
          "target",
          "connections",
          "closed-loop req/s",
          "closed-loop p99 ms",
          ...P99_BOUNDS_MS.map((b) => `req/s at p99 ≤ ${b} ms`),
          "steps (req/s: p99 ms)",
          "max other load on SUT core",
        ],
        rows.map((r) => [
          i.name(r.target),
          String(r.conns),
          int(r.closedLoopRps),
          f2(r.closedLoopP99Ms),
          ...P99_BOUNDS_MS.map((b) => bound(r, b)),
          r.steps
            .map((s) => `${int(s.rate)}: ${f2(s.p99Ms)}${s.notOk ? ` (${s.notOk} not 200)` : ""}`)
            .join(", "),
          f2(Math.max(0, ...r.steps.map((s) => s.otherOnSutCore ?? 0))),
        ]),
      ),
    );
    add();
  }

  // ---- the estimate ----
  const pk = added("portkey-node", "p99");
  const estimated = i.targets
    .filter((t) => t !== "direct" && t !== "portkey-node" && added(t, "p99") !== undefined)
    .map((t) => ({ target: t, addedP99Ms: added(t, "p99"), boardUs: boardEstimateUs(added(t, "p99"), pk) }));
  add("### Beside the GetBusbar/benchmarking board (ESTIMATE, through Portkey's ratio)");
  add();
  add(
    `Estimate = board's Portkey added p99 (${int(BOARD.portkeyAddedP99Us)} µs) × (target's added p99 at concurrency 1 here ÷ ` +
      `Portkey on Node's here, ${pk === undefined ? "not measured in this run" : `${signed(pk)} ms`}); added p99 under ${NOISE_MS} ms counts as ${NOISE_MS} ms.`,
  );
  add();
  add(
    table(
      ["gateway", "added p99 at c=1, µs", "CPU µs/req", "source"],
      [
        ...BOARD.rows.map((r) => [r.gateway, r.addedP99Us, r.cpuUs || "–", "board (published)"]),
        ...estimated.map((e) => [
          `${i.name(e.target)}`,
          e.boardUs === undefined ? "–" : `≈ ${int(e.boardUs)}`,
          "–",
          pk === undefined
            ? `no estimate: ${signed(e.addedP99Ms)} ms here, and Portkey on Node was not measured in this run`
            : `**estimate**: ${signed(e.addedP99Ms)} ms here × ${int(BOARD.portkeyAddedP99Us)} µs ÷ Portkey's ${signed(pk)} ms`,
        ]),
      ],
    ),
  );
  add();
  return {
    lines: out,
    summary: {
      addedAtC1Ms: Object.fromEntries(atOne.map((t) => [t, { p50: added(t, "p50"), p99: added(t, "p99") }])),
      cpuUsPerRequestAtC8: Object.fromEntries(atEight.map((t) => [t, cpuPerRequest(i.wrk(t, "c8"))])),
      sweep: rows,
      boardEstimateUs: Object.fromEntries(estimated.map((e) => [e.target, e.boardUs])),
    },
  };
}

function sumWhere(by: Record<string, number>, pick: (name: string) => boolean): number {
  let sum = 0;
  for (const [name, ms] of Object.entries(by)) if (pick(name)) sum += ms;
  return sum;
}
