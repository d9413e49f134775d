// Turns one bench/run work folder into bench/results/<timestamp>.json and Markdown tables on stdout.
//
//   bun bench/report.ts RESULTS_DIR --out bench/results/X.json [--elapsed S --duration S …]

import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { boardSection } from "./report-board.ts";
import { floorGoals, floorSection } from "./report-floor.ts";
import {
  f2,
  f3,
  type Info,
  int,
  type LoadResult,
  mb,
  type Spend,
  type Sut,
  signed,
  table,
  type WrkResult,
  wrkRps,
} from "./report-format.ts";
import { type AllocRun, type GcRun, gcSection } from "./report-gc.ts";
import { type SpendScenario, spendSection } from "./report-spend.ts";

const { values, positionals } = parseArgs({
  args: Bun.argv.slice(2),
  allowPositionals: true,
  options: {
    out: { type: "string" },
    elapsed: { type: "string" },
    duration: { type: "string" },
    warmup: { type: "string" },
    "load-cpu": { type: "string" },
    "sut-cpu": { type: "string" },
    "fd-limit": { type: "string" },
    portkey: { type: "string" },
    commit: { type: "string" },
    dirty: { type: "string" },
    binary: { type: "string" },
  },
});
const dir = positionals[0];
if (!dir) {
  console.error("usage: bun bench/report.ts RESULTS_DIR [--out FILE]");
  process.exit(2);
}

const read = <T>(...parts: string[]): T | undefined => {
  const f = join(dir, ...parts);
  return existsSync(f) ? (JSON.parse(readFileSync(f, "utf8")) as T) : undefined;
};

const TARGET_ORDER = [
  "direct",
  "snodus-sqlite",
  "snodus-pg",
  "bun-proxy",
  "nginx",
  "haproxy",
  "portkey-node",
  "portkey-bun",
];
const NAMES: Record<string, string> = {
  direct: "direct to mock",
  "snodus-sqlite": "Snodus (SQLite)",
  "snodus-pg": "Snodus (Postgres)",
  "bun-proxy": "bare Bun proxy (floor)",
  nginx: "nginx (plain proxy)",
  haproxy: "haproxy (plain proxy)",
  "portkey-node": "Portkey on Node",
  "portkey-bun": "Portkey on Bun",
};
const targets = readdirSync(dir)
  .filter((t) => existsSync(join(dir, t, "info.json")))
  .sort((a, b) => TARGET_ORDER.indexOf(a) - TARGET_ORDER.indexOf(b));
const SCENARIOS = ["rate500", "rate2000", "max", "stream", "cc", "ccmax", "open1000", "openbig"];
// wrk runs: the two fixed ones and the board's closed-loop runs at N connections (`c8`).
const WRK_CONNS: Record<string, number> = { max: 64, ccmax: 16 };
const wrkConns = (s: string) => WRK_CONNS[s] ?? (/^c\d+$/.test(s) ? Number(s.slice(1)) : undefined);
const isWrk = (s: string) => wrkConns(s) !== undefined;

/** The scenarios of a target in the order they ran (bench/run writes `order`), then any others known. */
const order = (t: string): string[] => {
  const f = join(dir, t, "order");
  const ran = existsSync(f) ? readFileSync(f, "utf8").split("\n").filter(Boolean) : [];
  return [...new Set([...ran, ...SCENARIOS])];
};

const data: Record<string, { info?: Info; scenarios: Record<string, unknown>; finalSpend?: Spend }> = {};
for (const t of targets) {
  const scenarios: Record<string, unknown> = {};
  for (const s of order(t).flatMap((x) => [`${x}.try1`, x])) {
    const r = read<LoadResult | WrkResult>(t, `${s}.json`);
    if (!r) continue;
    scenarios[s] = {
      ...r,
      ...(isWrk(s.replace(".try1", "")) ? { sut: read<Sut>(t, `${s}.sut.json`) } : {}),
      spendAfter: read<Spend>(t, `${s}.spend.json`),
    };
  }
  data[t] = { info: read<Info>(t, "info.json"), scenarios, finalSpend: read<Spend>(t, "final.spend.json") };
}
const load = (t: string, s: string) =>
  data[t]?.scenarios[s] as (LoadResult & { spendAfter?: Spend }) | undefined;
const wrk = (t: string, s: string) =>
  data[t]?.scenarios[s] as (WrkResult & { sut?: Sut; spendAfter?: Spend }) | undefined;

const name = (t: string) => NAMES[t] ?? t;
const nonOk = (r: LoadResult | undefined) => (r ? r.measured - (r.statuses["200"] ?? 0) : undefined);

const out: string[] = [];
const add = (s = "") => out.push(s);

// ---- 1. fixed rate ----
const added = (t: string, s: string, key: "latencyMs" | "ttfbMs", q: "p50" | "p99") => {
  const a = load(t, s)?.[key]?.[q];
  const d = load("direct", s)?.[key]?.[q];
  return a === undefined || d === undefined ? undefined : a - d;
};
for (const [s, rate] of [
  ["rate500", 500],
  ["rate2000", 2000],
] as const) {
  add(`### Small request at ${rate} req/s (open loop, ${values.duration ?? "?"} s measured)`);
  add();
  add(
    table(
      [
        "target",
        "p50 ms",
        "p90 ms",
        "p99 ms",
        "p99.9 ms",
        "added p50",
        "added p99",
        "achieved req/s",
        "not 200",
        "SUT CPU µs/req",
        "other load on SUT core",
      ],
      targets
        .filter((t) => load(t, s))
        .map((t) => {
          const r = load(t, s) as LoadResult;
          return [
            name(t),
            f3(r.latencyMs.p50),
            f3(r.latencyMs.p90),
            f3(r.latencyMs.p99),
            f3(r.latencyMs.p999),
            t === "direct" ? "" : signed(added(t, s, "latencyMs", "p50")),
            t === "direct" ? "" : signed(added(t, s, "latencyMs", "p99")),
            int(r.achievedRate),
            int(nonOk(r)),
            int(r.sut.cpuUsPerRequest),
            f2(r.sut.otherOnSutCore),
          ];
        }),
    ),
  );
  add();
}

// ---- 2. max throughput ----
add("### Maximum throughput, small request (wrk, 1 thread, 64 connections, closed loop)");
add();
add(
  table(
    [
      "target",
      "req/s",
      "p50 ms",
      "p99 ms",
      "errors + non-2xx",
      "SUT CPU (cores)",
      "SUT CPU µs/req",
      "other load on SUT core",
    ],
    targets
      .filter((t) => wrk(t, "max"))
      .map((t) => {
        const w = wrk(t, "max") as WrkResult & { sut?: Sut };
        const e = w.errors;
        return [
          name(t),
          int(wrkRps(w)),
          f2(w.latencyUs.p50 / 1000),
          f2(w.latencyUs.p99 / 1000),
          int(e.connect + e.read + e.write + e.status + e.timeout),
          f2(w.sut?.cpuShare),
          w.sut ? int((w.sut.cpuMs * 1000) / Math.max(1, w.requests)) : "–",
          f2(w.sut?.otherOnSutCore),
        ];
      }),
  ),
);
add();

// ---- 2b. the public board's measures ----
const board = boardSection({
  targets,
  name,
  wrk,
  load,
  sweepSteps: (t) => order(t).filter((s) => s.startsWith("sweep-")),
});
for (const line of board.lines) add(line);

// ---- 3. streaming ----
const streamTable = (s: string, title: string) => {
  add(title);
  add();
  add(
    table(
      [
        "target",
        "TTFB p50",
        "TTFB p99",
        "added TTFB p50",
        "added TTFB p99",
        "TTLB p50",
        "TTLB p99",
        "added TTLB p50",
        "added TTLB p99",
        "not 200",
      ],
      targets
        .filter((t) => load(t, s))
        .map((t) => {
          const r = load(t, s) as LoadResult;
          const d = t === "direct";
          return [
            name(t),
            f3(r.ttfbMs.p50),
            f3(r.ttfbMs.p99),
            d ? "" : signed(added(t, s, "ttfbMs", "p50")),
            d ? "" : signed(added(t, s, "ttfbMs", "p99")),
            f3(r.latencyMs.p50),
            f3(r.latencyMs.p99),
            d ? "" : signed(added(t, s, "latencyMs", "p50")),
            d ? "" : signed(added(t, s, "latencyMs", "p99")),
            int(nonOk(r)),
          ];
        }),
    ),
  );
  add();
};
streamTable("stream", "### Streamed response at 500 req/s (9 SSE events, 2 ms apart), times in ms");
const ccBytes = read<{ claudeCodeBytes: number }>("bodies.json")?.claudeCodeBytes;
streamTable(
  "cc",
  `### Claude Code-sized request (${int(ccBytes)} bytes, 24 tools, streamed) at 200 req/s, times in ms`,
);
add("Claude Code-sized request at maximum throughput (wrk, 16 connections):");
add();
add(
  table(
    ["target", "req/s", "request MB/s", "p50 ms", "p99 ms", "errors + non-2xx", "SUT CPU (cores)"],
    targets
      .filter((t) => wrk(t, "ccmax"))
      .map((t) => {
        const w = wrk(t, "ccmax") as WrkResult & { sut?: Sut };
        const e = w.errors;
        const rps = wrkRps(w) ?? 0;
        return [
          name(t),
          int(rps),
          f2((rps * (ccBytes ?? 0)) / 1e6),
          f2(w.latencyUs.p50 / 1000),
          f2(w.latencyUs.p99 / 1000),
          int(e.connect + e.read + e.write + e.status + e.timeout),
          f2(w.sut?.cpuShare),
        ];
      }),
  ),
);
add();

// ---- 4. memory ----
const openBig = targets.map((t) => load(t, "openbig")).find(Boolean);
const bigN = openBig ? openBig.measured : undefined;
add("### Memory (RSS of every process of the target, MiB) and open streams");
add();
add(
  table(
    [
      "target",
      "idle (fresh)",
      "idle after load",
      "peak at 2000 req/s",
      "peak at max req/s",
      "1000 streams: peak",
      "ok / not ok",
      `${int(bigN)} streams: peak`,
      "ok / not ok",
      "TTFB p99 ms",
    ],
    targets
      .filter((t) => t !== "direct")
      .map((t) => {
        const i = data[t]?.info;
        const o1 = load(t, "open1000");
        const ob = load(t, "openbig");
        const okNot = (r: LoadResult | undefined) =>
          r ? `${int(r.okAll)} / ${int(r.measured - r.okAll)}` : "–";
        return [
          name(t),
          mb(i?.rssIdleKb),
          mb(i?.rssAfterLoadKb),
          mb(load(t, "rate2000")?.sut.rssPeakKb),
          mb(wrk(t, "max")?.sut?.rssPeakKb),
          mb(o1?.sut.rssPeakKb),
          okNot(o1),
          mb(ob?.sut.rssPeakKb),
          okNot(ob),
          f2((ob ?? o1)?.ttfbMs.p99),
        ];
      }),
  ),
);
add();

const perStream = (t: string) => {
  const a = load(t, "open1000");
  const b = load(t, "openbig");
  if (!a || !b || b.measured <= a.measured) return undefined;
  const kb = (b.sut.rssPeakKb - a.sut.rssPeakKb) / (b.measured - a.measured);
  return { kb, at10k: b.sut.rssPeakKb + kb * (10_000 - b.measured) };
};
for (const t of targets) {
  const p = perStream(t);
  if (p)
    add(`- ${name(t)}: ~${f2(p.kb)} KB per open stream; 10 000 streams ≈ ${mb(p.at10k)} MiB (extrapolated).`);
}
add();

// ---- 5. spend rows ----
const spend = spendSection({
  targets: targets.filter((x) => x.startsWith("snodus")),
  name,
  order,
  scenario: (t, s) => data[t]?.scenarios[s] as SpendScenario | undefined,
  finalSpend: (t) => data[t]?.finalSpend,
  wrkConns,
});
for (const line of spend.lines) add(line);
const checks = spend.checks;
const totalLost = spend.totalLost;

// ---- 6. targets ----
const ours = "snodus-sqlite";
const r2000 = (t: string) => load(t, "rate2000");
const addP50 = added(ours, "rate2000", "latencyMs", "p50");
const addP99 = added(ours, "rate2000", "latencyMs", "p99");
const pgP50 = added("snodus-pg", "rate2000", "latencyMs", "p50");
const pgP99 = added("snodus-pg", "rate2000", "latencyMs", "p99");
const nginxP50 = added("nginx", "rate2000", "latencyMs", "p50");
const nginxP99 = added("nginx", "rate2000", "latencyMs", "p99");
const floorP50 = added("bun-proxy", "rate2000", "latencyMs", "p50");
const floorP99 = added("bun-proxy", "rate2000", "latencyMs", "p99");
// An added latency within measurement noise (≤ 0.05 ms, even negative) counts as 0.05 ms in ratios.
const NOISE_MS = 0.05;
const vsNoise = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined ? undefined : a / Math.max(b, NOISE_MS);
const oursMax = wrkRps(wrk(ours, "max"));
const pkNodeMax = wrkRps(wrk("portkey-node", "max"));
const pkBunMax = wrkRps(wrk("portkey-bun", "max"));
const pkP99 = Math.min(
  r2000("portkey-node")?.latencyMs.p99 ?? Infinity,
  r2000("portkey-bun")?.latencyMs.p99 ?? Infinity,
);
const idle = data[ours]?.info?.rssIdleKb;
const bigRss = load(ours, "openbig")?.sut.rssPeakKb;
const at10k = perStream(ours)?.at10k;
const bigOk = load(ours, "openbig");
const verdict = (ok: boolean | undefined) =>
  ok === undefined ? "not measured" : ok ? "**met**" : "**missed**";
const ratio = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined || b === 0 ? undefined : a / b;
const goals = [
  {
    goal: "added latency p50 ≤ 0.3 ms at 2000 req/s",
    result: `SQLite ${signed(addP50)} ms, Postgres ${signed(pgP50)} ms`,
    met: addP50 === undefined ? undefined : addP50 <= 0.3 && (pgP50 === undefined || pgP50 <= 0.3),
  },
  {
    goal: "added latency p99 ≤ 2 ms at 2000 req/s",
    result: `SQLite ${signed(addP99)} ms, Postgres ${signed(pgP99)} ms`,
    met: addP99 === undefined ? undefined : addP99 <= 2 && (pgP99 === undefined || pgP99 <= 2),
  },
  {
    goal: "≥ 5× Portkey's max throughput (Portkey on Node, as `npx @portkey-ai/gateway` runs it)",
    result: `${int(oursMax)} vs ${int(pkNodeMax)} req/s: ${f2(ratio(oursMax, pkNodeMax))}×`,
    met: oursMax === undefined || pkNodeMax === undefined ? undefined : oursMax >= 5 * pkNodeMax,
  },
  {
    goal: "≥ 5× Portkey's max throughput (Portkey on Bun, our fairness extra)",
    result: `${int(oursMax)} vs ${int(pkBunMax)} req/s: ${f2(ratio(oursMax, pkBunMax))}×`,
    met: oursMax === undefined || pkBunMax === undefined ? undefined : oursMax >= 5 * pkBunMax,
  },
  {
    goal: "lower p99 than Portkey (2000 req/s, best of Node and Bun)",
    result: `${f3(r2000(ours)?.latencyMs.p99)} vs ${Number.isFinite(pkP99) ? f3(pkP99) : "–"} ms`,
    met: r2000(ours) && Number.isFinite(pkP99) ? (r2000(ours)?.latencyMs.p99 ?? 0) < pkP99 : undefined,
  },
  {
    goal: "added latency within 3× nginx's (2000 req/s)",
    result: `p50 ${f2(vsNoise(addP50, nginxP50))}× (${signed(addP50)} vs ${signed(nginxP50)} ms), p99 ${f2(
      vsNoise(addP99, nginxP99),
    )}× (${signed(addP99)} vs ${signed(nginxP99)} ms)`,
    met:
      addP50 === undefined || nginxP50 === undefined
        ? undefined
        : (vsNoise(addP50, nginxP50) ?? 0) <= 3 && (vsNoise(addP99, nginxP99) ?? 0) <= 3,
  },
  {
    goal: "RSS ≤ 80 MB idle",
    result: `${mb(idle)} MiB fresh, ${mb(data[ours]?.info?.rssAfterLoadKb)} MiB idle after load`,
    met: idle === undefined ? undefined : idle <= 80 * 1024,
  },
  {
    goal: `RSS ≤ 400 MB with 10 000 open streams (${int(bigN)} here)`,
    result: bigOk
      ? `${mb(bigRss)} MiB (≈ ${mb(at10k)} MiB at 10 000), ${int(bigOk.okAll)} of ${int(bigOk.measured)} streams ok`
      : "–",
    met: bigRss === undefined || !bigOk ? undefined : bigRss <= 400 * 1024 && bigOk.okAll === bigOk.measured,
  },
  {
    goal: "zero lost spend rows",
    result: `${int(totalLost)} lost`,
    met: checks.length ? totalLost === 0 : undefined,
  },
];
add("### Targets of the first round");
add();
add(
  table(
    ["target", "result", "verdict"],
    goals.map((g) => [g.goal, g.result, verdict(g.met)]),
  ),
);
add();
add(
  `Ratios: Snodus (SQLite) / Portkey max throughput = ${f2(ratio(oursMax, pkNodeMax))}× (Node), ${f2(
    ratio(oursMax, pkBunMax),
  )}× (Bun); Snodus / nginx added latency at 2000 req/s = ${f2(vsNoise(addP50, nginxP50))}× (p50), ${f2(
    vsNoise(addP99, nginxP99),
  )}× (p99); Snodus / bare Bun proxy added latency = ${f2(vsNoise(addP50, floorP50))}× (p50), ${f2(
    vsNoise(addP99, floorP99),
  )}× (p99) (${signed(floorP50)} / ${signed(floorP99)} ms is what Bun itself adds here).`,
);
add();

const floor = floorGoals({
  wrk,
  load,
  rssAt10kKb: (t) => perStream(t)?.at10k,
  lostRows: checks.length ? totalLost : undefined,
});
for (const line of floorSection(floor)) add(line);

const gcSeconds = Number(values.duration ?? 0) + Number(values.warmup ?? 0);
for (const line of gcSection(
  ["snodus-sqlite", "bun-proxy"].map((t) => ({
    name: name(t),
    gc: read<GcRun>("gc", `${t}.json`),
    measured: read<WrkResult>("gc", `${t}.measured.json`),
  })),
  gcSeconds,
  read<AllocRun>("gc", "alloc.json"),
))
  add(line);

// ---- 7. profile ----
interface ProfileSummary {
  busyMs: number;
  wallMs: number;
  topSelf: { frame: string; ms: number; pctOfBusy: number }[];
  topTotal: { frame: string; ms: number; pctOfBusy: number }[];
  longestBusyStretches: { ms: number; frames: string[] }[];
  busyStretchesOver5ms: number;
}
const profile = read<ProfileSummary>("profile", "summary.json");
const profiled = read<LoadResult>("profile", "rate2000.json");
if (profile) {
  add(
    `### Profile: Snodus from source under \`bun --cpu-prof\`, 2000 req/s (p50 ${f3(profiled?.latencyMs.p50)} ms, p99 ${f3(
      profiled?.latencyMs.p99,
    )} ms while profiled)`,
  );
  add();
  add(`JS thread busy ${int(profile.busyMs)} ms of ${int(profile.wallMs)} ms.`);
  add();
  add(
    table(
      ["self time, top frames", "ms", "% of busy"],
      profile.topSelf.slice(0, 10).map((x) => [`\`${x.frame}\``, f2(x.ms), f2(x.pctOfBusy)]),
    ),
  );
  add();
  add(
    `Busy stretches ≥ 5 ms (the event loop serves nobody meanwhile): ${profile.busyStretchesOver5ms}; longest: ${profile.longestBusyStretches
      .slice(0, 3)
      .map((s) => `${f2(s.ms)} ms in \`${s.frames.at(-1) ?? s.frames[0] ?? "?"}\``)
      .join("; ")}`,
  );
  add();
}

// ---- results file ----
const cpuModel = cpus()[0]?.model ?? "unknown";
const meta = {
  date: new Date().toISOString(),
  machine: {
    nproc: cpus().length,
    cpuModel,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    kernel: readFileSync("/proc/sys/kernel/osrelease", "utf8").trim(),
    fdLimit: Number(values["fd-limit"]),
  },
  versions: {
    bun: process.env.BENCH_BUN_VERSION,
    node: process.env.BENCH_NODE_VERSION,
    nginx: process.env.BENCH_NGINX_VERSION,
    haproxy: process.env.BENCH_HAPROXY_VERSION,
    wrk: process.env.BENCH_WRK_VERSION,
    portkey: values.portkey,
    snodusCommit: values.commit,
    uncommittedFilesInSrcOrBin: Number(values.dirty ?? 0),
    binary: values.binary,
  },
  settings: {
    durationS: Number(values.duration),
    warmupS: Number(values.warmup),
    loadCpu: values["load-cpu"],
    sutCpu: values["sut-cpu"],
    elapsedS: Number(values.elapsed),
  },
};
const markdown = out.join("\n");
const result = {
  meta,
  targets: data,
  spendChecks: checks,
  goals,
  floorGoals: floor,
  board: board.summary,
  profile,
  markdown,
};
if (values.out) writeFileSync(values.out, `${JSON.stringify(result, null, 2)}\n`);
console.log(
  `Machine: ${meta.machine.nproc} × ${cpuModel}, ${meta.machine.memoryGiB} GiB, Linux ${meta.machine.kernel}; ` +
    `Bun ${meta.versions.bun}, Node ${meta.versions.node}, nginx ${meta.versions.nginx}, haproxy ${meta.versions.haproxy}, wrk ${meta.versions.wrk}, ` +
    `Portkey ${meta.versions.portkey}; snodus ${meta.versions.snodusCommit}` +
    (meta.versions.uncommittedFilesInSrcOrBin
      ? ` + ${meta.versions.uncommittedFilesInSrcOrBin} uncommitted files`
      : "") +
    `; binary ${meta.versions.binary}; ${meta.settings.elapsedS} s of benchmarks\n`,
);
console.log(markdown);
