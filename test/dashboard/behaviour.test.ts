// What the dashboard promises beyond its figures: keyboard-only use, a live Activity tab, and no secret
// kept in the browser's storage.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import {
  ADMIN_PASSWORD,
  launchBrowser,
  type Seeded,
  seededGateway,
  signIn,
  watchConsole,
} from "./harness.ts";

setDefaultTimeout(60_000);

let seeded: Seeded;
let browser: Browser;

beforeAll(async () => {
  [seeded, browser] = await Promise.all([seededGateway(), launchBrowser()]);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await seeded?.gw.close();
});

async function freshPage(): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  return { page, errors: watchConsole(page) };
}

/** Presses Tab until the focused element matches, like a keyboard user looking for it. */
async function tabTo(page: Page, selector: string, max = 40): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

describe("keyboard only", () => {
  test("sign in, switch tabs, open and dismiss a dialog, all without a mouse", async () => {
    const { page, errors } = await freshPage();
    await page.goto(`${seeded.gw.url}/admin/`);
    await page.getByRole("heading", { name: "Snodus admin" }).waitFor();
    // The username defaults to "admin", so the password field has the focus.
    expect(await page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("password");
    await page.keyboard.type(ADMIN_PASSWORD);
    await page.keyboard.press("Enter");
    await page.getByRole("navigation", { name: "Dashboard" }).waitFor();

    // The tabs are links reachable by Tab and followed with Enter.
    await tabTo(page, 'nav a[href="#/keys"]');
    await page.keyboard.press("Enter");
    await page.locator("table.keys").waitFor();
    expect(await page.getByRole("link", { name: "Keys" }).getAttribute("aria-current")).toBe("page");

    // A dialog opens from the keyboard, holds the focus, and Escape closes it, giving the focus back.
    await tabTo(page, "button.primary");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain("New key");
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "New key" });
    await dialog.waitFor();
    expect(await page.evaluate(() => document.activeElement?.closest("dialog") !== null)).toBe(true);
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain("New key");
    expect(errors).toEqual([]);
    await page.close();
  });

  test("a skip link leads past the navigation to the content", async () => {
    const { page } = await freshPage();
    await signIn(page, seeded.gw.url, { username: "admin", password: ADMIN_PASSWORD });
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press("Tab");
    const skip = page.getByRole("link", { name: "Skip to content" });
    expect(await skip.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id ?? location.hash)).toContain("main");
    await page.close();
  });
});

/** One small request through the gateway with Alice's key. */
function askAsAlice(model: string): Promise<Response> {
  return fetch(`${seeded.gw.url}/v1/messages`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${seeded.aliceSecret}`,
      "content-type": "application/json",
      "anthropic-version": "2023-06-01",
    },
    body: JSON.stringify({ model, max_tokens: 16, messages: [{ role: "user", content: "live?" }] }),
  });
}

describe("Activity", () => {
  test("a request made through the gateway appears without a reload while Live is on", async () => {
    const { page, errors } = await freshPage();
    await signIn(page, seeded.gw.url, { username: "admin", password: ADMIN_PASSWORD });
    await page.goto(`${seeded.gw.url}/admin/#/activity`);
    await page.locator("table.activity").waitFor();
    expect(await page.getByLabel("Live").isChecked()).toBe(true);

    const res = await askAsAlice("claude-haiku-4-5");
    expect(res.status).toBe(200);
    // The newest row comes first: Alice's key, the model, "just now", within one refresh period or two.
    const first = page.locator("table.activity tbody tr").first();
    await first
      .filter({ hasText: "alice-admin" })
      .filter({ hasText: /just now|seconds? ago/ })
      .waitFor({
        timeout: 15_000,
      });
    expect(await first.textContent()).toContain("claude-haiku-4-5");

    // Live off: a further request does not show until Live is switched on again.
    await page.getByLabel("Live").uncheck();
    expect((await askAsAlice("claude-sonnet-4-5")).status).toBe(200);
    await Bun.sleep(6_500); // longer than one refresh period
    expect(await page.locator("table.activity tbody tr").first().textContent()).toContain("claude-haiku-4-5");
    await page.getByLabel("Live").check();
    await page.locator("table.activity tbody tr").first().filter({ hasText: "claude-sonnet-4-5" }).waitFor({
      timeout: 15_000,
    });
    expect(errors).toEqual([]);
    await page.close();
  });
});

test("no secret is kept in localStorage, sessionStorage or a cookie page scripts can read", async () => {
  const { page } = await freshPage();
  await signIn(page, seeded.gw.url, { key: seeded.aliceSecret });
  await page.goto(`${seeded.gw.url}/admin/#/keys`);
  await page.locator("table.keys").waitFor();
  const stored = await page.evaluate(() => {
    const dump = (s: Storage) =>
      Array.from({ length: s.length }, (_, i) => `${s.key(i)}=${s.getItem(s.key(i) ?? "")}`);
    return [...dump(localStorage), ...dump(sessionStorage), document.cookie].join("\n");
  });
  expect(stored).not.toContain(seeded.aliceSecret);
  expect(stored).not.toContain(seeded.aliceSecret.slice(3, 20));
  expect(stored).not.toContain(ADMIN_PASSWORD);
  // The session cookie exists, but only the server can read it (what it holds: src/modules/dashboard/session.ts).
  const cookies = await page.context().cookies();
  expect(cookies.length).toBe(1);
  expect(cookies.every((c) => c.httpOnly && c.sameSite === "Strict" && c.path === "/admin")).toBe(true);
  await page.close();
});
