// Seeded fuzz of the routes that parse client input (/v1/messages, /v1/chat/completions, /admin/keys,
// /signup): 5,000+ hostile requests, in-process against the mock upstream, and not one 5xx of our own.
// SNODUS_FUZZ_SEED=<n> replays or explores another seed; a failure prints the seed and the inputs.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createLogger } from "../../src/log.ts";
import { ADMIN_PASSWORD, BASIC } from "../admin/fixture.ts";
import { startTestGateway, type TestGateway } from "../helpers/gateway.ts";
import { mutate, type Rng, rng, weird } from "./generate.ts";

const SEED = Number(process.env.SNODUS_FUZZ_SEED ?? 20261201);
const CASES = { messages: 1_600, chat: 1_400, keys: 1_200, signup: 800 };

interface Failure {
  route: string;
  status: number;
  body: string;
  input: string;
  cause?: string;
}

const MESSAGE_MODELS = ["claude-sonnet-4-5", "claude-haiku-4-5", "gpt-4o-mini", "llama3.2:latest", "auto"];

function messagesBody(r: Rng): Record<string, unknown> {
  return {
    model: r.pick(MESSAGE_MODELS),
    max_tokens: 64,
    stream: r.chance(0.4),
    system: r.chance(0.5) ? "Be brief." : [{ type: "text", text: "Be brief." }],
    messages: [
      { role: "user", content: "Hello" },
      { role: "assistant", content: [{ type: "text", text: "Hi" }] },
      { role: "user", content: [{ type: "text", text: "More" }] },
    ],
    tools: [
      { name: "get_weather", description: "Weather", input_schema: { type: "object", properties: {} } },
    ],
    metadata: { user_id: "u1" },
  };
}
const MESSAGES_PATHS = [
  ["model"],
  ["max_tokens"],
  ["stream"],
  ["system"],
  ["system", "0"],
  ["system", "0", "text"],
  ["messages"],
  ["messages", "0"],
  ["messages", "0", "role"],
  ["messages", "0", "content"],
  ["messages", "1", "content", "0"],
  ["messages", "1", "content", "0", "type"],
  ["messages", "2", "content", "0", "text"],
  ["tools"],
  ["tools", "0"],
  ["tools", "0", "input_schema"],
  ["tool_choice"],
  ["temperature"],
  ["stop_sequences"],
  ["metadata"],
  ["thinking"],
];

function chatBody(r: Rng): Record<string, unknown> {
  return {
    model: r.pick(["gpt-4o-mini", "gpt-4.1"]),
    max_tokens: 64,
    stream: r.chance(0.4),
    messages: [
      { role: "system", content: "Be brief." },
      { role: "user", content: [{ type: "text", text: "Hello" }] },
    ],
    stream_options: { include_usage: true },
  };
}
const CHAT_PATHS = [
  ["model"],
  ["max_tokens"],
  ["max_completion_tokens"],
  ["stream"],
  ["stream_options"],
  ["stream_options", "include_usage"],
  ["messages"],
  ["messages", "0"],
  ["messages", "0", "content"],
  ["messages", "1", "role"],
  ["messages", "1", "content", "0"],
  ["n"],
  ["tools"],
];

const KEY_PATHS = [["user_id"], ["name"], ["rate_limit"], ["budget_monthly_cents"]];
const SIGNUP_PATHS = [["email"], ["name"], ["company"], ["plan"]];

/** Headers a client might send, mostly valid so the body gets all the way in. */
function v1Headers(r: Rng, secret: string): Record<string, string> {
  const h: Record<string, string> = { "content-type": "application/json" };
  const auth = r.int(20);
  if (auth === 0) return h;
  if (auth === 1) h.authorization = `Bearer ${String(r.pick(["", "sk-", "sk-x", "x".repeat(500)]))}`;
  else if (auth === 2) h["x-api-key"] = secret;
  else h.authorization = `Bearer ${secret}`;
  if (r.chance(0.2)) h["anthropic-version"] = r.pick(["2023-06-01", "", "garbage"]);
  if (r.chance(0.05)) h["content-type"] = r.pick(["text/plain", "application/x-www-form-urlencoded", ""]);
  return h;
}

describe(`fuzz of client input (seed ${SEED})`, () => {
  let gw: TestGateway;
  const clock = { now: Date.parse("2026-12-01T12:00:00Z") };
  const failures: Failure[] = [];
  /** The gateway's own error lines (an unhandled error names its cause), matched to failures by request id. */
  const logged: string[] = [];
  /** Status counts per route, printed at the end: a fuzz that only ever gets 401s tests nothing. */
  const statuses: Record<string, Record<number, number>> = {};
  let keyId = "";

  beforeAll(async () => {
    gw = await startTestGateway(
      "postgres",
      { SNODUS_FEATURES_SIGNUP: "true", SNODUS_ROUTER_ENABLED: "true", ADMIN_PASSWORD },
      {
        allProviders: true,
        now: () => clock.now,
        log: createLogger("error", (line) => logged.push(line)),
      },
    );
    keyId = gw.key.id;
  });
  afterAll(async () => {
    console.error(`seed ${SEED}: statuses`, JSON.stringify(statuses));
    await gw.close();
  });

  async function send(
    route: string,
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: Uint8Array<ArrayBuffer>,
  ) {
    const res = await gw.server.gateway.app.handle(
      new Request(`http://localhost${path}`, { method, headers, body }),
    );
    const text = await res.text();
    const seen = statuses[route] ?? {};
    statuses[route] = seen;
    seen[res.status] = (seen[res.status] ?? 0) + 1;
    if (res.status >= 500) {
      const id = res.headers.get("x-snodus-request-id");
      failures.push({
        route,
        status: res.status,
        body: text.slice(0, 200),
        input: new TextDecoder().decode(body ?? new Uint8Array()).slice(0, 300),
        cause: id ? logged.find((l) => l.includes(id))?.slice(0, 300) : undefined,
      });
    }
    return res.status;
  }

  /** How many 5xx a route gave; prints up to five of them with their inputs and logged causes. */
  const report = (route: string) => {
    const mine = failures.filter((f) => f.route === route);
    if (mine.length)
      console.error(
        `seed ${SEED}: ${mine.length} 5xx on ${route}`,
        process.env.SNODUS_FUZZ_ALL ? mine : mine.slice(0, 5),
      );
    return mine.length;
  };

  test(`/v1/messages: ${CASES.messages} hostile bodies, no gateway 5xx`, async () => {
    const r = rng(SEED);
    for (let i = 0; i < CASES.messages; i++) {
      const body = mutate(r, messagesBody(r), MESSAGES_PATHS);
      await send("/v1/messages", "POST", "/v1/messages", v1Headers(r, gw.secret), body);
    }
    expect(report("/v1/messages")).toBe(0);
  });

  test(`/v1/chat/completions: ${CASES.chat} hostile bodies, no gateway 5xx`, async () => {
    const r = rng(SEED + 1);
    for (let i = 0; i < CASES.chat; i++) {
      const body = mutate(r, chatBody(r), CHAT_PATHS);
      await send("/v1/chat/completions", "POST", "/v1/chat/completions", v1Headers(r, gw.secret), body);
    }
    expect(report("/v1/chat/completions")).toBe(0);
  });

  test(`/admin/keys: ${CASES.keys} hostile creates and updates, no 5xx`, async () => {
    const r = rng(SEED + 2);
    const headers = { "content-type": "application/json", authorization: BASIC };
    for (let i = 0; i < CASES.keys; i++) {
      const valid = { user_id: gw.user.id, name: `k${i}`, rate_limit: 60, budget_monthly_cents: 500 };
      const body = mutate(r, valid, KEY_PATHS);
      if (r.chance(0.6)) await send("/admin/keys", "POST", "/admin/keys", headers, body);
      else {
        const { user_id: _, ...patch } = valid;
        await send(
          "/admin/keys",
          "PATCH",
          `/admin/keys/${keyId}`,
          headers,
          mutate(r, patch, KEY_PATHS.slice(1)),
        );
      }
    }
    expect(report("/admin/keys")).toBe(0);
  });

  test(`/signup: ${CASES.signup} hostile signups, no 5xx`, async () => {
    const r = rng(SEED + 3);
    for (let i = 0; i < CASES.signup; i++) {
      // A fresh hour for every attempt, so the per-address limit does not hide the body's handling.
      clock.now += 13 * 60_000;
      const valid = {
        email: `f${i}-${SEED}@example.com`,
        name: "Fuzz",
        company: `Fuzz ${SEED} ${i}`,
        plan: "free",
      };
      const body = mutate(r, valid, SIGNUP_PATHS);
      await send("/signup", "POST", "/signup", { "content-type": "application/json" }, body);
    }
    expect(report("/signup")).toBe(0);
  });

  // KNOWN GAP, left failing on purpose for the lead (issue 13 item 6): on the translated routes
  // (OpenAI and Ollama models behind /v1/messages) a `system` that is neither a string nor an array of
  // text blocks — a number, a boolean, an object — throws "X is not iterable" in
  // src/providers/translate/content.ts (systemPrompt → joinText) and becomes a 500. Every /v1/messages
  // 5xx the fuzz found on seeds 20261201, 1, 2 and 3 is this one input.
  for (const [model, system] of [
    ["gpt-4o-mini", 1],
    ["gpt-4o-mini", true],
    ["llama3.2:latest", { text: "x" }],
    ["llama3.2:latest", false],
  ] as const)
    test(`translated /v1/messages (${model}) with system ${JSON.stringify(system)} → 400, not 500`, async () => {
      const body = { model, max_tokens: 16, system, messages: [{ role: "user", content: "Hi" }] };
      const res = await gw.server.gateway.app.handle(
        new Request("http://localhost/v1/messages", {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${gw.secret}` },
          body: JSON.stringify(body),
        }),
      );
      expect(res.status).toBe(400);
      expect((await res.json()).type).toBe("error");
    });

  test("the generators are what they claim: seeded and hostile", () => {
    const a = rng(7);
    const b = rng(7);
    const xs = Array.from({ length: 50 }, () => JSON.stringify(weird(a)));
    expect(Array.from({ length: 50 }, () => JSON.stringify(weird(b)))).toEqual(xs);
    expect(new Set(xs).size).toBeGreaterThan(10);
  });
});
