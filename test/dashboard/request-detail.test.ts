// Activity's request detail: every attempt of one request (here a 529 and its fallback), with tokens and cost.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { startTestGateway, type TestGateway } from "../helpers/gateway.ts";
import { mockHeader } from "../mock-upstream/index.ts";
import { ADMIN_PASSWORD, launchBrowser, screenshot, signIn, watchConsole } from "./harness.ts";

setDefaultTimeout(60_000);

let gw: TestGateway;
let browser: Browser;
let page: Page;
let consoleErrors: string[];

beforeAll(async () => {
  [gw, browser] = await Promise.all([
    startTestGateway("sqlite", {
      ADMIN_PASSWORD,
      SNODUS_FALLBACKS: "claude-opus-4-5-mock-error-529=claude-sonnet-4-5",
    }),
    launchBrowser(),
  ]);
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  consoleErrors = watchConsole(page);
  await signIn(page, gw.url, { username: "admin", password: ADMIN_PASSWORD });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await gw?.close();
});

test("Details on a fallen-back request shows both attempts, in order, with cache tokens and cost", async () => {
  const res = await fetch(`${gw.url}/v1/messages`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${gw.secret}`,
      "content-type": "application/json",
      "x-mock": mockHeader({ usage: { input_tokens: 100, cache_read_input_tokens: 400, output_tokens: 20 } }),
    },
    body: JSON.stringify({
      model: "claude-opus-4-5-mock-error-529",
      max_tokens: 50,
      messages: [{ role: "user", content: "hi" }],
    }),
  });
  expect(res.status).toBe(200);
  const requestId = res.headers.get("x-snodus-request-id") ?? "";
  await gw.spendRows();

  await page.goto(`${gw.url}/admin/#/activity`);
  await page.locator("table.activity tbody tr").first().waitFor();
  await page.locator(`button[title="${requestId}"]`).first().click();
  const dialog = page.locator("dialog.modal");
  const rows = dialog.locator("table.attempts tbody tr");
  await rows.nth(1).waitFor();
  expect(await rows.count()).toBe(2);
  const [first, second] = await rows.allTextContents();
  expect(first).toContain("claude-opus-4-5-mock-error-529");
  expect(first).toContain("529");
  expect(second).toContain("claude-sonnet-4-5");
  expect(second).toContain("fallback");
  expect(second).toContain("400"); // cache read tokens
  expect(await dialog.textContent()).toContain(requestId);
  expect(await dialog.textContent()).toContain("2 attempts");
  await screenshot(page, "activity-request-detail");
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "hidden" });
  expect(consoleErrors).toEqual([]);
});
