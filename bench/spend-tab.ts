// Time to a fully rendered dashboard tab in Chromium: bun bench/spend-tab.ts DATABASE_URL [runs] [tab]
//
// Starts `snodus serve` from source on DATABASE_URL (seeded by bench/seed-spend.ts; no upstream is
// needed), signs in as the global administrator in headless Chromium (the system's, never downloaded),
// then `runs` times (default 5) loads /admin/#/<tab> (default spend) on the last 90 days in a fresh page
// and measures from the navigation to the moment every figure is on screen: no loading state left,
// no "…" placeholder in a KPI, and the tab's charts and lists drawn. Prints one JSON line with each
// run's time, the median, each admin call's server time from the page's resource timings, and the
// machine's load average (the machine may be shared: read the figures beside it).
import { loadavg } from "node:os";
import { chromium } from "playwright-core";
import { chromiumPath } from "../scripts/test-prereqs.ts";
import { spawnServe } from "../test/helpers/process.ts";

const [url, runsArg, tabArg] = Bun.argv.slice(2);
if (!url) {
  console.error("usage: bun bench/spend-tab.ts DATABASE_URL [runs] [spend|latency]");
  process.exit(2);
}
const runs = Number(runsArg ?? 5);
const tab = tabArg ?? "spend";
const PASSWORD = "bench-admin";

/** What "fully rendered" means per tab: selectors that must all be present once the figures are in. */
const DRAWN: Record<string, string[]> = {
  // The daily chart, the three ranked lists, and the month KPI's detail line.
  spend: [
    "section:has(#daily-spend) .columns",
    "section:has(#by-model) .bar-list",
    "section:has(#top-users) .bar-list",
    "section:has(#top-keys) .bar-list",
  ],
  latency: [
    '[data-testid="latency-table"] tbody tr',
    "section:has(#latency-chart) .columns",
    "section:has(#errors-chart) .columns",
  ],
};
const drawn = DRAWN[tab];
if (!drawn) {
  console.error(`unknown tab ${tab}; one of ${Object.keys(DRAWN).join(", ")}`);
  process.exit(2);
}

const server = await spawnServe({ DATABASE_URL: url, ADMIN_PASSWORD: PASSWORD }, { timeoutMs: 120_000 });
const browser = await chromium.launch({
  executablePath: chromiumPath(process.env),
  args: ["--no-sandbox", "--headless", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const today = Date.now();
const range = `from=${isoDay(today - 89 * 86_400_000)}&to=${isoDay(today)}`;

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const signIn = await context.newPage();
  await signIn.goto(`${server.url}/admin/`);
  await signIn.getByLabel("Username").fill("admin");
  await signIn.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await signIn.getByRole("button", { name: "Sign in" }).click();
  await signIn.getByRole("navigation", { name: "Dashboard" }).waitFor();
  await signIn.close();

  const times: number[] = [];
  const calls: Record<string, number[]> = {};
  for (let i = 0; i < runs; i++) {
    const page = await context.newPage();
    const started = performance.now();
    await page.goto(`${server.url}/admin/#/${tab}?${range}`);
    await page.waitForFunction(
      (selectors: string[]) => {
        const main = document.querySelector("main");
        if (!main) return false;
        if (main.querySelector(".state.loading, .reloading")) return false;
        if ([...main.querySelectorAll(".kpi-value")].some((k) => k.textContent?.includes("…"))) return false;
        return selectors.every((s) => document.querySelector(s) !== null);
      },
      drawn,
      { polling: "raf", timeout: 120_000 },
    );
    times.push(Math.round(performance.now() - started));
    // Each admin call's time to its last byte, as the page saw it.
    const timings = await page.evaluate(() =>
      performance
        .getEntriesByType("resource")
        .filter((e) => e.name.includes("/admin/") && !e.name.includes("/admin/assets"))
        .map((e) => ({ path: new URL(e.name).pathname, ms: Math.round(e.duration) })),
    );
    for (const t of timings) {
      const list = calls[t.path] ?? [];
      list.push(t.ms);
      calls[t.path] = list;
    }
    await page.close();
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  console.log(
    JSON.stringify({
      tab,
      range,
      runs: times,
      median_ms: median(times),
      calls_median_ms: Object.fromEntries(Object.entries(calls).map(([p, xs]) => [p, median(xs)])),
      loadavg: loadavg().map((l) => Math.round(l * 100) / 100),
    }),
  );
} finally {
  await browser.close();
  await server.stop();
}
