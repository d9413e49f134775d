// The Account tab lists the gateway's providers, whether each answers, and their deployments.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { REAL_ANTHROPIC_KEY, startTestGateway, type TestGateway } from "../helpers/gateway.ts";
import { ADMIN_PASSWORD, launchBrowser, screenshot, signIn, watchConsole } from "./harness.ts";

setDefaultTimeout(60_000);

let gw: TestGateway;
let browser: Browser;
let page: Page;
let consoleErrors: string[];

beforeAll(async () => {
  [gw, browser] = await Promise.all([
    // Two Anthropic keys (two deployments); OpenAI configured against a port nothing listens on.
    startTestGateway("sqlite", {
      ADMIN_PASSWORD,
      ANTHROPIC_API_KEYS: `${REAL_ANTHROPIC_KEY}-1,${REAL_ANTHROPIC_KEY}-2`,
      OPENAI_API_KEY: "sk-openai-test",
      OPENAI_UPSTREAM_URL: "http://127.0.0.1:9",
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

test("providers: configured, reachable or not, deployments, models", async () => {
  await page.goto(`${gw.url}/admin/#/account`);
  const section = page.locator("section[aria-labelledby=providers-title]");
  await section.locator("table.providers").waitFor();
  const row = (name: string) => section.locator("tbody tr", { hasText: name });
  await expect(row("anthropic").textContent()).resolves.toContain("reachable");
  await expect(row("anthropic").textContent()).resolves.toContain("claude-sonnet-4-5");
  // Two keys: two deployments, both up.
  expect(await row("anthropic").locator("li").count()).toBe(2);
  await expect(row("openai").textContent()).resolves.toContain("unreachable");
  await expect(row("ollama").textContent()).resolves.toContain("not configured");
  await screenshot(page, "account-providers");
  expect(consoleErrors).toEqual([]);
});
