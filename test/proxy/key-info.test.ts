// GET /v1/key: the key's own limits and usage this month, on both dialects and with limits in Redis.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createKey } from "../../src/modules/keys/service.ts";
import { DIALECTS } from "../helpers/databases.ts";
import { eventually, startTestGateway, type TestGateway } from "../helpers/gateway.ts";
import { freshPrefix, REDIS_URL } from "../helpers/redis.ts";
import { mockHeader } from "../mock-upstream/index.ts";

const SETUPS = [
  ...DIALECTS.map((d) => ({ name: d, dialect: d, env: {} as Record<string, string> })),
  {
    name: "postgres + redis",
    dialect: "postgres" as const,
    env: { REDIS_URL, SNODUS_REDIS_PREFIX: freshPrefix() },
  },
];

for (const setup of SETUPS) {
  describe(`GET /v1/key on ${setup.name}`, () => {
    let gw: TestGateway;
    beforeAll(async () => {
      gw = await startTestGateway(setup.dialect, { SNODUS_FEATURES_PLANS: "true", ...setup.env });
      await gw.server.store.teams.update(gw.team.id, { budgetMonthlyCents: 10_000, plan: "pro" });
      gw.server.gateway.keys.invalidateAll();
    });
    afterAll(async () => gw.close());

    const info = async (secret: string) => {
      const res = await fetch(`${gw.url}/v1/key`, { headers: { authorization: `Bearer ${secret}` } });
      return { status: res.status, json: await res.json() };
    };

    test("OpenRouter's fields and Snodus' own, after two requests", async () => {
      const { key, secret } = await createKey(gw.server.store, {
        userId: gw.user.id,
        name: "self-service",
        rateLimit: 10,
        budgetMonthlyCents: 500,
        maxConcurrent: 2,
        allowedModels: ["claude-*"],
      });
      for (let i = 0; i < 2; i++) {
        const res = await fetch(`${gw.url}/v1/messages`, {
          method: "POST",
          headers: {
            authorization: `Bearer ${secret}`,
            "content-type": "application/json",
            "x-mock": mockHeader({ usage: { input_tokens: 100, output_tokens: 50 } }),
          },
          body: JSON.stringify({
            model: "claude-haiku-4-5",
            max_tokens: 100,
            messages: [{ role: "user", content: "hi" }],
          }),
        });
        expect(res.status).toBe(200);
        await res.arrayBuffer();
      }
      const rows = (await gw.spendRows()).filter((r) => r.apiKeyId === key.id);
      const cost = rows.reduce((s, r) => s + r.costMicros, 0);
      expect(cost).toBeGreaterThan(0);
      // Settlement reaches the limit store just after the answer.
      await eventually(async () => (await info(secret)).json.data.tokens === 300);
      const { status, json } = await info(secret);
      expect(status).toBe(200);
      expect(json.data).toMatchObject({
        label: "self-service",
        usage: cost / 1_000_000,
        limit: 5,
        limit_remaining: (5_000_000 - cost) / 1_000_000,
        is_free_tier: false,
        rate_limit: { requests: 10, interval: "1m" },
        id: key.id,
        key_prefix: key.keyPrefix,
        status: "active",
        team_id: gw.team.id,
        spend_micros: cost,
        tokens: 300,
        budget: { monthly_cents: 500, remaining_micros: 5_000_000 - cost },
        rate_limit_state: { limit: 10 },
        concurrency: { max_concurrent: 2, in_flight: 0 },
        allowed_models: { key: ["claude-*"], team: null },
        plan: { id: "pro", enforced: true, tokens_per_month: 5_000_000 },
      });
      // Two of ten requests spent; the GET itself spends none of the allowance.
      expect(json.data.rate_limit_state.remaining).toBe(8);
      expect((await info(secret)).json.data.rate_limit_state.remaining).toBe(8);
      expect(json.data.team.budget_monthly_cents).toBe(10_000);
      expect(json.data.plan.tokens_used).toBeGreaterThanOrEqual(300);
      expect(json.data.period.month).toMatch(/^\d{4}-\d{2}$/);
      expect(JSON.stringify(json)).not.toContain(secret);
    });

    test("a key without a budget reports the team's as its limit; a missing or bad key is a 401", async () => {
      const { secret } = await createKey(gw.server.store, { userId: gw.user.id, name: "no-budget" });
      const { json } = await info(secret);
      expect(json.data.limit).toBe(100);
      expect(json.data.budget.remaining_micros).toBeNull();
      expect(json.data.concurrency).toEqual({ max_concurrent: null, in_flight: 0 });
      expect((await fetch(`${gw.url}/v1/key`)).status).toBe(401);
      expect((await info("sk-not-a-real-key-000000000000000000000000000")).status).toBe(401);
    });
  });
}
