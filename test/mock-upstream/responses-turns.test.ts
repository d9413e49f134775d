// The mock's /v1/responses in multi-turn use: a Codex-shaped tool loop, the API's refusals, errors and presets.

import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import OpenAI from "openai";
import { type MockBehavior, type MockUpstream, mockHeader, startMockUpstream } from "./index.ts";

let mock: MockUpstream;

beforeAll(async () => {
  mock = await startMockUpstream({ port: 0 });
});
afterEach(() => mock.reset());
afterAll(async () => {
  await mock.stop();
});

function client(behavior?: MockBehavior): OpenAI {
  return new OpenAI({
    baseURL: `${mock.url}/v1`,
    apiKey: "sk-openai-test",
    maxRetries: 0,
    defaultHeaders: behavior ? { "x-mock": mockHeader(behavior) } : undefined,
  });
}

function post(body: unknown, behavior?: MockBehavior): Promise<Response> {
  const headers: Record<string, string> = { authorization: "Bearer x", "content-type": "application/json" };
  if (behavior) headers["x-mock"] = mockHeader(behavior);
  return fetch(`${mock.url}/v1/responses`, { method: "POST", headers, body: JSON.stringify(body) });
}

type Json = Record<string, unknown>;

/** Codex reads only each event's `data` (its `type` field), ignoring the `event:` line. */
function dataOf(text: string): Json[] {
  return text
    .split("\n\n")
    .filter((b) => b.trim() !== "")
    .map((b) => JSON.parse(/^data: (.*)$/m.exec(b)?.[1] ?? "null") as Json);
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected the promise to reject");
}

const SHELL = {
  type: "function",
  name: "shell",
  description: "Runs a shell command and returns its output.",
  strict: false,
  parameters: {
    type: "object",
    properties: { command: { type: "array", items: { type: "string" } } },
    required: ["command"],
    additionalProperties: false,
  },
};
const USER_TURN = {
  type: "message",
  role: "user",
  content: [{ type: "input_text", text: "List the files." }],
};

/** A request as codex-rs builds it for `wire_api = "responses"`. */
function codexRequest(input: unknown[]): Json {
  return {
    model: "gpt-5-codex",
    instructions: "You are a coding agent.",
    input,
    tools: [SHELL],
    tool_choice: "auto",
    parallel_tool_calls: false,
    reasoning: { effort: "medium", summary: "auto" },
    store: false,
    stream: true,
    include: ["reasoning.encrypted_content"],
    prompt_cache_key: "0198c4a3-5f7e-7c10-9d2e-3b1f0a6c8e42",
  };
}

/** What codex-rs needs of a stream before it acts on a turn (see the report of this test's author). */
function expectCodexReadable(events: Json[]): Json {
  for (const e of events) expect(typeof e.type).toBe("string");
  for (const e of events.filter((x) => x.type === "response.output_item.done")) {
    const item = e.item as Json;
    if (item.type === "message") {
      expect(item.role).toBe("assistant");
      expect(Array.isArray(item.content)).toBe(true);
    } else if (item.type === "function_call") {
      expect(typeof item.name).toBe("string");
      expect(typeof item.arguments).toBe("string");
      expect(typeof item.call_id).toBe("string");
    } else if (item.type === "reasoning") {
      expect(typeof item.id).toBe("string");
      expect(Array.isArray(item.summary)).toBe(true);
    }
  }
  // The turn only counts once response.completed arrived and then the stream ended: it must be last.
  const last = events.at(-1);
  expect(last?.type).toBe("response.completed");
  const response = last?.response as Json;
  expect(typeof response.id).toBe("string");
  const usage = response.usage as Json;
  for (const k of ["input_tokens", "output_tokens", "total_tokens"])
    expect(Number.isInteger(usage[k])).toBe(true);
  expect(Number.isInteger((usage.input_tokens_details as Json).cached_tokens)).toBe(true);
  expect(Number.isInteger((usage.output_tokens_details as Json).reasoning_tokens)).toBe(true);
  return response;
}

describe("a Codex-shaped tool loop", () => {
  test("turn 1 calls shell, turn 2 sends the call and its output back and gets the answer", async () => {
    const call = { name: "shell", input: { command: ["ls"] }, id: "call_ls" };
    const first = await post(codexRequest([USER_TURN]), { toolUse: call, reasoning: "List the directory." });
    const events1 = dataOf(await first.text());
    const response1 = expectCodexReadable(events1);
    const items = (response1.output as Json[]).map((o) => o.type);
    expect(items).toEqual(["reasoning", "function_call"]);
    const reasoning = (response1.output as Json[])[0] as Json;
    expect(typeof reasoning.encrypted_content).toBe("string");
    expect(response1.store).toBe(false);

    // codex-rs replays the whole transcript (store is off): reasoning, the call, then its output.
    const second = await post(
      codexRequest([
        USER_TURN,
        reasoning,
        { type: "function_call", name: "shell", arguments: '{"command":["ls"]}', call_id: "call_ls" },
        { type: "function_call_output", call_id: "call_ls", output: "README.md\nsrc\n" },
      ]),
      { text: "There are two entries." },
    );
    expect(second.status).toBe(200);
    const response2 = expectCodexReadable(dataOf(await second.text()));
    expect(response2.output).toMatchObject([
      { type: "message", content: [{ type: "output_text", text: "There are two entries." }] },
    ]);
    expect(JSON.parse(mock.calls[1]?.bodyText ?? "{}").input).toHaveLength(4);
  });

  test("toolUseUntilResult: one behaviour drives the loop, a call first, text once the output is back", async () => {
    const loop: MockBehavior = {
      toolUse: { name: "shell", input: { command: ["ls"] } },
      toolUseUntilResult: true,
    };
    const first = dataOf(await (await post(codexRequest([USER_TURN]), loop)).text());
    const call = (expectCodexReadable(first).output as Json[])[0] as Json;
    expect(call.type).toBe("function_call");
    const output = { type: "function_call_output", call_id: call.call_id, output: "README.md\n" };
    const second = dataOf(await (await post(codexRequest([USER_TURN, call, output]), loop)).text());
    expect((expectCodexReadable(second).output as Json[]).map((o) => o.type)).toEqual(["message"]);
  });

  test("a tool output without its call is refused, as the API does when nothing is stored", async () => {
    const res = await post(
      codexRequest([USER_TURN, { type: "function_call_output", call_id: "call_x", output: "" }]),
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: {
        message: "No tool call found for function call output with call_id call_x.",
        type: "invalid_request_error",
        param: "input",
        code: null,
      },
    });
  });

  test("previous_response_id works for stored responses only", async () => {
    const sdk = client();
    const first = await sdk.responses.create({ model: "gpt-4.1", input: "Hi" });
    const next = await sdk.responses.create({
      model: "gpt-4.1",
      previous_response_id: first.id,
      input: [{ type: "function_call_output", call_id: "call_from_before", output: "ok" }],
    });
    expect(next.previous_response_id).toBe(first.id);

    const unstored = await sdk.responses.create({ model: "gpt-4.1", input: "Hi", store: false });
    const err = await rejection(
      sdk.responses.create({ model: "gpt-4.1", input: "x", previous_response_id: unstored.id }),
    );
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    if (err instanceof OpenAI.APIError) {
      expect(err.code).toBe("previous_response_not_found");
      expect(err.param).toBe("previous_response_id");
    }
  });
});

describe("errors and behaviours on /v1/responses", () => {
  test("statuses are the SDK's typed errors with OpenAI's body", async () => {
    const limited = await rejection(client({ status: 429 }).responses.create({ model: "m", input: "x" }));
    expect(limited).toBeInstanceOf(OpenAI.RateLimitError);
    if (limited instanceof OpenAI.APIError) expect(limited.requestID).toStartWith("req_");
    const broken = await rejection(
      client({ status: 500, errorMessage: "boom" }).responses.create({ model: "m", input: "x" }),
    );
    expect(broken).toBeInstanceOf(OpenAI.InternalServerError);
    if (broken instanceof OpenAI.APIError) {
      expect(broken.error).toEqual({ message: "boom", type: "server_error", param: null, code: null });
    }
    // Streaming requests fail the same way, before any event.
    const streamed = await post({ model: "m", input: "x", stream: true }, { status: 503 });
    expect(streamed.status).toBe(503);
    expect(streamed.headers.get("content-type")).toBe("application/json");
  });

  test("bad requests: no model, wrong input type, unparsable body, no key", async () => {
    const noModel = await post({ input: "x" });
    expect(noModel.status).toBe(400);
    expect(await noModel.json()).toMatchObject({
      error: { param: "model", code: "missing_required_parameter" },
    });
    const badInput = await post({ model: "m", input: { text: "x" } });
    expect(badInput.status).toBe(400);
    expect(await badInput.json()).toMatchObject({ error: { param: "input", code: "invalid_type" } });
    const garbage = await fetch(`${mock.url}/v1/responses`, {
      method: "POST",
      headers: { authorization: "Bearer x" },
      body: "{",
    });
    expect(garbage.status).toBe(400);
    const noKey = await fetch(`${mock.url}/v1/responses`, { method: "POST", body: "{}" });
    expect(noKey.status).toBe(401);
    expect(await noKey.json()).toMatchObject({ error: { type: "invalid_request_error" } });
  });

  test("model-name presets apply: mock-error-NNN and mock-flaky", async () => {
    const err = await rejection(client().responses.create({ model: "mock-error-429", input: "x" }));
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await post({ model: "gpt-mock-flaky", input: "x", stream: true });
      statuses.push(res.status);
      await res.body?.cancel();
    }
    expect(statuses).toEqual([503, 200, 503, 200]);
  });

  test("chunkDelayMs sends the same events one frame per write; the x-mock header is validated", async () => {
    const paced = dataOf(
      await (await post({ model: "m", input: "x", stream: true }, { chunkDelayMs: 1 })).text(),
    );
    const plain = dataOf(await (await post({ model: "m", input: "x", stream: true })).text());
    expect(paced.map((e) => e.type)).toEqual(plain.map((e) => e.type));
    const bad = await fetch(`${mock.url}/v1/responses`, {
      method: "POST",
      headers: { authorization: "Bearer x", "x-mock": '{"failEvent":"boom"}' },
      body: "{}",
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      error: { message: 'x-mock: failEvent must be "response.failed" or "error"' },
    });
  });
});
