// Admission reserves the real worst case: the model's maximum output when none is named, nothing for local models.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startTestGateway, type TestGateway } from "../helpers/gateway.ts";
import { mockHeader } from "../mock-upstream/index.ts";

describe("admission", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway("sqlite", {}, { allProviders: true });
    gw.mock.setDefault({ ollamaModels: ["llama3.2:latest"] });
    await gw.server.gateway.providers.refreshOllama();
  });
  afterAll(() => gw.close());

  test("requests without max_tokens cannot overrun a budget: four concurrent ones on a budget that fits one", async () => {
    const { key, secret } = await gw.newKey({ budgetMonthlyCents: 30, rateLimit: 1000 });
    // gpt-4.1 may write 32 768 tokens at $8/MTok ≈ $0.26: one reservation fits in $0.30, two do not.
    const send = () =>
      fetch(`${gw.url}/v1/chat/completions`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${secret}`,
          "content-type": "application/json",
          "x-mock": mockHeader({ latencyMs: 300, usage: { input_tokens: 10, output_tokens: 30_000 } }),
        },
        body: JSON.stringify({ model: "gpt-4.1", messages: [{ role: "user", content: "write a lot" }] }),
      });
    const results = await Promise.all([send(), send(), send(), send()]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 402, 402, 402]);
    const spent = (await gw.spendRows())
      .filter((r) => r.apiKeyId === key.id)
      .reduce((sum, r) => sum + r.costMicros, 0);
    expect(spent).toBeLessThanOrEqual(30 * 10_000);
    expect(spent).toBeGreaterThan(0);
  });

  test("local models are free at admission too: a huge max_tokens on a small budget is admitted and costs 0", async () => {
    const { key, secret } = await gw.newKey({ budgetMonthlyCents: 50 });
    const res = await fetch(`${gw.url}/v1/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
      body: JSON.stringify({
        model: "llama3.2:latest",
        max_tokens: 64_000,
        messages: [{ role: "user", content: "hi" }],
      }),
    });
    expect(res.status).toBe(200);
    const rows = (await gw.spendRows()).filter((r) => r.apiKeyId === key.id);
    expect(rows.map((r) => [r.provider, r.costMicros])).toEqual([["ollama", 0]]);
  });

  test("401/402/403 tell clients not to retry; 429 keeps its retry hints", async () => {
    const bad = await fetch(`${gw.url}/v1/messages`, {
      method: "POST",
      headers: { authorization: "Bearer sk-not-a-real-key-000000000000", "content-type": "application/json" },
      body: "{}",
    });
    expect(bad.status).toBe(401);
    expect(bad.headers.get("x-should-retry")).toBe("false");

    const broke = await gw.newKey({ budgetMonthlyCents: 0 });
    const spent = await fetch(`${gw.url}/v1/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${broke.secret}`, "content-type": "application/json" },
      body: JSON.stringify({
        model: "claude-haiku-4-5",
        max_tokens: 10,
        messages: [{ role: "user", content: "x" }],
      }),
    });
    expect(spent.status).toBe(402);
    expect(spent.headers.get("x-should-retry")).toBe("false");

    const slow = await gw.newKey({ rateLimit: 1 });
    const once = () =>
      fetch(`${gw.url}/v1/messages`, {
        method: "POST",
        headers: { authorization: `Bearer ${slow.secret}`, "content-type": "application/json" },
        body: JSON.stringify({
          model: "claude-haiku-4-5",
          max_tokens: 10,
          messages: [{ role: "user", content: "x" }],
        }),
      });
    expect((await once()).status).toBe(200);
    const limited = await once();
    expect(limited.status).toBe(429);
    expect(limited.headers.get("x-should-retry")).toBeNull();
    expect(limited.headers.get("retry-after")).not.toBeNull();
  });
});
