// Issue 14's targets, each a ratio to a floor (the bare Bun proxy, nginx, Portkey) measured in the same run.
import {
  cpuPerRequest,
  f2,
  f3,
  type LoadResult,
  type Sut,
  signed,
  table,
  type WrkResult,
  wrkRps,
} from "./report-format.ts";

type Wrk = WrkResult & { sut?: Sut };

export interface FloorInput {
  wrk: (t: string, s: string) => Wrk | undefined;
  load: (t: string, s: string) => LoadResult | undefined;
  /** RSS at 10 000 open streams, KiB (extrapolated from the open-stream scenarios). */
  rssAt10kKb: (t: string) => number | undefined;
  lostRows: number | undefined;
}

export interface FloorGoal {
  goal: string;
  result: string;
  met: boolean | undefined;
}

const ratio = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined || b <= 0 ? undefined : a / b;
/** An added figure under this is within the harness's noise; ratios use it instead. */
const NOISE_MS = 0.05;
const atLeastNoise = (x: number | undefined) => (x === undefined ? undefined : Math.max(NOISE_MS, x));
const all = (...xs: (boolean | undefined)[]) =>
  xs.some((x) => x === undefined) ? undefined : xs.every(Boolean);

export function floorGoals(i: FloorInput): FloorGoal[] {
  const bun = "bun-proxy";
  const ours = ["snodus-sqlite", "snodus-pg"] as const;
  const label = (t: string) => (t === "snodus-pg" ? "Postgres" : "SQLite");

  const cpu = (t: string) => ratio(cpuPerRequest(i.wrk(t, "c8")), cpuPerRequest(i.wrk(bun, "c8")));
  const max = (t: string, s: string) => ratio(wrkRps(i.wrk(t, s)), wrkRps(i.wrk(bun, s)));
  const c1Added = (t: string, q: "p50" | "p99") => {
    const a = i.wrk(t, "c1")?.latencyUs[q];
    const d = i.wrk("direct", "c1")?.latencyUs[q];
    return a === undefined || d === undefined ? undefined : (a - d) / 1000;
  };
  const added = (t: string, s: string, key: "latencyMs" | "ttfbMs") => {
    const a = i.load(t, s)?.[key].p99;
    const d = i.load("direct", s)?.[key].p99;
    return a === undefined || d === undefined ? undefined : a - d;
  };
  const each = (fmt: (t: string) => string) => ours.map((t) => `${label(t)} ${fmt(t)}`).join("; ");
  const x = (v: number | undefined) => (v === undefined ? "–" : `${f2(v)}×`);

  const nginxP50 = c1Added("nginx", "p50");
  const nginxP99 = c1Added("nginx", "p99");
  const bun2000 = added(bun, "rate2000", "latencyMs");
  const bunTtfb = added(bun, "stream", "ttfbMs");
  const portkey = wrkRps(i.wrk("portkey-node", "max"));
  const sqliteMax = wrkRps(i.wrk("snodus-sqlite", "max"));
  const rss = i.rssAt10kKb("snodus-sqlite");
  const le = (v: number | undefined, bound: number) => (v === undefined ? undefined : v <= bound);
  const ge = (v: number | undefined, bound: number) => (v === undefined ? undefined : v >= bound);

  return [
    {
      goal: "CPU per request ≤ 1.5× the bare Bun proxy's (concurrency 8), all features on",
      result: each((t) => x(cpu(t))),
      met: all(...ours.map((t) => le(cpu(t), 1.5))),
    },
    {
      goal: "maximum throughput, small request, ≥ 0.7× the bare Bun proxy",
      result: each((t) => x(max(t, "max"))),
      met: all(...ours.map((t) => ge(max(t, "max"), 0.7))),
    },
    {
      goal: "maximum throughput, small request, ≥ 15× Portkey on Node",
      result: `SQLite ${x(ratio(sqliteMax, portkey))}`,
      met: ge(ratio(sqliteMax, portkey), 15),
    },
    {
      goal: "maximum throughput, Claude Code-sized request, ≥ 0.8× the bare Bun proxy",
      result: each((t) => x(max(t, "ccmax"))),
      met: all(...ours.map((t) => ge(max(t, "ccmax"), 0.8))),
    },
    {
      goal: "added p50 at concurrency 1 ≤ nginx's + 0.1 ms",
      result: `${each((t) => `${signed(c1Added(t, "p50"))} ms`)}; nginx ${signed(nginxP50)} ms`,
      met:
        nginxP50 === undefined ? undefined : all(...ours.map((t) => le(c1Added(t, "p50"), nginxP50 + 0.1))),
    },
    {
      goal: "added p99 at concurrency 1 ≤ 1.5× nginx's",
      result: `${each((t) => `${signed(c1Added(t, "p99"))} ms`)}; nginx ${signed(nginxP99)} ms`,
      met: all(...ours.map((t) => le(ratio(atLeastNoise(c1Added(t, "p99")), atLeastNoise(nginxP99)), 1.5))),
    },
    {
      goal: "added p99 at 2,000 req/s (open loop) ≤ 1.5× the bare Bun proxy's",
      result: `${each((t) => `${signed(added(t, "rate2000", "latencyMs"))} ms`)}; bare Bun proxy ${signed(bun2000)} ms`,
      met: all(
        ...ours.map((t) =>
          le(ratio(atLeastNoise(added(t, "rate2000", "latencyMs")), atLeastNoise(bun2000)), 1.5),
        ),
      ),
    },
    {
      goal: "streaming: added TTFB p99 ≤ 1.5× the bare Bun proxy's",
      result: `${each((t) => `${signed(added(t, "stream", "ttfbMs"))} ms`)}; bare Bun proxy ${signed(bunTtfb)} ms`,
      met: all(
        ...ours.map((t) => le(ratio(atLeastNoise(added(t, "stream", "ttfbMs")), atLeastNoise(bunTtfb)), 1.5)),
      ),
    },
    {
      goal: "RSS with 10,000 open streams ≤ 300 MB (SQLite)",
      result: rss === undefined ? "–" : `≈ ${(rss / 1024).toFixed(0)} MiB`,
      met: le(rss, 300 * 1024),
    },
    {
      goal: "zero lost spend rows",
      result: i.lostRows === undefined ? "–" : `${i.lostRows} lost`,
      met: i.lostRows === undefined ? undefined : i.lostRows === 0,
    },
  ];
}

export function floorSection(goals: FloorGoal[]): string[] {
  const verdict = (ok: boolean | undefined) =>
    ok === undefined ? "not measured" : ok ? "**met**" : "**missed**";
  return [
    "### Issue 14's targets (ratios to floors measured in this run)",
    "",
    table(
      ["target", "result", "verdict"],
      goals.map((g) => [g.goal, g.result, verdict(g.met)]),
    ),
    "",
    `Added figures under ${f3(NOISE_MS)} ms count as ${f3(NOISE_MS)} ms in a ratio (within the harness's noise).`,
    "",
  ];
}
