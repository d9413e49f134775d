// Summarises a .cpuprofile (bun --cpu-prof): top frames by self and total time, and the longest busy stretches.
//
//   bun bench/profile.ts FILE.cpuprofile [--json OUT]

import { readFileSync, writeFileSync } from "node:fs";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const file = Bun.argv[2];
if (!file) {
  console.error("usage: bun bench/profile.ts FILE.cpuprofile [--json OUT]");
  process.exit(2);
}
const jsonAt = Bun.argv.indexOf("--json");
const jsonOut = jsonAt > 0 ? Bun.argv[jsonAt + 1] : undefined;
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;

const byId = new Map<number, ProfileNode>();
const parent = new Map<number, number>();
for (const n of profile.nodes) byId.set(n.id, n);
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const IDLE = new Set(["(idle)", "(program)", "(root)"]);
// Bun samples only while the thread runs: each sample stands for one interval, and a gap longer than
// that between two samples is idle time.
const sortedDeltas = [...profile.timeDeltas].sort((a, b) => a - b);
const interval = sortedDeltas[Math.floor(sortedDeltas.length / 4)] ?? 1000;
function label(f: CallFrame): string {
  const where = f.url ? `${f.url.replace(/^.*\/(node_modules|src)\//, "$1/")}:${f.lineNumber + 1}` : "native";
  return `${f.functionName || "(anonymous)"} ${where}`;
}

const self = new Map<string, number>();
const total = new Map<string, number>();
let busyUs = 0;
let gcUs = 0;
// Busy stretches: consecutive samples that are not idle, i.e. the event loop could not serve anyone.
const stretches: { us: number; at: number; frames: Map<string, number> }[] = [];
let current: { us: number; at: number; frames: Map<string, number> } | null = null;
let clock = 0;

for (let i = 0; i < profile.samples.length; i++) {
  const gap = profile.timeDeltas[i] ?? 0;
  clock += gap;
  const dt = interval;
  if (gap > interval * 1.5 && current) {
    if (current.us >= 2000) stretches.push(current);
    current = null;
  }
  const node = byId.get(profile.samples[i] as number);
  if (!node) continue;
  const name = node.callFrame.functionName;
  if (name === "(garbage collector)") gcUs += dt;
  if (IDLE.has(name)) {
    if (current && current.us >= 2000) stretches.push(current);
    current = null;
    continue;
  }
  busyUs += dt;
  const own = label(node.callFrame);
  self.set(own, (self.get(own) ?? 0) + dt);
  const seen = new Set<string>();
  let id: number | undefined = node.id;
  while (id !== undefined) {
    const n = byId.get(id);
    if (!n) break;
    const l = label(n.callFrame);
    if (!seen.has(l) && n.callFrame.functionName !== "(root)") {
      seen.add(l);
      total.set(l, (total.get(l) ?? 0) + dt);
    }
    id = parent.get(id);
  }
  current ??= { us: 0, at: clock, frames: new Map() };
  current.us += dt;
  for (const l of seen) current.frames.set(l, (current.frames.get(l) ?? 0) + dt);
}
if (current && current.us >= 2000) stretches.push(current);

const top = (m: Map<string, number>, n: number) =>
  [...m.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([frame, us]) => ({
      frame,
      ms: Math.round(us / 100) / 10,
      pctOfBusy: Math.round((us / busyUs) * 1000) / 10,
    }));

stretches.sort((a, b) => b.us - a.us);
const summary = {
  file,
  wallMs: Math.round(clock / 1000),
  sampleIntervalUs: interval,
  busyMs: Math.round(busyUs / 1000),
  gcMs: Math.round(gcUs / 1000),
  topSelf: top(self, 15),
  topTotal: top(total, 25),
  longestBusyStretches: stretches.slice(0, 5).map((s) => ({
    ms: Math.round(s.us / 100) / 10,
    atMs: Math.round(s.at / 1000),
    // The deepest frames that cover most of the stretch say what blocked the loop.
    frames: [...s.frames.entries()]
      .filter(([, us]) => us >= s.us * 0.5)
      .map(([f]) => f)
      .slice(-8),
  })),
  busyStretchesOver5ms: stretches.filter((s) => s.us >= 5000).length,
};
if (jsonOut) writeFileSync(jsonOut, `${JSON.stringify(summary, null, 2)}\n`);
console.log(JSON.stringify(summary, null, 2));
