// Limits shared through Redis: two gateway processes on one Postgres and one Redis enforce one limit.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { LOGIN_FAILURES } from "../../src/modules/admin/auth.ts";
import { createKey } from "../../src/modules/keys/service.ts";
import { SIGNUPS_PER_HOUR } from "../../src/modules/signup/index.ts";
import { openStore } from "../../src/store/open.ts";
import type { Store } from "../../src/store/types.ts";
import { runSnodus } from "../helpers/cli.ts";
import { freshDatabase, type TestDatabase } from "../helpers/databases.ts";
import { eventually, startTestGateway } from "../helpers/gateway.ts";
import { type ServeProcess, spawnServe } from "../helpers/process.ts";
import { freshPrefix, REDIS_URL, startPrivateRedis } from "../helpers/redis.ts";
import { type MockUpstream, mockHeader, startMockUpstream } from "../mock-upstream/index.ts";

function post(url: string, secret: string, mock: Record<string, unknown> = {}, maxTokens = 1000) {
  return fetch(`${url}/v1/messages`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${secret}`,
      "content-type": "application/json",
      "anthropic-version": "2023-06-01",
      "x-mock": mockHeader(mock),
    },
    body: JSON.stringify({
      model: "claude-sonnet-4-5",
      max_tokens: maxTokens,
      messages: [{ role: "user", content: "hi" }],
    }),
  }).then(async (r) => {
    await r.arrayBuffer();
    return r.status;
  });
}

describe("two gateway processes on one Postgres and one Redis", () => {
  let db: TestDatabase;
  let mock: MockUpstream;
  let store: Store;
  let a: ServeProcess;
  let b: ServeProcess;
  let userId: string;

  beforeAll(async () => {
    db = await freshDatabase("postgres");
    mock = await startMockUpstream();
    store = await openStore(db.location);
    const team = await store.teams.create({ name: "Shared", plan: "enterprise" });
    userId = (await store.users.create({ email: "shared@example.com", name: "S", teamId: team.id })).id;
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL,
      SNODUS_REDIS_PREFIX: freshPrefix(),
      ANTHROPIC_API_KEY: "sk-ant-test",
      ANTHROPIC_UPSTREAM_URL: mock.url,
      SNODUS_FEATURES_SIGNUP: "true",
      ADMIN_PASSWORD: "shared-admin-password",
    };
    [a, b] = await Promise.all([spawnServe(env), spawnServe(env)]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await store.close();
    await mock.stop();
    await db.drop();
  });

  test("signups and failed admin logins per address are counted across both instances", async () => {
    const signup = (url: string, i: number) =>
      fetch(`${url}/signup`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          email: `s${i}-${Date.now()}@shared.example`,
          name: "S",
          company: `Shared ${i} ${Date.now()}`,
        }),
      }).then((r) => r.status);
    const signups: number[] = [];
    for (let i = 0; i < SIGNUPS_PER_HOUR + 2; i++) signups.push(await signup(i % 2 ? a.url : b.url, i));
    expect(signups).toEqual([...Array(SIGNUPS_PER_HOUR).fill(201), 429, 429]);

    const login = (url: string, password: string) =>
      fetch(`${url}/admin/plans`, {
        headers: { authorization: `Basic ${btoa(`admin:${password}`)}` },
      }).then((r) => r.status);
    const failures: number[] = [];
    for (let i = 0; i < LOGIN_FAILURES; i++) failures.push(await login(i % 2 ? a.url : b.url, "wrong"));
    expect(failures.every((s) => s === 401)).toBe(true);
    // The next try is refused on either instance, even with the right password.
    expect(await login(a.url, "shared-admin-password")).toBe(429);
    expect(await login(b.url, "shared-admin-password")).toBe(429);
  });

  test("limit 10/min, 30 requests spread across both → exactly 10 succeed", async () => {
    const { secret } = await createKey(store, { userId, name: "rl", rateLimit: 10 });
    const statuses = await Promise.all(
      Array.from({ length: 30 }, (_, i) => post(i % 2 ? a.url : b.url, secret)),
    );
    expect(statuses.filter((s) => s === 200).length).toBe(10);
    expect(statuses.filter((s) => s === 429).length).toBe(20);
  });

  test("200 concurrent requests across both against a budget covering 20 → at most 20 reach the upstream", async () => {
    const budgetCents = Math.floor((20 * 15_030) / 10_000) + 1;
    const { key, secret } = await createKey(store, {
      userId,
      name: "budget",
      rateLimit: 100_000,
      budgetMonthlyCents: budgetCents,
    });
    const before = mock.calls.length;
    const usage = { input_tokens: 10, output_tokens: 1000 };
    const statuses = await Promise.all(
      Array.from({ length: 200 }, (_, i) => post(i % 2 ? a.url : b.url, secret, { usage, latencyMs: 20 })),
    );
    const ok = statuses.filter((s) => s === 200).length;
    expect(ok).toBeGreaterThan(0);
    expect(ok).toBeLessThanOrEqual(20);
    expect(mock.calls.length - before).toBe(ok);
    expect(statuses.every((s) => s === 200 || s === 402)).toBe(true);
    await eventually(async () => (await store.spend.count()) >= ok);
    const rows = (await store.spend.recent(1000)).filter((r) => r.apiKeyId === key.id);
    expect(rows.reduce((s, r) => s + r.costMicros, 0)).toBeLessThanOrEqual(budgetCents * 10_000);
  });

  test("a key revoked with the CLI stops working on both instances within 1 second", async () => {
    const { key, secret } = await createKey(store, { userId, name: "revoke", rateLimit: 1000 });
    expect(await post(a.url, secret)).toBe(200);
    expect(await post(b.url, secret)).toBe(200);
    const revoked = await runSnodus(["keys", "revoke", "--id", key.id], { DATABASE_URL: db.url });
    expect(revoked.code).toBe(0);
    const t0 = Date.now();
    await eventually(
      async () => (await post(a.url, secret)) === 403 && (await post(b.url, secret)) === 403,
      2000,
    );
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});

test("Redis stopped mid-run: requests keep succeeding, /health says degraded; back → shared limits resume", async () => {
  const redis = await startPrivateRedis();
  const gw = await startTestGateway("sqlite", { REDIS_URL: redis.url, SNODUS_REDIS_PREFIX: freshPrefix() });
  try {
    const { secret } = await gw.newKey({ rateLimit: 1000 });
    expect(await post(gw.url, secret)).toBe(200);
    expect((await (await fetch(`${gw.url}/health`)).json()).redis).toBe("ok");

    await redis.stop();
    for (let i = 0; i < 5; i++) expect(await post(gw.url, secret)).toBe(200);
    const degraded = await fetch(`${gw.url}/health`);
    expect(degraded.status).toBe(200);
    const health = await degraded.json();
    expect(health.status).toBe("degraded");
    expect(health.redis).toStartWith("degraded");

    await redis.start();
    await eventually(async () => (await (await fetch(`${gw.url}/health`)).json()).redis === "ok", 10_000);
    // Shared state again: a 2/min key is limited through Redis (the 3rd request is refused).
    const { secret: tight } = await gw.newKey({ rateLimit: 2 });
    expect([await post(gw.url, tight), await post(gw.url, tight), await post(gw.url, tight)]).toEqual([
      200, 200, 429,
    ]);
    const keys = Bun.spawnSync([
      "redis-cli",
      "-p",
      String(redis.port),
      "--scan",
      "--pattern",
      "snodus-test-*:rl:*",
    ]);
    expect(keys.stdout.toString().trim().length).toBeGreaterThan(0);
  } finally {
    await gw.close();
    await redis.stop();
  }
}, 30_000);
