// max_concurrent: requests in flight per key, exact across two gateway processes on one Redis, freed on every end.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createKey } from "../../src/modules/keys/service.ts";
import { openStore } from "../../src/store/open.ts";
import type { Store } from "../../src/store/types.ts";
import { freshDatabase, type TestDatabase } from "../helpers/databases.ts";
import { eventually, startTestGateway, type TestGateway } from "../helpers/gateway.ts";
import { type ServeProcess, spawnServe } from "../helpers/process.ts";
import { freshPrefix, REDIS_URL } from "../helpers/redis.ts";
import { type MockUpstream, mockHeader, startMockUpstream } from "../mock-upstream/index.ts";

function send(url: string, secret: string, mock: Record<string, unknown> = {}, path = "/v1/messages") {
  return fetch(`${url}${path}`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${secret}`,
      "content-type": "application/json",
      "anthropic-version": "2023-06-01",
      "x-mock": mockHeader(mock),
    },
    body: JSON.stringify({
      model: "claude-haiku-4-5",
      max_tokens: 10,
      messages: [{ role: "user", content: "hi" }],
    }),
  });
}
const status = (r: Promise<Response>) =>
  r.then(async (res) => {
    await res.arrayBuffer();
    return res.status;
  });

describe("max_concurrent across two gateway processes on one Postgres and one Redis", () => {
  let db: TestDatabase;
  let mock: MockUpstream;
  let store: Store;
  let a: ServeProcess;
  let b: ServeProcess;
  let env: Record<string, string>;
  let userId: string;

  beforeAll(async () => {
    db = await freshDatabase("postgres");
    mock = await startMockUpstream();
    store = await openStore(db.location);
    const team = await store.teams.create({ name: "Concurrent", plan: "enterprise" });
    userId = (await store.users.create({ email: "c@example.com", name: "C", teamId: team.id })).id;
    env = {
      DATABASE_URL: db.url,
      REDIS_URL,
      SNODUS_REDIS_PREFIX: freshPrefix(),
      ANTHROPIC_API_KEY: "sk-ant-test",
      ANTHROPIC_UPSTREAM_URL: mock.url,
    };
    [a, b] = await Promise.all([spawnServe(env), spawnServe(env)]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await store.close();
    await mock.stop();
    await db.drop();
  });

  test("10 slow requests over both instances on a cap of 3: exactly 3 get in, 7 get 429 with retry_after", async () => {
    const { secret } = await createKey(store, { userId, name: "cap3", rateLimit: 10_000, maxConcurrent: 3 });
    // Slow enough that all ten are admitted while the first three are still upstream.
    const replies = await Promise.all(
      Array.from({ length: 10 }, (_, i) => send(i % 2 ? a.url : b.url, secret, { latencyMs: 4000 })),
    );
    const refused = replies.filter((r) => r.status === 429);
    expect(replies.filter((r) => r.status === 200)).toHaveLength(3);
    expect(refused).toHaveLength(7);
    for (const r of refused) {
      expect(r.headers.get("retry-after")).toBe("1");
      const body = await r.json();
      expect(body.error.type).toBe("rate_limit_error");
      expect(body.retry_after).toBe(1);
      expect(body.error.message).toContain("Concurrency limit of 3 requests in flight");
    }
    for (const r of replies) if (r.status === 200) await r.arrayBuffer();
    // Every slot was given back: three more fit at once, on either instance.
    const again = await Promise.all([a.url, b.url, a.url].map((u) => status(send(u, secret))));
    expect(again).toEqual([200, 200, 200]);
  });

  test("a gateway killed with requests in flight does not hold the key's slots beyond its liveness TTL", async () => {
    const { secret } = await createKey(store, { userId, name: "cap1", rateLimit: 10_000, maxConcurrent: 1 });
    const c = await spawnServe(env);
    const stuck = send(c.url, secret, { latencyMs: 60_000 }).catch(() => null);
    // Probe only once c has admitted the slow request and sent it upstream: a probe on a racing it
    // for the one slot could otherwise win, turn the slow request away, and never see a 429.
    await eventually(() => mock.calls.some((call) => call.headers["x-mock"]?.includes("60000")), 10_000);
    expect(await status(send(a.url, secret))).toBe(429);
    c.proc.kill("SIGKILL");
    await c.proc.exited;
    await stuck;
    // The dead instance's liveness key expires within 5 s; its slot stops counting then.
    await eventually(async () => (await status(send(a.url, secret))) === 200, 15_000);
  });
});

describe("max_concurrent in one process", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway("sqlite", {}, { allProviders: true });
  });
  afterAll(async () => gw.close());

  test("a stream holds its slot until it ends; the 429 is in the door's protocol", async () => {
    const { key, secret } = await createKey(gw.server.store, {
      userId: gw.user.id,
      name: "stream",
      rateLimit: 10_000,
      maxConcurrent: 1,
    });
    const res = await fetch(`${gw.url}/v1/messages`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${secret}`,
        "content-type": "application/json",
        "x-mock": mockHeader({ chunkDelayMs: 300 }),
      },
      body: JSON.stringify({
        model: "claude-haiku-4-5",
        max_tokens: 10,
        stream: true,
        messages: [{ role: "user", content: "hi" }],
      }),
    });
    expect(res.status).toBe(200);
    const chat = await send(gw.url, secret, {}, "/v1/chat/completions");
    expect(chat.status).toBe(429);
    expect((await chat.json()).error).toMatchObject({ code: "concurrency_limit_exceeded", retry_after: 1 });
    await res.text();
    await eventually(async () => (await gw.server.gateway.limits.inFlight(key.id)) === 0);
    expect(await status(send(gw.url, secret))).toBe(200);
  });

  test("a refused request (budget, disallowed model) and a failed upstream leave no slot behind", async () => {
    const { key, secret } = await createKey(gw.server.store, {
      userId: gw.user.id,
      name: "refusals",
      rateLimit: 10_000,
      maxConcurrent: 1,
      budgetMonthlyCents: 0,
      allowedModels: ["claude-haiku-4-5"],
    });
    expect(await status(send(gw.url, secret))).toBe(402);
    const res = await fetch(`${gw.url}/v1/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
      body: JSON.stringify({
        model: "claude-opus-4-5",
        max_tokens: 10,
        messages: [{ role: "user", content: "x" }],
      }),
    });
    expect(res.status).toBe(403);
    expect(await gw.server.gateway.limits.inFlight(key.id)).toBe(0);
    const free = await createKey(gw.server.store, { userId: gw.user.id, name: "fail", maxConcurrent: 1 });
    expect(await status(send(gw.url, free.secret, { status: 500 }))).toBe(500);
    expect(await gw.server.gateway.limits.inFlight(free.key.id)).toBe(0);
  });
});
