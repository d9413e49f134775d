// SNODUS_ROUTER_METHOD=score through a running gateway: /v1/messages, headers, spend rows, stickiness.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { claudeCodeSizedBody } from "../helpers/claude-code-body.ts";
import { startTestGateway, type TestGateway } from "../helpers/gateway.ts";
import { mockHeader } from "../mock-upstream/index.ts";

function post(gw: TestGateway, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return fetch(`${gw.url}/v1/messages`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${gw.secret}`,
      "content-type": "application/json",
      "anthropic-version": "2023-06-01",
      ...headers,
    },
    body: JSON.stringify(body),
  });
}
const reasonOf = (res: Response) => decodeURIComponent(res.headers.get("x-snodus-routing-reason") ?? "");
const PROOF = {
  model: "auto",
  max_tokens: 1024,
  messages: [{ role: "user", content: "Prove that every planar graph is 5-colorable." }],
};

describe("SNODUS_ROUTER_METHOD=score", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway("sqlite", { SNODUS_ROUTER_ENABLED: "true", SNODUS_ROUTER_METHOD: "score" });
  });
  afterAll(async () => gw.close());

  test("a short but hard ask goes to the top tier, logged as routing_method='score' with its reason", async () => {
    const res = await post(gw, PROOF);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-snodus-routed-model")).toBe("claude-opus-4-5");
    expect(reasonOf(res)).toMatch(/^top tier: reasoning "prove" \(score /);
    expect(JSON.parse(gw.mock.calls.at(-1)?.bodyText ?? "{}").model).toBe("claude-opus-4-5");
    const row = (await gw.spendRows()).find((r) => r.requestId === res.headers.get("x-snodus-request-id"));
    expect(row).toMatchObject({ model: "claude-opus-4-5", routedFrom: "auto", routingMethod: "score" });
    expect(row?.routingReason).toBe(reasonOf(res));
  });

  test("a Claude Code-sized request is judged by its typed turn, not its system prompt or tools", async () => {
    const res = await post(gw, claudeCodeSizedBody("translate this to French: good morning"));
    expect(res.status).toBe(200);
    expect(res.headers.get("x-snodus-routed-model")).toBe("claude-haiku-4-5");
    const sql = await post(
      gw,
      claudeCodeSizedBody("Write a SQL query that returns the top 5 customers by total order value in 2024."),
    );
    expect(sql.headers.get("x-snodus-routed-model")).toBe("claude-sonnet-4-5");
  });

  test("Claude Code's session-title call goes cheap although the conversation it titles is about refactoring", async () => {
    const res = await post(gw, {
      model: "auto",
      max_tokens: 512,
      system: [
        {
          type: "text",
          text: "Generate a concise, sentence-case title (3-7 words) that captures the main topic or goal of this coding session.",
        },
      ],
      messages: [
        {
          role: "user",
          content: "<session>user: refactor the architecture and debug the race condition</session>",
        },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-snodus-routed-model")).toBe("claude-haiku-4-5");
    expect(reasonOf(res)).toStartWith("cheap tier: background call, session title");
  });

  test("a follow-up in the same conversation stays on its tier; the spend row keeps the cache reads it saved", async () => {
    const system = "You are the Acme assistant. Answer carefully and cite the style guide. ".repeat(120);
    const first = "Write a Python function that merges two sorted lists.";
    const one = await post(gw, {
      model: "auto",
      max_tokens: 1024,
      system,
      messages: [{ role: "user", content: first }],
    });
    expect(one.headers.get("x-snodus-routed-model")).toBe("claude-sonnet-4-5");
    const two = await post(
      gw,
      {
        model: "auto",
        max_tokens: 1024,
        system,
        messages: [
          { role: "user", content: first },
          { role: "assistant", content: "def merge(a, b): ..." },
          { role: "user", content: "now add a docstring" },
        ],
      },
      { "x-mock": mockHeader({ usage: { input_tokens: 9, cache_read_input_tokens: 2_400 } }) },
    );
    expect(two.status).toBe(200);
    expect(two.headers.get("x-snodus-routed-model")).toBe("claude-sonnet-4-5");
    expect(reasonOf(two)).toStartWith("middle tier: sticky (kept for ~");
    const row = (await gw.spendRows()).find((r) => r.requestId === two.headers.get("x-snodus-request-id"));
    expect(row).toMatchObject({ routingMethod: "score", cacheReadInputTokens: 2_400 });
    expect(row?.routingReason).toContain("sticky");
  });
});

test("without SNODUS_ROUTER_METHOD the spec's rules decide (the same proof goes to the cheap tier)", async () => {
  const gw = await startTestGateway("sqlite", { SNODUS_ROUTER_ENABLED: "true" });
  try {
    const res = await post(gw, PROOF);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-snodus-routed-model")).toBe("claude-haiku-4-5");
    expect(reasonOf(res)).toBe("cheap tier: short input (~12 tokens < 200)");
    const [row] = await gw.spendRows();
    expect(row).toMatchObject({ routingMethod: "rules" });
  } finally {
    await gw.close();
  }
});

describe("SNODUS_ROUTER_METHOD=score on the OpenAI-speaking doors", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway(
      "sqlite",
      { SNODUS_ROUTER_ENABLED: "true", SNODUS_ROUTER_METHOD: "score" },
      { allProviders: true },
    );
  });
  afterAll(async () => gw.close());

  const send = (path: string, body: Record<string, unknown>) =>
    fetch(`${gw.url}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${gw.secret}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  test("/v1/chat/completions: a hard ask goes top, a trivial one cheap, both logged as score", async () => {
    const hard = await send("/v1/chat/completions", {
      model: "auto",
      messages: [{ role: "user", content: "Prove that every planar graph is 5-colorable." }],
    });
    expect(hard.status).toBe(200);
    expect(hard.headers.get("x-snodus-routed-model")).toBe("claude-opus-4-5");
    expect((await hard.json()).object).toBe("chat.completion");
    const easy = await send("/v1/chat/completions", {
      model: "auto",
      messages: [{ role: "user", content: "translate 'good morning' to French" }],
    });
    expect(easy.headers.get("x-snodus-routed-model")).toBe("claude-haiku-4-5");
    const rows = await gw.spendRows();
    expect(rows.filter((r) => r.routingMethod === "score").length).toBeGreaterThanOrEqual(2);
  });

  const rowOf = async (res: Response) =>
    (await gw.spendRows()).find((r) => r.requestId === res.headers.get("x-snodus-request-id"));

  test("/v1/chat/completions: an agent loop ending in a tool message is judged by the instruction that started it", async () => {
    const res = await send("/v1/chat/completions", {
      model: "auto",
      tools: [
        {
          type: "function",
          function: {
            name: "read_file",
            parameters: { type: "object", properties: { path: { type: "string" } } },
          },
        },
      ],
      messages: [
        { role: "system", content: "You are a coding agent. Refactor, debug and design with care." },
        { role: "user", content: "Find the race condition in the worker pool and fix it." },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            {
              id: "call_1",
              type: "function",
              function: { name: "read_file", arguments: '{"path":"pool.go"}' },
            },
          ],
        },
        {
          role: "tool",
          tool_call_id: "call_1",
          content: "package pool\n\nfunc (p *Pool) Submit() { p.n++ }",
        },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-snodus-routed-model")).toBe("claude-opus-4-5");
    const reason = reasonOf(res);
    expect(reason).toMatch(/^top tier: hard engineering "race condition" \(score [\d.]+; .*agent loop/);
    expect(await rowOf(res)).toMatchObject({ routingMethod: "score", routingReason: reason });
  });

  test("/v1/chat/completions: a short ask with a tiny max_tokens stays cheap, and the header carries the reason", async () => {
    const res = await send("/v1/chat/completions", {
      model: "auto",
      max_tokens: 64,
      messages: [{ role: "user", content: "What's the capital of Australia?" }],
    });
    expect(res.headers.get("x-snodus-routed-model")).toBe("claude-haiku-4-5");
    const reason = reasonOf(res);
    expect(reason).toStartWith("cheap tier: simple ask (score ");
    expect(reason).toContain("max_tokens 64");
    expect(await rowOf(res)).toMatchObject({ routingMethod: "score", routingReason: reason });
  });

  test("/v1/responses: a function_call_output turn is judged by the instruction, and logged with its reason", async () => {
    const res = await send("/v1/responses", {
      model: "auto",
      tools: [{ type: "function", name: "run_tests", parameters: { type: "object", properties: {} } }],
      input: [
        { role: "user", content: "Prove that the merge step of merge sort preserves the sorted invariant." },
        { type: "function_call", call_id: "c1", name: "run_tests", arguments: "{}" },
        { type: "function_call_output", call_id: "c1", output: "12 passed" },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-snodus-routed-model")).toBe("claude-opus-4-5");
    const reason = reasonOf(res);
    expect(reason).toMatch(/^top tier: reasoning "prove" \(score /);
    expect(await rowOf(res)).toMatchObject({ routingMethod: "score", routingReason: reason });
  });

  test("/v1/responses: the SQL ask goes to the middle tier and streams in Responses events", async () => {
    const res = await send("/v1/responses", {
      model: "auto",
      stream: true,
      input: "Write a SQL query that returns the top 5 customers by total order value in 2024.",
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-snodus-routed-model")).toBe("claude-sonnet-4-5");
    expect(await res.text()).toContain("response.completed");
  });
});
