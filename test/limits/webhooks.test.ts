// Webhook alerts against a real local receiver: one POST per threshold, de-duplicated, signed, retried.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { signature } from "../../src/modules/alerts/delivery.ts";
import { eventually, startTestGateway, type TestGateway } from "../helpers/gateway.ts";
import { mockHeader } from "../mock-upstream/index.ts";

interface Received {
  headers: Record<string, string>;
  body: string;
}

const SECRET = "whsec-test-secret";
let gw: TestGateway;
let receiver: ReturnType<typeof Bun.serve>;
const received: Received[] = [];
let refusedFirst = false;

beforeAll(async () => {
  receiver = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(req) {
      const body = await req.text();
      // The very first delivery is refused once, to prove it is retried.
      if (!refusedFirst) {
        refusedFirst = true;
        return new Response("try later", { status: 503 });
      }
      received.push({ headers: Object.fromEntries(req.headers), body });
      return new Response("ok");
    },
  });
  gw = await startTestGateway("sqlite", {
    SNODUS_WEBHOOK_URL: `http://127.0.0.1:${receiver.port}/hooks`,
    SNODUS_WEBHOOK_SECRET: SECRET,
  });
});
afterAll(async () => {
  await gw.close();
  receiver.stop(true);
});

function post(secret: string, outputTokens: number) {
  return fetch(`${gw.url}/v1/messages`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${secret}`,
      "content-type": "application/json",
      "anthropic-version": "2023-06-01",
      "x-mock": mockHeader({ usage: { input_tokens: 10, output_tokens: outputTokens } }),
    },
    body: JSON.stringify({
      model: "claude-sonnet-4-5",
      max_tokens: 100,
      messages: [{ role: "user", content: "hi" }],
    }),
  }).then(async (r) => {
    await r.arrayBuffer();
    return r.status;
  });
}

test("70, 90 and 100 % of a key budget each alert once, signed; a rate limit hit alerts once per hour", async () => {
  // Budget 10 cents = 100 000 µ$; sonnet output is 15 µ$/token, input 3 µ$/token.
  const { key, secret } = await gw.newKey({ budgetMonthlyCents: 10, rateLimit: 1000 });
  expect(await post(secret, 5000)).toBe(200); // 75 030 µ$ → crosses 70 %
  await gw.spendRows();
  expect(await post(secret, 1000)).toBe(200); // 90 060 µ$ → crosses 90 %
  await gw.spendRows();
  expect(await post(secret, 1000)).toBe(200); // 105 090 µ$ → crosses 100 %
  await gw.spendRows();
  expect(await post(secret, 1000)).toBe(402);

  const { secret: tight } = await gw.newKey({ rateLimit: 1 });
  expect([await post(tight, 1), await post(tight, 1), await post(tight, 1)]).toEqual([200, 429, 429]);

  await eventually(() => received.length >= 4, 10_000);
  await gw.server.gateway.webhooks?.idle();
  const events = received.map((r) => ({ ...r, json: JSON.parse(r.body) }));
  const budget = events.filter((e) => e.json.type === "budget.threshold" && e.json.subject.id === key.id);
  expect(budget.map((e) => e.json.threshold_percent).sort()).toEqual([100, 70, 90]);
  expect(budget.find((e) => e.json.threshold_percent === 100)?.json).toMatchObject({
    subject: { kind: "key", id: key.id },
    budget_cents: 10,
    spent_micros: 105_090,
  });
  expect(events.filter((e) => e.json.type === "rate_limit.exceeded").length).toBe(1);
  expect(events.length).toBe(4);
  for (const e of events) {
    const ts = e.headers["x-snodus-timestamp"] ?? "";
    expect(e.headers["x-snodus-signature"]).toBe(signature(SECRET, ts, e.body));
    expect(e.body).not.toContain(secret);
  }
}, 30_000);
