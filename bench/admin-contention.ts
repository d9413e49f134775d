// Proxy latency while the heaviest admin work runs: bun bench/admin-contention.ts DATABASE_URL KEY_SECRET [seconds]
//
// Starts the mock upstream and `snodus serve` on DATABASE_URL (seeded by bench/seed-spend.ts), then
// sends non-streamed /v1/messages at a fixed rate (open loop, 40 req/s) in four phases of `seconds`
// each: alone; while an admin (another process) loops over the Spend tab's 90-day reports; while it downloads
// a full month's CSV export; and (SQLite) while another process holds the file's write lock. Prints one JSON line per
// phase: proxy p50/p99/max in ms, non-2xx answers, how long each admin call took, and the load average.
import { loadavg } from "node:os";
import { spawnServe } from "../test/helpers/process.ts";

const [url, secret, secondsArg] = Bun.argv.slice(2);
if (!url || !secret) {
  console.error("usage: bun bench/admin-contention.ts DATABASE_URL KEY_SECRET [seconds]");
  process.exit(2);
}
const seconds = Number(secondsArg ?? 10);
const RATE = 40;
const PASSWORD = "bench-admin";
const basic = `Basic ${btoa(`admin:${PASSWORD}`)}`;

const mock = Bun.spawn([process.execPath, "test/mock-upstream/main.ts", "--port", "0"], {
  stdout: "pipe",
  stderr: "pipe",
});
let mockLog = "";
const mockUrl = await (async () => {
  const decoder = new TextDecoder();
  for await (const chunk of mock.stdout) {
    mockLog += decoder.decode(chunk);
    const m = /http:\/\/127\.0\.0\.1:\d+/.exec(mockLog);
    if (m) return m[0];
  }
  throw new Error(`mock upstream did not start: ${mockLog}`);
})();
const server = await spawnServe(
  {
    DATABASE_URL: url,
    ANTHROPIC_API_KEY: "bench",
    ANTHROPIC_UPSTREAM_URL: mockUrl,
    ADMIN_PASSWORD: PASSWORD,
  },
  { timeoutMs: 60_000 },
);

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** Open-loop proxy traffic for `ms`: a request every 1/RATE s whether or not the last one answered. */
async function traffic(ms: number) {
  const latencies: number[] = [];
  let failures = 0;
  const statuses: Record<number, number> = {};
  let sample = "";
  const pending: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; performance.now() - start < ms; i++) {
    const due = start + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await Bun.sleep(wait);
    pending.push(
      (async () => {
        const t = performance.now();
        const res = await fetch(`${server.url}/v1/messages`, {
          method: "POST",
          headers: {
            authorization: `Bearer ${secret}`,
            "content-type": "application/json",
            "anthropic-version": "2023-06-01",
          },
          body: JSON.stringify({
            model: "claude-sonnet-4-5",
            max_tokens: 50,
            messages: [{ role: "user", content: "hi" }],
          }),
        });
        const text = await res.text();
        // Latency counted from when the request was due, so a stalled loop shows as latency.
        latencies.push(performance.now() - Math.min(t, due));
        if (res.status >= 300) {
          failures++;
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          sample ||= text.slice(0, 200);
        }
      })(),
    );
  }
  await Promise.all(pending);
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    p50: Math.round(percentile(latencies, 50) * 10) / 10,
    p99: Math.round(percentile(latencies, 99) * 10) / 10,
    max: Math.round((latencies.at(-1) ?? 0) * 10) / 10,
    non2xx: failures,
    ...(failures ? { statuses, sample } : {}),
  };
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const RANGE = `from=${day(Date.now() - 89 * 86_400_000)}&to=${day(Date.now())}`;
// BENCH_REPORTS=daily,models narrows the loop (to tell which report costs the proxy what).
const REPORTS = process.env.BENCH_REPORTS?.split(",") ?? [
  "daily",
  "models",
  "users",
  "keys",
  "providers",
  "routing",
  "routing/daily",
  "routing/methods",
];

/** Runs `work` in a loop for `ms` in another process (bench/admin-loop.ts); its per-call medians. */
async function adminLoop(ms: number, work: [string, string][]) {
  const child = Bun.spawn(
    [process.execPath, "bench/admin-loop.ts", server.url, basic, String(ms), JSON.stringify(work)],
    { stdout: "pipe", stderr: "inherit" },
  );
  const out = await new Response(child.stdout).text();
  if ((await child.exited) !== 0) throw new Error("admin loop failed");
  return JSON.parse(out) as Record<string, { median: number; calls: number }>;
}

async function phase(name: string, work: [string, string][] | null) {
  const admin = work ? adminLoop(seconds * 1000, work) : Promise.resolve({});
  const proxy = await traffic(seconds * 1000);
  // The machine may be shared: the 1-minute load average says how much else was running.
  const load = Math.round((loadavg()[0] ?? 0) * 100) / 100;
  console.log(JSON.stringify({ phase: name, proxy, adminMedianMs: await admin, load }));
}

await traffic(2000); // warm up: key cache, connections
await phase("alone", null);
await phase(
  "spend tab 90 days, every report in a loop",
  REPORTS.map((r) => [r, `/admin/analytics/${r}?${RANGE}`]),
);
// The issue's "full-month CSV export": the last 30 days, cut off (not counted) when the phase ends.
const MONTH = `from=${day(Date.now() - 29 * 86_400_000)}&to=${day(Date.now())}`;
await phase("full-month CSV export in a loop", [["export", `/admin/analytics/export?${MONTH}`]]);
if (!/^postgres/.test(url)) {
  const path = url.replace(/^(sqlite|file):(\/\/)?/, "");
  const lock = Bun.spawn(
    [
      process.execPath,
      "-e",
      `const { Database } = require("bun:sqlite"); const db = new Database(${JSON.stringify(path)}); db.exec("PRAGMA busy_timeout = 10000"); db.exec("BEGIN EXCLUSIVE"); setTimeout(() => { db.exec("COMMIT"); db.close(); }, ${seconds * 1000});`,
    ],
    { stdout: "inherit", stderr: "inherit" },
  );
  await phase(`another process holds the write lock ${seconds} s`, null);
  await lock.exited;
}
await server.stop();
mock.kill();
