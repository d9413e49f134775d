// The key lifecycle through the dashboard: a new key's secret is shown once and works on /v1/messages;
// edits apply; rotation shows the new secret; revocation makes the same request fail with 403.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import {
  ADMIN_PASSWORD,
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

beforeAll(async () => {
  [seeded, browser] = await Promise.all([seededGateway(), launchBrowser()]);
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  consoleErrors = watchConsole(page);
  await signIn(page, seeded.gw.url, { username: "admin", password: ADMIN_PASSWORD });
  await page.goto(`${seeded.gw.url}/admin/#/keys`);
  await page.locator("table.keys").waitFor();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await seeded?.gw.close();
});

function ask(secret: string) {
  return fetch(`${seeded.gw.url}/v1/messages`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${secret}`,
      "content-type": "application/json",
      "anthropic-version": "2023-06-01",
    },
    body: JSON.stringify({
      model: "claude-sonnet-4-5",
      max_tokens: 16,
      messages: [{ role: "user", content: "hi" }],
    }),
  });
}

const row = (name: string) => page.locator("table.keys tbody tr", { hasText: name });

/** Creates a key through the form and returns the secret the one-time dialog shows. */
async function createKey(name: string): Promise<string> {
  await page.getByRole("button", { name: "New key" }).click();
  const dialog = page.getByRole("dialog", { name: "New key" });
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByLabel("Owner").selectOption({ label: `Dev (${seeded.gw.user.email})` });
  await dialog.getByRole("button", { name: "Create key" }).click();
  const shown = page.getByRole("dialog", { name: "Key created: copy the secret" });
  await shown.waitFor();
  expect(await shown.textContent()).toContain("This is the only time the secret is shown");
  const secret = await shown.locator("[data-secret]").inputValue();
  await screenshot(page, "keys-secret-once-laptop-light");
  await shown.getByRole("button", { name: "Copy" }).click();
  // Headless Chromium may refuse the clipboard; either way the page says what happened.
  await page.getByText(/Copied to the clipboard|select the text and copy it by hand/).waitFor();
  await shown.getByRole("button", { name: "I have saved it" }).click();
  await row(name).waitFor();
  return secret;
}

describe("keys in the dashboard", () => {
  test("a created key works once its secret is copied; revoked, it gets 403", async () => {
    const secret = await createKey("browser-made");
    expect(secret).toMatch(/^sk-[A-Za-z0-9]{40}$/);
    // Shown once: once the dialog is closed, the page no longer holds it.
    expect(await page.content()).not.toContain(secret);
    const ok = await ask(secret);
    expect(ok.status).toBe(200);
    await ok.text();

    await row("browser-made").getByRole("button", { name: "Revoke browser-made" }).click();
    const confirm = page.getByRole("dialog", { name: "Revoke “browser-made”?" });
    // The safe choice has the focus, so Enter does not revoke by accident.
    expect(
      await confirm.getByRole("button", { name: "Cancel" }).evaluate((b) => b === document.activeElement),
    ).toBe(true);
    await confirm.getByRole("button", { name: "Revoke key" }).click();
    await row("browser-made").waitFor({ state: "detached" });
    const refused = await ask(secret);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { type: string } }).error.type).toBe("permission_error");
    // Revoked keys stay listed on request.
    await page.getByLabel(/Show revoked/).check();
    expect(await row("browser-made").locator(".badge").textContent()).toBe("revoked");
    await page.getByLabel(/Show revoked/).uncheck();
  });

  test("editing a key's rate limit and budget shows in the list", async () => {
    await createKey("to-edit");
    await row("to-edit").getByRole("button", { name: "Edit to-edit" }).click();
    const dialog = page.getByRole("dialog", { name: "Edit key “to-edit”" });
    await dialog.getByLabel(/Rate limit/).fill("120");
    await dialog.getByLabel(/Monthly budget/).fill("25.50");
    await dialog.getByRole("button", { name: "Save" }).click();
    await dialog.waitFor({ state: "detached" });
    // The list reloads after the save; wait for this row's new figures, not any "120/min" on the page.
    await row("to-edit").filter({ hasText: "120/min" }).waitFor();
    expect(await row("to-edit").textContent()).toContain("$25.50");
    // A bad value is explained in place and nothing is sent.
    await row("to-edit").getByRole("button", { name: "Edit to-edit" }).click();
    const again = page.getByRole("dialog", { name: "Edit key “to-edit”" });
    await again.getByLabel(/Monthly budget/).fill("lots");
    await again.getByRole("button", { name: "Save" }).click();
    expect(await again.getByRole("alert").textContent()).toContain("amount in dollars");
    await again.getByRole("button", { name: "Cancel" }).click();
  });

  test("allowed models and a concurrency cap set in the form apply to the key at once", async () => {
    const secret = await createKey("to-restrict");
    await row("to-restrict").getByRole("button", { name: "Edit to-restrict" }).click();
    const dialog = page.getByRole("dialog", { name: "Edit key “to-restrict”" });
    await dialog.getByLabel(/Allowed models/).fill("claude-haiku-*, gpt-4o-mini");
    await dialog.getByLabel(/Concurrent requests/).fill("2");
    await dialog.getByRole("button", { name: "Save" }).click();
    await dialog.waitFor({ state: "detached" });
    const key = (await seeded.gw.server.store.keys.list()).find((k) => k.name === "to-restrict");
    expect(key).toMatchObject({ allowedModels: ["claude-haiku-*", "gpt-4o-mini"], maxConcurrent: 2 });
    // `ask` names claude-sonnet-4-5, which the key may no longer use.
    const refused = await ask(secret);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain("not allowed");
    // The form shows the saved list when opened again.
    await row("to-restrict").getByRole("button", { name: "Edit to-restrict" }).click();
    const again = page.getByRole("dialog", { name: "Edit key “to-restrict”" });
    expect(await again.getByLabel(/Allowed models/).inputValue()).toBe("claude-haiku-*, gpt-4o-mini");
    await again.getByRole("button", { name: "Cancel" }).click();
  });

  test("rotating shows the new secret; the old key keeps working for now", async () => {
    const old = await createKey("to-rotate");
    await row("to-rotate").getByRole("button", { name: "Rotate to-rotate" }).click();
    await page
      .getByRole("dialog", { name: "Rotate “to-rotate”?" })
      .getByRole("button", { name: "Rotate key" })
      .click();
    const shown = page.getByRole("dialog", { name: "Key rotated: copy the new secret" });
    const fresh = await shown.locator("[data-secret]").inputValue();
    expect(fresh).not.toBe(old);
    await shown.getByRole("button", { name: "I have saved it" }).click();
    expect((await ask(fresh)).status).toBe(200);
    expect((await ask(old)).status).toBe(200);
    expect(await row("to-rotate").first().textContent()).toBeTruthy();
    expect(await page.locator("table.keys .badge.warn").count()).toBe(1);
    expect(consoleErrors).toEqual([]);
  });
});
