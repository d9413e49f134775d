// Shared by the dashboard's browser tests: a seeded gateway, one headless Chromium, sign-in and screenshots.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { chromiumPath } from "../../scripts/test-prereqs.ts";
import { createKey } from "../../src/modules/keys/service.ts";
import type { SpendRow, Team, User } from "../../src/store/types.ts";
import { REPO_ROOT } from "../helpers/cli.ts";
import { startTestGateway, type TestGateway } from "../helpers/gateway.ts";

export const ADMIN_PASSWORD = "dashboard-test-password";
export const ARTIFACTS = join(REPO_ROOT, "test-artifacts/dashboard");

/** Never downloads a browser: the system's Chromium (or SNODUS_TEST_CHROMIUM), headless, with nothing phoning home. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(process.env),
    args: [
      "--no-sandbox",
      "--headless",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export interface Seeded {
  gw: TestGateway;
  acme: Team;
  globex: Team;
  alice: User;
  /** Alice is Acme's admin; this is her key's secret (a team-admin sign-in). */
  aliceSecret: string;
  rows: SpendRow[];
}

const MODELS = [
  { model: "claude-sonnet-4-5", provider: "anthropic" },
  { model: "claude-haiku-4-5", provider: "anthropic" },
  { model: "claude-opus-4-1", provider: "anthropic" },
  { model: "gpt-4o-mini", provider: "openai" },
];
const ROUTES: Array<{ model: string; reason: string; method?: string }> = [
  { model: "claude-haiku-4-5", reason: "cheap tier: short input (~12 tokens < 200)" },
  { model: "claude-haiku-4-5", reason: 'cheap tier: simple keyword "translate"' },
  { model: "claude-sonnet-4-5", reason: "middle tier: medium input (~640 tokens < 2000)" },
  { model: "claude-opus-4-1", reason: 'top tier: complex keyword "refactor"' },
  { model: "claude-opus-4-5", reason: 'top tier: reasoning "prove" (score 3.0)', method: "score" },
  {
    model: "claude-sonnet-4-5",
    reason: "middle tier: sticky (kept for ~24000 cached prefix tokens; score 0.2 alone would pick cheap)",
    method: "score",
  },
];

/**
 * A gateway with two more teams (Acme on Pro with a budget, Globex on Basic), their users and keys, and
 * spend rows spread over the last 20 days, four models, both teams, a few failures and routed requests.
 * Amounts come from a fixed sequence so screenshots are comparable run to run (dates move with today).
 */
export async function seededGateway(): Promise<Seeded> {
  const gw = await startTestGateway("sqlite", { ADMIN_PASSWORD, SNODUS_ROUTER_ENABLED: "true" });
  const store = gw.server.store;
  const acme = await store.teams.create({ name: "Acme", plan: "pro", budgetMonthlyCents: 50_000 });
  const globex = await store.teams.create({ name: "Globex", plan: "basic", budgetMonthlyCents: 2_000 });
  const alice = await store.users.create({
    email: "alice@acme.test",
    name: "Alice Martin",
    teamId: acme.id,
    role: "admin",
  });
  const bob = await store.users.create({ email: "bob@acme.test", name: "Bob Stone", teamId: acme.id });
  const carol = await store.users.create({
    email: "carol@globex.test",
    name: "Carol Diaz",
    teamId: globex.id,
    role: "admin",
  });
  const aliceKey = await createKey(store, { userId: alice.id, name: "alice-admin", rateLimit: 1000 });
  const bobKey = await createKey(store, {
    userId: bob.id,
    name: "bob-laptop",
    rateLimit: 60,
    budgetMonthlyCents: 10_000,
  });
  const ciKey = await createKey(store, { userId: bob.id, name: "acme-ci", rateLimit: 600 });
  const carolKey = await createKey(store, { userId: carol.id, name: "globex-app", rateLimit: 120 });
  const actors = [
    { key: aliceKey.key, user: alice, team: acme },
    { key: bobKey.key, user: bob, team: acme },
    { key: ciKey.key, user: bob, team: acme },
    { key: carolKey.key, user: carol, team: globex },
  ];

  const rows: SpendRow[] = [];
  let seq = 7;
  const next = (n: number) => {
    seq = (seq * 48271) % 2147483647;
    return seq % n;
  };
  const now = Date.now();
  for (let day = 0; day < 20; day++) {
    const perDay = 3 + next(6);
    for (let i = 0; i < perDay; i++) {
      const who = actors[next(actors.length)] ?? actors[0];
      if (!who) continue;
      const routed = next(4) === 0 ? ROUTES[next(ROUTES.length)] : undefined;
      const pick = routed
        ? { model: routed.model, provider: "anthropic" }
        : (MODELS[next(MODELS.length)] ?? MODELS[0]);
      const status = next(15) === 0 ? ([429, 502, 499][next(3)] ?? 502) : 200;
      const input = status === 200 ? 200 + next(30_000) : 0;
      const output = status === 200 ? 50 + next(4_000) : 0;
      rows.push({
        id: Bun.randomUUIDv7(),
        // Minutes back from now within the day, so "today" rows never land in the future.
        createdAt: new Date(now - day * 86_400_000 - (1 + next(600)) * 60_000),
        apiKeyId: who.key.id,
        userId: who.user.id,
        teamId: who.team.id,
        model: pick?.model ?? "claude-sonnet-4-5",
        provider: pick?.provider ?? "anthropic",
        inputTokens: input,
        outputTokens: output,
        cacheCreationInputTokens: status === 200 && next(3) === 0 ? next(5_000) : 0,
        cacheReadInputTokens: status === 200 && next(3) === 0 ? next(20_000) : 0,
        costMicros: status === 200 ? 1_000 + next(400_000) : 0,
        durationMs: 300 + next(20_000),
        status,
        stream: next(2) === 0,
        routedFrom: routed ? "auto" : null,
        routingMethod: routed ? (routed.method ?? "rules") : null,
        routingReason: routed?.reason ?? null,
        requestId: `req_seed_${rows.length}`,
        deployment: null,
        // Every seventh request is tagged, from the index so the seeded figures stay as they were.
        tags: rows.length % 7 === 0 ? "nightly,batch" : null,
        endUser: rows.length % 7 === 0 ? "end-user-7" : null,
      });
    }
  }
  await store.spend.insertMany(rows);
  return { gw, acme, globex, alice, aliceSecret: aliceKey.secret, rows };
}

export type Credentials = { username: string; password: string } | { key: string };

export async function signIn(page: Page, url: string, creds: Credentials): Promise<void> {
  await page.goto(`${url}/admin/`);
  await page.getByRole("heading", { name: "Snodus admin" }).waitFor();
  if ("key" in creds) {
    await page.getByText("Admin key", { exact: true }).click();
    await page.getByLabel("Virtual key").fill(creds.key);
  } else {
    await page.getByLabel("Username").fill(creds.username);
    await page.getByLabel("Password", { exact: true }).fill(creds.password);
  }
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("navigation", { name: "Dashboard" }).waitFor();
}

/** Console errors and uncaught exceptions of a page, for the "no console errors" checks. */
export function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(msg.text());
  });
  page.on("pageerror", (err) => errors.push(`uncaught: ${err.message}`));
  return errors;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** The admin API's answer, with the same Basic credentials the dashboard's global admin uses. */
export async function adminGet<T>(url: string, path: string): Promise<T> {
  const res = await fetch(`${url}${path}`, {
    headers: { authorization: `Basic ${btoa(`admin:${ADMIN_PASSWORD}`)}` },
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}
