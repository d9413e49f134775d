// A team admin signed in with their admin key sees only their own team's rows, in every tab; sign-out works.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { createKey } from "../../src/modules/keys/service.ts";
import { int, money } from "../../web/format.ts";
import type { DailyReport, RoutingReport } from "../../web/types.ts";
import {
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
let url: string;

beforeAll(async () => {
  [seeded, browser] = await Promise.all([seededGateway(), launchBrowser()]);
  url = seeded.gw.url;
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  consoleErrors = watchConsole(page);
  await signIn(page, url, { key: seeded.aliceSecret });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await seeded?.gw.close();
});

async function openTab(hash: string) {
  await page.goto("about:blank");
  await page.goto(`${url}/admin/#/${hash}`);
  await page.waitForFunction(() => !document.querySelector(".loading") && !document.querySelector(".boot"));
}

const range = () => {
  const to = new Date().toISOString().slice(0, 10);
  const from = new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10);
  return `from=${from}&to=${to}`;
};

describe("a team admin (Alice, Acme)", () => {
  test("is shown as Acme's admin, without a team picker", async () => {
    await openTab("spend");
    expect(await page.locator(".who-name").textContent()).toContain("Alice Martin · Acme");
    expect(await page.getByLabel("Team").count()).toBe(0);
  });

  test("Spend and Routing show Acme's figures only", async () => {
    await openTab("spend");
    const acme = await adminGet<DailyReport>(
      url,
      `/admin/analytics/daily?${range()}&team_id=${seeded.acme.id}`,
    );
    const all = await adminGet<DailyReport>(url, `/admin/analytics/daily?${range()}`);
    expect(acme.totals.requests).toBeLessThan(all.totals.requests);
    const kpi = (name: string) => page.locator(`[data-kpi="${name}"] [data-value]`).textContent();
    expect(await kpi("spend")).toBe(money(acme.totals.cost_micros));
    expect(await kpi("requests")).toBe(int(acme.totals.requests));
    const topUsers = await page.locator('ol[aria-label="Top users by spend"]').textContent();
    expect(topUsers).not.toContain("Carol");
    const topKeys = await page.locator('ol[aria-label="Top keys by spend"]').textContent();
    expect(topKeys).not.toContain("globex-app");

    await openTab("routing");
    const routing = await adminGet<RoutingReport>(
      url,
      `/admin/analytics/routing?${range()}&team_id=${seeded.acme.id}`,
    );
    expect(await kpi("routed")).toBe(int(routing.routed_requests));
  });

  test("Activity lists only Acme's requests", async () => {
    await openTab("activity");
    const acmeRows = seeded.rows.filter((r) => r.teamId === seeded.acme.id).length;
    const rows = page.locator("table.activity tbody tr");
    expect(await rows.count()).toBe(Math.min(100, acmeRows));
    const text = await page.locator("table.activity").textContent();
    expect(text).not.toContain("Carol");
    expect(text).not.toContain("globex-app");
  });

  test("Keys and Users & Teams list only Acme's", async () => {
    await openTab("keys");
    const names = await page.locator("table.keys tbody tr td:first-child").allTextContents();
    expect(names.sort()).toEqual(["acme-ci", "alice-admin", "bob-laptop"]);
    await openTab("users");
    const users = await page
      .locator("table.data")
      .first()
      .locator("tbody tr td:first-child")
      .allTextContents();
    expect(users.sort()).toEqual(["Alice Martin", "Bob Stone"]);
    const teams = await page
      .locator("table.data")
      .nth(1)
      .locator("tbody tr td:first-child")
      .allTextContents();
    expect(teams).toEqual(["Acme"]);
  });

  test("Account shows Acme's caps, and no plan change", async () => {
    await openTab("account");
    expect(await page.locator(`[data-account="${seeded.acme.id}"]`).count()).toBe(1);
    expect(await page.getByRole("button", { name: /Switch to/ }).count()).toBe(0);
    await screenshot(page, "account-team-admin-laptop-light");
    expect(consoleErrors).toEqual([]);
  });

  test("signing out ends the session, also after a reload", async () => {
    await openTab("spend");
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Snodus admin" }).waitFor();
    await page.reload();
    await page.getByRole("heading", { name: "Snodus admin" }).waitFor();
    await screenshot(page, "signin-laptop-light");
    await page.emulateMedia({ colorScheme: "dark" });
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, "signin-phone-dark");
    await page.emulateMedia({ colorScheme: "light" });
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(await page.getByRole("navigation", { name: "Dashboard" }).count()).toBe(0);
    // The session cookie is gone: the admin API refuses the browser now.
    const status = await page.evaluate(async () => (await fetch("/admin/keys")).status);
    expect(status).toBe(401);
  });

  test("a member's key cannot sign in; the reason is shown in place", async () => {
    const member = await createKey(seeded.gw.server.store, { userId: seeded.gw.user.id, name: "member" });
    await page.getByText("Admin key", { exact: true }).click();
    await page.getByLabel("Virtual key").fill(member.secret);
    await page.getByRole("button", { name: "Sign in" }).click();
    expect(await page.getByRole("alert").textContent()).toContain("not an admin");
  });
});
