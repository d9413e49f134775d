// Every report's median on a seeded spend log: bun bench/reports.ts DATABASE_URL TEAM_ID [runs]
//
// Starts `snodus serve` from source on DATABASE_URL (seeded by bench/seed-spend.ts), then asks each
// /admin/analytics report (as the gateway's admin: every team), the account summary and the monthly
// chargeback export `runs` times, for the last 30 days (the dashboard's default: partial days at both
// ends) and for 90 whole days, one call at a time and no other traffic; then runs `snodus budget`,
// `status` and `account` as subprocesses (the CLI opens the store inline, so that figure includes
// Bun's start and the migration check). Prints one JSON object: medians in ms and the load average.
import { loadavg } from "node:os";
import { runSnodus } from "../test/helpers/cli.ts";
import { spawnServe } from "../test/helpers/process.ts";

const [url, teamId, runsArg] = Bun.argv.slice(2);
if (!url || !teamId) {
  console.error("usage: bun bench/reports.ts DATABASE_URL TEAM_ID [runs]");
  process.exit(2);
}
const runs = Number(runsArg ?? 7);
const PASSWORD = "bench-admin";
const basic = `Basic ${btoa(`admin:${PASSWORD}`)}`;
const env = { DATABASE_URL: url, ADMIN_PASSWORD: PASSWORD, ANTHROPIC_API_KEY: "bench" };
const server = await spawnServe(env, { timeoutMs: 60_000 });

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round((s[Math.floor(s.length / 2)] ?? 0) * 10) / 10;
};

async function timed(path: string): Promise<number> {
  const t = performance.now();
  const res = await fetch(`${server.url}${path}`, { headers: { authorization: basic } });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`${path}: ${res.status}`);
  return performance.now() - t;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const RANGES = {
  "30d": "",
  "90d": `from=${day(Date.now() - 89 * 86_400_000)}&to=${day(Date.now())}`,
};
const REPORTS = [
  "daily",
  "models",
  "users",
  "providers",
  "routing",
  "keys",
  "routing/daily",
  "routing/methods",
  "export/monthly",
];

const out: Record<string, unknown> = { url: url.replace(/\/\/[^@]*@/, "//"), runs, loadBefore: loadavg() };
try {
  for (const [range, q] of Object.entries(RANGES)) {
    const medians: Record<string, number> = {};
    for (const r of REPORTS) {
      const path = `/admin/analytics/${r}${q ? `?${q}` : ""}`;
      await timed(path); // warm the connection and the page cache once
      const took: number[] = [];
      for (let i = 0; i < runs; i++) took.push(await timed(path));
      medians[r] = median(took);
    }
    out[range] = medians;
  }
  const account: number[] = [];
  await timed(`/admin/teams/${teamId}/account`);
  for (let i = 0; i < runs; i++) account.push(await timed(`/admin/teams/${teamId}/account`));
  out.account = median(account);
} finally {
  await server.stop();
}

const cli: Record<string, number> = {};
for (const args of [["budget"], ["status"], ["account", "--team-id", teamId]]) {
  const took: number[] = [];
  for (let i = 0; i < Math.min(runs, 5); i++) {
    const t = performance.now();
    const r = await runSnodus(args, env);
    if (r.code !== 0) throw new Error(`snodus ${args.join(" ")}: ${r.stderr}`);
    took.push(performance.now() - t);
  }
  cli[args[0] ?? ""] = median(took);
}
// The CLI's floor: a command that reads nothing from the spend log.
const floor: number[] = [];
for (let i = 0; i < Math.min(runs, 5); i++) {
  const t = performance.now();
  await runSnodus(["plans"], env);
  floor.push(performance.now() - t);
}
cli.plans = median(floor);
out.cli = cli;
out.loadAfter = loadavg();
console.log(JSON.stringify(out));
