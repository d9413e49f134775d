// The Latency tab in Chromium: per-model and per-provider figures equal the API's, charts over time, and a
// range change never leaves the old figures under the new labels.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import type { Browser, Page, Route } from "playwright-core";
import type { SpendRow } from "../../src/store/types.ts";
import { duration, int } from "../../web/format.ts";
import type { LatencyReport } from "../../web/types.ts";
import {
  ADMIN_PASSWORD,
  adminGet,
  launchBrowser,
  type Seeded,
  screenshot,
  seededGateway,
  signIn,
  watchConsole,
} from "./harness.ts";

setDefaultTimeout(60_000);

let seeded: Seeded;
let browser: Browser;
let page: Page;
let consoleErrors: string[];

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** 20 000 more rows over the last 30 days: each model its own latency profile and error mix. */
async function moreTraffic(s: Seeded): Promise<void> {
  const profiles = [
    { model: "claude-sonnet-4-5", provider: "anthropic", median: 2_400, failEvery: 40 },
    { model: "claude-haiku-4-5", provider: "anthropic", median: 700, failEvery: 90 },
    { model: "claude-opus-4-1", provider: "anthropic", median: 9_000, failEvery: 25 },
    { model: "gpt-4o-mini", provider: "openai", median: 900, failEvery: 60 },
    { model: "llama3.1", provider: "ollama", median: 4_000, failEvery: 15 },
  ];
  if (s.rows.length === 0) throw new Error("the harness seeded no rows");
  let seed = 11;
  const rand = () => {
    seed = (seed * 48271) % 2147483647;
    return seed / 2147483647;
  };
  const now = Date.now();
  const rows: SpendRow[] = [];
  for (let i = 0; i < 20_000; i++) {
    const p = profiles[i % profiles.length] ?? profiles[0];
    // Keys, users and teams as the harness's own rows spread them.
    const template = s.rows[Math.floor(rand() * s.rows.length)];
    if (!p || !template) continue;
    // Log-normal-ish: the median times e^(±2), with a long tail.
    const spread = Math.exp((rand() + rand() + rand() - 1.5) * 1.6);
    const failed = Math.floor(rand() * p.failEvery) === 0;
    rows.push({
      ...template,
      id: Bun.randomUUIDv7(),
      createdAt: new Date(now - Math.floor(rand() * 29.5 * DAY_MS)),
      model: p.model,
      provider: p.provider,
      durationMs: Math.round(p.median * spread),
      status: failed ? ([429, 499, 500, 502, 504][Math.floor(rand() * 5)] ?? 502) : 200,
      requestId: `req_latency_${i}`,
    });
  }
  await s.gw.server.store.spend.insertMany(rows);
}

beforeAll(async () => {
  [seeded, browser] = await Promise.all([seededGateway(), launchBrowser()]);
  await moreTraffic(seeded);
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  consoleErrors = watchConsole(page);
  await signIn(page, seeded.gw.url, { username: "admin", password: ADMIN_PASSWORD });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await seeded?.gw.close();
});

/** The table's rows as text cells. */
async function tableRows(): Promise<string[][]> {
  const rows = page.locator('[data-testid="latency-table"] tbody tr');
  const out: string[][] = [];
  for (let i = 0; i < (await rows.count()); i++)
    out.push((await rows.nth(i).locator("td").allTextContents()).map((t) => t.trim()));
  return out;
}

const ms = (v: number | null) => (v === null ? "—" : duration(v));
const expectedRows = (r: LatencyReport) =>
  r.totals.map((t) => [
    t.group,
    int(t.requests),
    ms(t.p50_ms),
    ms(t.p95_ms),
    ms(t.p99_ms),
    expect.any(String),
    int(t.errors_4xx),
    int(t.client_closed),
    int(t.errors_5xx),
  ]);

test("per model: the table shows the API's figures, and the charts the busiest model's periods", async () => {
  const today = Date.now();
  const range = { from: isoDay(today - 29 * DAY_MS), to: isoDay(today) };
  await page.goto(`${seeded.gw.url}/admin/#/latency?from=${range.from}&to=${range.to}`);
  await page.locator('[data-testid="latency-table"] tbody tr').first().waitFor();
  const api = await adminGet<LatencyReport>(
    seeded.gw.url,
    `/admin/analytics/latency?from=${range.from}&to=${range.to}&bucket=day&group=model`,
  );
  expect(api.totals.length).toBeGreaterThanOrEqual(5);
  expect(await tableRows()).toEqual(expectedRows(api));
  const busiest = api.totals[0]?.group ?? "";
  await page.getByRole("heading", { name: `p95 over time · ${busiest}` }).waitFor();
  // One column per day of the range (30), quiet days included.
  expect(await page.locator("#latency-chart + * .col, section:has(#latency-chart) .col").count()).toBe(30);
  await screenshot(page, "latency-per-model");

  // Choosing another model redraws the charts for it.
  const other = api.totals[2]?.group ?? "";
  await page.getByRole("button", { name: other, exact: true }).click();
  await page.getByRole("heading", { name: `Errors over time · ${other}` }).waitFor();
  expect(await page.getByRole("button", { name: other, exact: true }).getAttribute("aria-pressed")).toBe(
    "true",
  );
});

test("per provider, and a range change shows loading, never the old figures, until the new ones land", async () => {
  await page.getByRole("button", { name: "Per provider" }).click();
  await page.getByRole("columnheader", { name: "Provider" }).waitFor();
  const before = await tableRows();
  expect(before.map((r) => r[0])).toEqual(
    ["anthropic", "ollama", "openai"].sort((a, b) => {
      const n = (g: string) => Number((before.find((r) => r[0] === g)?.[1] ?? "0").replaceAll(",", ""));
      return n(b) - n(a);
    }),
  );

  // Hold the next report until the old figures are shown to be gone.
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.route("**/admin/analytics/latency?*", async (route: Route) => {
    await held;
    await route.continue();
  });
  await page.getByRole("button", { name: "7 days" }).click();
  await page.getByRole("status").filter({ hasText: "Loading" }).waitFor();
  expect(await page.locator('[data-testid="latency-table"]').count()).toBe(0);
  release();
  await page.locator('[data-testid="latency-table"] tbody tr').first().waitFor();
  await page.unroute("**/admin/analytics/latency?*");
  const today = Date.now();
  const api = await adminGet<LatencyReport>(
    seeded.gw.url,
    `/admin/analytics/latency?from=${isoDay(today - 6 * DAY_MS)}&to=${isoDay(today)}&bucket=day&group=provider`,
  );
  const after = await tableRows();
  expect(after).toEqual(expectedRows(api));
  expect(after).not.toEqual(before);
  await screenshot(page, "latency-per-provider-7-days");
  expect(consoleErrors).toEqual([]);
});

test("a team admin sees only their team's figures, with no team picker", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const teamPage = await context.newPage();
    const errors = watchConsole(teamPage);
    await signIn(teamPage, seeded.gw.url, { key: seeded.aliceSecret });
    const today = Date.now();
    const range = { from: isoDay(today - 29 * DAY_MS), to: isoDay(today) };
    await teamPage.goto(`${seeded.gw.url}/admin/#/latency?from=${range.from}&to=${range.to}`);
    await teamPage.locator('[data-testid="latency-table"] tbody tr').first().waitFor();
    expect(await teamPage.getByLabel("Team").count()).toBe(0);
    const api = await adminGet<LatencyReport>(
      seeded.gw.url,
      `/admin/analytics/latency?from=${range.from}&to=${range.to}&team_id=${seeded.acme.id}`,
    );
    const all = await adminGet<LatencyReport>(
      seeded.gw.url,
      `/admin/analytics/latency?from=${range.from}&to=${range.to}`,
    );
    const rows = teamPage.locator('[data-testid="latency-table"] tbody tr');
    const cells: string[][] = [];
    for (let i = 0; i < (await rows.count()); i++)
      cells.push((await rows.nth(i).locator("td").allTextContents()).map((t) => t.trim()));
    expect(cells).toEqual(expectedRows(api));
    // Acme's figures are a part of everyone's, not everyone's.
    expect(api.totals.reduce((n, t) => n + t.requests, 0)).toBeLessThan(
      all.totals.reduce((n, t) => n + t.requests, 0),
    );
    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
});
