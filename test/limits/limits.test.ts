// Rate limits, budgets and plan quotas through a running gateway, with the clock controlled by the test.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { DIALECTS } from "../helpers/databases.ts";
import { eventually, startTestGateway, type TestGateway } from "../helpers/gateway.ts";
import { rejection } from "../helpers/rejection.ts";
import { mockHeader } from "../mock-upstream/index.ts";

const NOV = Date.parse("2026-11-15T12:00:00Z");

function post(
  gw: TestGateway,
  secret: string,
  body: Record<string, unknown> = {},
  mock: Record<string, unknown> = {},
) {
  return fetch(`${gw.url}/v1/messages`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${secret}`,
      "content-type": "application/json",
      "anthropic-version": "2023-06-01",
      "x-mock": mockHeader(mock),
    },
    body: JSON.stringify({
      model: "claude-sonnet-4-5",
      max_tokens: 1000,
      messages: [{ role: "user", content: "hi" }],
      ...body,
    }),
  });
}

for (const dialect of DIALECTS) {
  describe(`limits on ${dialect}`, () => {
    let gw: TestGateway;
    let clock = NOV;

    beforeAll(async () => {
      gw = await startTestGateway(dialect, { SNODUS_FEATURES_PLANS: "true" }, { now: () => clock });
    });
    afterAll(async () => gw.close());

    test("rate limit 5/min: 1–5 pass with falling remaining, the 6th gets 429 and never reaches the upstream", async () => {
      clock = NOV;
      const { secret } = await gw.newKey({ rateLimit: 5 });
      const remaining: string[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await post(gw, secret);
        expect(res.status).toBe(200);
        expect(res.headers.get("x-ratelimit-limit")).toBe("5");
        remaining.push(res.headers.get("x-ratelimit-remaining") ?? "");
        await res.arrayBuffer();
      }
      expect(remaining).toEqual(["4", "3", "2", "1", "0"]);
      const upstreamCalls = gw.mock.calls.length;
      const refused = await post(gw, secret);
      expect(refused.status).toBe(429);
      expect(refused.headers.get("retry-after")).toBe("12");
      expect(refused.headers.get("x-ratelimit-remaining")).toBe("0");
      const body = await refused.json();
      expect(body).toMatchObject({ type: "error", error: { type: "rate_limit_error" }, retry_after: 12 });
      expect(gw.mock.calls.length).toBe(upstreamCalls);
      clock = NOV + 60_000;
      const again = await post(gw, secret);
      expect(again.status).toBe(200);
      await again.arrayBuffer();
    });

    test("200 concurrent requests against a budget that covers 20: at most 20 reach the upstream, spend ≤ budget", async () => {
      clock = NOV;
      // Each request really costs 1000 out × $15 + 10 in × $3 = 15 030 µ$; the budget covers 20 of them.
      const budgetCents = Math.floor((20 * 15_030) / 10_000) + 1; // 31 cents = 310 000 µ$
      const { key, secret } = await gw.newKey({ budgetMonthlyCents: budgetCents, rateLimit: 10_000 });
      const callsBefore = gw.mock.calls.length;
      const usage = { input_tokens: 10, output_tokens: 1000 };
      const statuses = await Promise.all(
        Array.from({ length: 200 }, () =>
          post(gw, secret, {}, { usage, latencyMs: 20 }).then(async (r) => {
            await r.arrayBuffer();
            return r.status;
          }),
        ),
      );
      const ok = statuses.filter((s) => s === 200).length;
      expect(ok).toBeGreaterThan(0);
      expect(ok).toBeLessThanOrEqual(20);
      expect(statuses.filter((s) => s !== 200).every((s) => s === 402)).toBe(true);
      expect(gw.mock.calls.length - callsBefore).toBe(ok);
      const rows = (await gw.spendRows()).filter((r) => r.apiKeyId === key.id);
      expect(rows.length).toBe(ok);
      const spent = rows.reduce((s, r) => s + r.costMicros, 0);
      expect(spent).toBeLessThanOrEqual(budgetCents * 10_000);
      await eventually(() => gw.server.gateway.limitStore.outstanding() === 0);
      const refused = await post(gw, secret, {}, { usage });
      expect(refused.status).toBe(402);
      const err = await refused.json();
      expect(err.error.type).toBe("billing_error");
      expect(err.error.message).toContain("API key budget");
      expect(err.error.message).toContain("of $0.31");
    });

    test("reservations return to zero after upstream 500s, timeouts and client cancels; no phantom 402", async () => {
      clock = NOV;
      const { secret } = await gw.newKey({ budgetMonthlyCents: 100 });
      const jobs: Promise<unknown>[] = [];
      for (let i = 0; i < 10; i++) {
        jobs.push(post(gw, secret, {}, { status: 500 }).then((r) => r.arrayBuffer()));
        jobs.push(post(gw, secret, {}, { status: 529 }).then((r) => r.arrayBuffer()));
        const controller = new AbortController();
        jobs.push(
          fetch(`${gw.url}/v1/messages`, {
            method: "POST",
            signal: controller.signal,
            headers: {
              authorization: `Bearer ${secret}`,
              "content-type": "application/json",
              "anthropic-version": "2023-06-01",
              "x-mock": mockHeader({ chunkDelayMs: 20 }),
            },
            body: JSON.stringify({
              model: "claude-sonnet-4-5",
              max_tokens: 100,
              stream: true,
              messages: [{ role: "user", content: "x" }],
            }),
          })
            .then(async (r) => {
              const reader = r.body?.getReader();
              await reader?.read();
              controller.abort();
            })
            .catch(() => {}),
        );
      }
      await Promise.all(jobs);
      await eventually(
        () => gw.server.gateway.limitStore.outstanding() === 0 && gw.server.gateway.inflight.count === 0,
      );
      // $1 of budget with about nothing spent: small requests must still pass.
      const res = await post(gw, secret, { max_tokens: 100 });
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    });

    test("team budget 402 while the key itself has budget left; month rollover resets spend exactly once", async () => {
      clock = NOV;
      const store = gw.server.store;
      const team = await store.teams.create({
        name: `Budget team ${dialect}`,
        budgetMonthlyCents: 2,
        plan: "enterprise",
      });
      const user = await store.users.create({
        email: `b-${dialect}@example.com`,
        name: "B",
        teamId: team.id,
      });
      const { createKey } = await import("../../src/modules/keys/service.ts");
      const { secret } = await createKey(store, { userId: user.id, name: "k", budgetMonthlyCents: 100_000 });
      const usage = { input_tokens: 10, output_tokens: 1000 }; // 15 030 µ$ — the team's 20 000 µ$ covers one
      const first = await post(gw, secret, { max_tokens: 1000 }, { usage });
      expect(first.status).toBe(200);
      await first.arrayBuffer();
      await gw.spendRows();
      const second = await post(gw, secret, { max_tokens: 1000 }, { usage });
      expect(second.status).toBe(402);
      expect((await second.json()).error.message).toContain("team budget");
      clock = Date.parse("2026-12-01T00:00:01Z");
      const december = await post(gw, secret, { max_tokens: 1000 }, { usage });
      expect(december.status).toBe(200);
      await december.arrayBuffer();
      await gw.spendRows();
      const again = await post(gw, secret, { max_tokens: 1000 }, { usage });
      expect(again.status).toBe(402);
      clock = NOV;
    });

    test("plan caps: the Free plan's token quota reached → 403 naming the plan", async () => {
      clock = NOV;
      const store = gw.server.store;
      const team = await store.teams.create({ name: `Free team ${dialect}`, plan: "free" });
      const user = await store.users.create({
        email: `f-${dialect}@example.com`,
        name: "F",
        teamId: team.id,
      });
      const { createKey } = await import("../../src/modules/keys/service.ts");
      const { secret } = await createKey(store, { userId: user.id, name: "k", enforcePlan: true });
      expect(
        String(await rejection(createKey(store, { userId: user.id, name: "second", enforcePlan: true }))),
      ).toContain("Plan Free allows 1 active key(s)");
      const big = await post(
        gw,
        secret,
        { max_tokens: 100 },
        { usage: { input_tokens: 60_000, output_tokens: 40_000 } },
      );
      expect(big.status).toBe(200);
      await big.arrayBuffer();
      await gw.spendRows();
      await eventually(
        async () => (await gw.server.gateway.limitStore.usage("team", team.id, "2026-11")).tokens === 100_000,
      );
      const over = await post(gw, secret, { max_tokens: 100 });
      expect(over.status).toBe(403);
      const body = await over.json();
      expect(body.error.type).toBe("permission_error");
      expect(body.error.message).toContain("Plan Free");
      expect(body.error.message).toContain("100,000");
    });
  });
}
