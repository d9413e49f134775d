// Budgets and rate limits hold on the new doors: 100 concurrent requests per door on a budget that covers 10.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eventually, startTestGateway, type TestGateway } from "../helpers/gateway.ts";
import { mockHeader } from "../mock-upstream/index.ts";

// Every request names its cap (1000 out) and spends exactly it: on claude-sonnet-4-5 10 × $3 + 1000 × $15
// per MTok = 15 030 µ$, so 16 cents of budget covers 10 of them.
const USAGE = { input_tokens: 10, output_tokens: 1000 };
const DOORS = [
  {
    path: "/v1/chat/completions",
    body: { model: "claude-sonnet-4-5", max_tokens: 1000, messages: [{ role: "user", content: "x" }] },
  },
  {
    path: "/v1/responses",
    body: { model: "claude-sonnet-4-5", max_output_tokens: 1000, input: "x", stream: true },
  },
] as const;

describe("limits on the OpenAI-speaking doors", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway("sqlite", {}, { allProviders: true });
  });
  afterAll(() => gw.close());

  for (const door of DOORS) {
    test(`${door.path}: 100 concurrent on a budget for 10 → at most 10 reach the upstream, spend ≤ budget`, async () => {
      const budgetCents = Math.floor((10 * 15_030) / 10_000) + 1;
      const { key, secret } = await gw.newKey({ budgetMonthlyCents: budgetCents, rateLimit: 10_000 });
      // Only the Anthropic upstream counts (Ollama's model discovery polls the same mock).
      const upstreamCalls = () => gw.mock.calls.filter((c) => c.path === "/v1/messages").length;
      const before = upstreamCalls();
      const statuses = await Promise.all(
        Array.from({ length: 100 }, () =>
          fetch(`${gw.url}${door.path}`, {
            method: "POST",
            headers: {
              authorization: `Bearer ${secret}`,
              "content-type": "application/json",
              "x-mock": mockHeader({ usage: USAGE, latencyMs: 20 }),
            },
            body: JSON.stringify(door.body),
          }).then(async (r) => {
            await r.arrayBuffer();
            return r.status;
          }),
        ),
      );
      const ok = statuses.filter((s) => s === 200).length;
      expect(ok).toBeGreaterThan(0);
      expect(ok).toBeLessThanOrEqual(10);
      expect(statuses.filter((s) => s !== 200).every((s) => s === 402)).toBe(true);
      expect(upstreamCalls() - before).toBe(ok);
      const rows = (await gw.spendRows()).filter((r) => r.apiKeyId === key.id);
      expect(rows).toHaveLength(ok);
      for (const row of rows) expect(row.costMicros).toBe(15_030);
      expect(rows.reduce((s, r) => s + r.costMicros, 0)).toBeLessThanOrEqual(budgetCents * 10_000);
      await eventually(() => gw.server.gateway.limitStore.outstanding() === 0);
    });

    test(`${door.path}: the rate limit answers 429 in OpenAI's shape with retry_after`, async () => {
      const { secret } = await gw.newKey({ rateLimit: 2 });
      const send = () =>
        fetch(`${gw.url}${door.path}`, {
          method: "POST",
          headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
          body: JSON.stringify(door.body),
        });
      for (let i = 0; i < 2; i++) {
        const res = await send();
        await res.arrayBuffer();
        expect(res.status).toBe(200);
      }
      const limited = await send();
      expect(limited.status).toBe(429);
      const body = await limited.json();
      expect(body.error.type).toBe("rate_limit_exceeded");
      expect(body.error.retry_after).toBeGreaterThan(0);
      expect(limited.headers.get("retry-after")).not.toBeNull();
    });
  }
});
