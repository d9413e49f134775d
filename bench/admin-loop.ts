// The admin side of bench/admin-contention.ts, in its own process as a browser would be:
// bun bench/admin-loop.ts BASE_URL AUTHORIZATION MS '[["name","/path"],…]'
//
// Calls each path in turn, again and again, for MS milliseconds; a call still running at the end is
// aborted and not counted. Prints {name: median ms} of the calls that finished, and how many did.
// Reading large answers (a 2,000-key report, a CSV export) in the process that sends the proxy traffic
// would stall that process's own timers and show up as proxy latency that the gateway never caused.
// A module (top-level await), with nothing to export.
export {};

const [base, authorization, msArg, workArg] = Bun.argv.slice(2);
if (!base || !authorization || !msArg || !workArg) {
  console.error("usage: bun bench/admin-loop.ts BASE_URL AUTHORIZATION MS WORK_JSON");
  process.exit(2);
}
const work = JSON.parse(workArg) as [string, string][];
const deadline = new AbortController();
setTimeout(() => deadline.abort(), Number(msArg));
const took: Record<string, number[]> = {};
outer: while (!deadline.signal.aborted)
  for (const [name, path] of work) {
    const t = performance.now();
    try {
      const res = await fetch(`${base}${path}`, { headers: { authorization }, signal: deadline.signal });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`${path}: ${res.status}`);
    } catch (err) {
      if (deadline.signal.aborted) break outer;
      throw err;
    }
    took[name] = [...(took[name] ?? []), performance.now() - t];
  }
const median = (v: number[]) => Math.round([...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] ?? 0);
console.log(
  JSON.stringify(
    Object.fromEntries(Object.entries(took).map(([k, v]) => [k, { median: median(v), calls: v.length }])),
  ),
);
