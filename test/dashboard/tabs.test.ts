// Every tab, signed in as the global admin, shows the seeded figures the admin API reports, without a
// console error, in light and dark, at laptop and phone widths (screenshots in test-artifacts/dashboard/).
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { count, int, money, pct } from "../../web/format.ts";
import type {
  Account,
  DailyReport,
  KeyReport,
  ModelReport,
  Paged,
  RoutingMethodsReport,
  RoutingReport,
  Team,
  User,
  UserReport,
} from "../../web/types.ts";
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

// A browser run takes seconds, not milliseconds (bun's default is 5 s per test). Checks await values and
// then compare: bun's `expect(promise).resolves` adds about half a second each.
setDefaultTimeout(60_000);

let seeded: Seeded;
let browser: Browser;
let page: Page;
let consoleErrors: string[];
let url: string;

beforeAll(async () => {
  [seeded, browser] = await Promise.all([seededGateway(), launchBrowser()]);
  url = seeded.gw.url;
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  consoleErrors = watchConsole(page);
  await signIn(page, url, { username: "admin", password: ADMIN_PASSWORD });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await seeded?.gw.close();
});

const kpi = (name: string) => page.locator(`[data-kpi="${name}"] [data-value]`);

async function openTab(hash: string) {
  // A fresh load each time, so no figure of the previous view can satisfy the checks.
  await page.goto("about:blank");
  await page.goto(`${url}/admin/#/${hash}`);
  // Every tab shows a spinner while loading; wait until none is left.
  await page.waitForFunction(() => !document.querySelector(".loading") && !document.querySelector(".boot"));
}

describe("the global admin", () => {
  test("Spend: KPIs and breakdowns equal the admin API's figures", async () => {
    await openTab("spend");
    const daily = await adminGet<DailyReport>(url, `/admin/analytics/daily?from=${fromDay()}&to=${today()}`);
    const totals = daily.totals;
    expect(totals.requests).toBe(seeded.rows.length);
    expect(await kpi("spend").textContent()).toBe(money(totals.cost_micros));
    expect(await kpi("requests").textContent()).toBe(int(totals.requests));
    expect(await kpi("avg").textContent()).toBe(money(totals.cost_micros / totals.requests));
    const tokens = page.locator('[data-kpi="tokens"] .kpi-detail');
    expect(await tokens.textContent()).toBe(
      `${int(totals.input_tokens)} in · ${int(totals.output_tokens)} out`,
    );
    const month = await adminGet<DailyReport>(
      url,
      `/admin/analytics/daily?from=${today().slice(0, 8)}01&to=${today()}`,
    );
    expect(await kpi("month").textContent()).toBe(money(month.totals.cost_micros));

    const models = await adminGet<ModelReport>(
      url,
      `/admin/analytics/models?from=${fromDay()}&to=${today()}`,
    );
    const users = await adminGet<UserReport>(url, `/admin/analytics/users?from=${fromDay()}&to=${today()}`);
    const keys = await adminGet<KeyReport>(url, `/admin/analytics/keys?from=${fromDay()}&to=${today()}`);
    const firstBar = (list: string) => page.locator(`ol[aria-label="${list}"] li`).first();
    expect(await firstBar("Spend by model").locator(".bar-label").textContent()).toBe(
      models.data[0]?.model ?? "",
    );
    expect(await firstBar("Spend by model").locator(".bar-value").textContent()).toBe(
      money(models.data[0]?.cost_micros ?? 0),
    );
    expect(await firstBar("Top users by spend").locator(".bar-value").textContent()).toBe(
      money(users.data[0]?.cost_micros ?? 0),
    );
    expect(await firstBar("Top keys by spend").locator(".bar-label").textContent()).toBe(
      keys.data[0]?.name ?? "",
    );
    // The chart has one column per day of the range.
    expect(await page.locator('figure [role="img"] .col').count()).toBe(daily.data.length);
  });

  test("Spend: a team and a date range narrow every figure", async () => {
    await openTab(`spend?team=${seeded.globex.id}&from=${fromDay(7)}&to=${today()}`);
    const daily = await adminGet<DailyReport>(
      url,
      `/admin/analytics/daily?from=${fromDay(7)}&to=${today()}&team_id=${seeded.globex.id}`,
    );
    expect(await kpi("spend").textContent()).toBe(money(daily.totals.cost_micros));
    expect(await kpi("requests").textContent()).toBe(int(daily.totals.requests));
    const account = await adminGet<Account>(url, `/admin/teams/${seeded.globex.id}/account`);
    expect(await kpi("month").textContent()).toBe(money(account.spend_micros.used));
    expect(await page.locator('[data-kpi="month"] [role="progressbar"]').getAttribute("aria-valuenow")).toBe(
      String(Math.round(Math.min(1, account.spend_micros.used / (account.spend_micros.limit ?? 1)) * 100)),
    );
    // The preset buttons change the range in place.
    await page.getByRole("button", { name: "90 days" }).click();
    await page.waitForFunction(() => location.hash.includes("from="));
    expect(await page.getByRole("button", { name: "90 days" }).getAttribute("aria-pressed")).toBe("true");
  });

  test("Activity: the newest requests with their figures, filterable", async () => {
    await openTab("activity");
    const recent = await adminGet<{ data: { model: string; cost_micros: number; status: number }[] }>(
      url,
      "/admin/analytics/recent?limit=100",
    );
    const rows = page.locator("table.activity tbody tr");
    expect(await rows.count()).toBe(recent.data.length);
    const first = recent.data[0];
    expect(first).toBeDefined();
    const cells = rows.first().locator("td");
    expect(await cells.nth(3).textContent()).toBe(first?.model ?? "");
    expect(await cells.nth(6).textContent()).toBe(money(first?.cost_micros ?? 0));
    const refused = await adminGet<{ data: unknown[] }>(url, "/admin/analytics/recent?limit=100&status=4xx");
    expect(refused.data.length).toBeGreaterThan(0);
    await page.getByLabel("Status").selectOption("4xx");
    await page.waitForFunction(
      (n) => document.querySelectorAll("table.activity tbody tr").length === n,
      refused.data.length,
    );
    expect(await rows.count()).toBe(refused.data.length);
    await page.getByRole("button", { name: "Clear filters" }).click();
    // The filters apply on the server: the unfiltered list is a fresh request.
    await page.waitForFunction(
      (n) => document.querySelectorAll("table.activity tbody tr").length === n,
      recent.data.length,
    );
  });

  test("Activity: the tag and end-user filters ask the server", async () => {
    await openTab("activity");
    const tagged = await adminGet<{ data: { tags: string[] }[] }>(
      url,
      "/admin/analytics/recent?limit=100&tag=nightly",
    );
    expect(tagged.data.length).toBeGreaterThan(0);
    expect(tagged.data.every((r) => r.tags.includes("nightly"))).toBe(true);
    await page.getByLabel("Tag").fill("nightly");
    await page.getByLabel("Tag").press("Enter");
    await page.waitForFunction(() => location.hash.includes("tag=nightly"));
    await page.waitForFunction(
      (n) => document.querySelectorAll("table.activity tbody tr").length === n,
      tagged.data.length,
    );
    await page.getByLabel("End user").fill("nobody-at-all");
    await page.getByLabel("End user").press("Enter");
    await page.getByText("No request matches these filters.").waitFor();
    await page.getByRole("button", { name: "Clear filters" }).click();
    await page.waitForFunction(() => !location.hash.includes("tag="));
    // The unfiltered rows arrive after the hash changes; wait for them rather than read mid-load.
    await page.waitForFunction(
      (n) => document.querySelectorAll("table.activity tbody tr").length > n,
      tagged.data.length,
    );
    expect(await page.getByLabel("Tag").inputValue()).toBe("");
  });

  test("Keys: every key with its owner, limit and budget", async () => {
    await openTab("keys");
    const keys = await adminGet<Paged<{ name: string; status: string }>>(url, "/admin/keys?limit=500");
    const active = keys.data.filter((k) => k.status !== "revoked");
    expect(await page.locator("table.keys tbody tr").count()).toBe(active.length);
    const bob = page.locator("table.keys tbody tr", { hasText: "bob-laptop" });
    expect(await bob.locator("td").nth(2).textContent()).toBe("Bob Stone");
    expect(await bob.textContent()).toContain("$100.00");
    expect(await bob.textContent()).toContain("60/min");
  });

  test("Users & Teams: users and teams with plans and budgets", async () => {
    await openTab("users");
    const users = await adminGet<Paged<User>>(url, "/admin/users?limit=500");
    const teams = await adminGet<Paged<Team>>(url, "/admin/teams?limit=500");
    const tables = page.locator("table.data");
    expect(await tables.nth(0).locator("tbody tr").count()).toBe(users.data.length);
    expect(await tables.nth(1).locator("tbody tr").count()).toBe(teams.data.length);
    const acme = tables.nth(1).locator("tbody tr", { hasText: "Acme" });
    expect(await acme.textContent()).toContain("pro");
    expect(await acme.textContent()).toContain("$500.00");
  });

  test("Account: usage against every cap of the chosen team", async () => {
    await openTab(`account?team=${seeded.acme.id}`);
    const a = await adminGet<Account>(url, `/admin/teams/${seeded.acme.id}/account`);
    const usage = page.locator(`[data-account="${seeded.acme.id}"]`);
    const text = await usage.textContent();
    expect(text).toContain(`${int(a.tokens.used)} of ${int(a.tokens.limit ?? 0)}`);
    expect(text).toContain(`${money(a.spend_micros.used)} of ${money(a.spend_micros.limit ?? 0)}`);
    expect(text).toContain(`${int(a.keys.used)} of ${int(a.keys.limit ?? 0)}`);
    expect(await usage.locator('[role="progressbar"]').count()).toBe(4);
    expect(await page.locator(".plan.current h3").textContent()).toBe("Pro");
    expect(count(a.users.limit, "user")).toBe("5 users");
  });

  test("Routing: routed share and the chosen models", async () => {
    await openTab("routing");
    const r = await adminGet<RoutingReport>(url, `/admin/analytics/routing?from=${fromDay()}&to=${today()}`);
    expect(r.routed_requests).toBeGreaterThan(0);
    expect(await kpi("routed").textContent()).toBe(int(r.routed_requests));
    expect(await page.locator('section[aria-labelledby="routed-models"] tbody tr').count()).toBe(
      r.data.length,
    );
    const methods = await adminGet<RoutingMethodsReport>(
      url,
      `/admin/analytics/routing/methods?from=${fromDay()}&to=${today()}`,
    );
    expect(methods.data.map((m) => m.method).sort()).toEqual(["rules", "score"]);
    for (const m of methods.data) {
      const row = page.locator(`section[aria-labelledby="routing-methods"] tr[data-method="${m.method}"]`);
      expect(await row.locator("[data-tier=top]").textContent()).toBe(pct(m.tiers.top / m.requests));
      const saving = m.saving_micros ?? 0;
      const top = m.always_top_micros ?? 0;
      expect(await row.locator("[data-saving]").textContent()).toBe(
        `${money(saving)} · ${pct(saving / top)}`,
      );
    }
  });

  test("a failing report shows its error in place, with a retry, while the rest of the tab renders", async () => {
    // A page of its own: the forced 500 is logged by Chromium and must not count against the tabs.
    const other = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    try {
      let fail = true;
      await other.route("**/admin/analytics/models*", (route) =>
        fail
          ? route.fulfill({
              status: 500,
              contentType: "application/json",
              body: JSON.stringify({
                error: { status: 500, code: "api_error", message: "Internal gateway error" },
              }),
            })
          : route.continue(),
      );
      await signIn(other, url, { username: "admin", password: ADMIN_PASSWORD });
      const models = other.locator('section[aria-labelledby="by-model"]');
      await models.getByRole("alert").waitFor();
      expect(await models.getByRole("alert").textContent()).toContain("Internal gateway error");
      // The other reports still load and render (the failed one answers first: it never reaches the server).
      await other
        .locator('[data-kpi="requests"] [data-value]', { hasText: int(seeded.rows.length) })
        .waitFor();
      await screenshot(other, "spend-error-in-place-laptop-light");
      fail = false;
      await models.getByRole("button", { name: "Retry" }).click();
      await models.locator("ol").waitFor();
    } finally {
      await other.close();
    }
  });

  test("screenshots of every tab, light and dark, laptop and phone, with no console error", async () => {
    const tabs = ["spend", "activity", "latency", "keys", "users", "account", "routing"];
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const [width, height, device] of [
        [1280, 800, "laptop"],
        [390, 844, "phone"],
      ] as const) {
        await page.setViewportSize({ width, height });
        for (const tab of tabs) {
          await openTab(tab === "account" ? `account?team=${seeded.acme.id}` : tab);
          await screenshot(page, `${tab}-${device}-${scheme}`);
        }
      }
    }
    await page.emulateMedia({ colorScheme: "light" });
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(consoleErrors).toEqual([]);
  }, 120_000);
});

/** The dashboard's default range: the last 30 UTC days, today included. */
function fromDay(days = 30): string {
  return new Date(Date.now() - (days - 1) * 86_400_000).toISOString().slice(0, 10);
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}
