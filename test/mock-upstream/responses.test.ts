// The mock's /v1/responses speaks the real Responses API: checked with the OpenAI SDK and a Codex-shaped turn.

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

const DEFAULT_TEXT = "Hello from the mock upstream.";
const TOOL = {
  type: "function" as const,
  name: "lookup",
  description: "Looks a word up.",
  parameters: { type: "object", properties: { q: { type: "string" } }, required: ["q"] },
  strict: false,
};
const TOOL_USE = { name: "lookup", input: { q: "snodus", limit: 5 } };

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

type Event = { type: string; sequence_number: number; [key: string]: unknown };

/** Raw SSE parsing, independent of the SDK: the `event:` name must repeat the data's `type`. */
function sse(text: string): Event[] {
  return text
    .split("\n\n")
    .filter((block) => block.trim() !== "")
    .map((block) => {
      const name = /^event: (.*)$/m.exec(block)?.[1];
      const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? "null") as Event;
      expect(name).toBe(data.type);
      return data;
    });
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected the promise to reject");
}

describe("POST /v1/responses, JSON", () => {
  test("a text reply is a full response object the SDK reads, with mapped usage", async () => {
    const usage = {
      input_tokens: 10,
      output_tokens: 9,
      cache_read_input_tokens: 30,
      cache_creation_input_tokens: 5,
    };
    const res = await client({ usage, reasoningTokens: 4 }).responses.create({
      model: "gpt-4.1",
      input: "Hi",
      instructions: "Be brief.",
      max_output_tokens: 64,
      metadata: { run: "1" },
    });
    expect(res.id).toStartWith("resp_");
    expect(res.object).toBe("response");
    expect(res.status).toBe("completed");
    expect(res.model).toBe("gpt-4.1");
    expect(Number.isInteger(res.created_at)).toBe(true);
    expect(res.output_text).toBe(DEFAULT_TEXT);
    expect(res.output).toHaveLength(1);
    expect(res.output[0]).toMatchObject({ type: "message", role: "assistant", status: "completed" });
    expect(res.output[0]?.id).toStartWith("msg_");
    expect(res.usage).toEqual({
      input_tokens: 45,
      input_tokens_details: { cached_tokens: 30, cache_write_tokens: 5 },
      output_tokens: 9,
      output_tokens_details: { reasoning_tokens: 4 },
      total_tokens: 54,
    });
    // The request's settings come back, as the API echoes them.
    expect(res).toMatchObject({ instructions: "Be brief.", max_output_tokens: 64, metadata: { run: "1" } });
    expect(res).toMatchObject({ error: null, incomplete_details: null, store: true, tool_choice: "auto" });
  });

  test("a function call is an output item with call_id, name and JSON arguments", async () => {
    const res = await client({ toolUse: TOOL_USE }).responses.create({
      model: "gpt-4.1",
      input: "Look up snodus",
      tools: [TOOL],
    });
    expect(res.output).toHaveLength(1);
    const call = res.output[0];
    expect(call?.type).toBe("function_call");
    if (call?.type !== "function_call") throw new Error("expected a function call");
    expect(call.id).toStartWith("fc_");
    expect(call.call_id).toStartWith("call_");
    expect(call.name).toBe("lookup");
    expect(JSON.parse(call.arguments)).toEqual(TOOL_USE.input);
    expect(res.output_text).toBe("");
    expect(res.tools).toEqual([TOOL]);

    // With an explicit text and a reasoning summary: reasoning, message, call, in that order.
    const all = await client({
      toolUse: { ...TOOL_USE, id: "call_fixed" },
      text: "Checking.",
      reasoning: "Think.",
    }).responses.create({ model: "o3-mini", input: "x", include: ["reasoning.encrypted_content"] });
    expect(all.output.map((o) => o.type)).toEqual(["reasoning", "message", "function_call"]);
    expect(all.output[0]).toMatchObject({ summary: [{ type: "summary_text", text: "Think." }] });
    expect(typeof (all.output[0] as { encrypted_content?: unknown }).encrypted_content).toBe("string");
    expect(all.output[2]).toMatchObject({ call_id: "call_fixed" });
  });

  test("a length stop is an incomplete response", async () => {
    const res = await client({ stopReason: "max_output_tokens" }).responses.create({
      model: "m",
      input: "x",
    });
    expect(res.status).toBe("incomplete");
    expect(res.incomplete_details).toEqual({ reason: "max_output_tokens" });
  });
});

describe("POST /v1/responses, streamed", () => {
  test("the event sequence, numbering and final usage are the API's", async () => {
    const res = await post(
      { model: "gpt-4.1", input: "Hi", stream: true, tools: [TOOL] },
      { text: "Hi there", toolUse: TOOL_USE },
    );
    expect(res.headers.get("content-type")).toStartWith("text/event-stream");
    const events = sse(await res.text());
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    expect(events.map((e) => e.type)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.delta",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.output_item.added",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.done",
      "response.output_item.done",
      "response.completed",
    ]);
    const created = events[0]?.response as OpenAI.Responses.Response;
    expect(created.status).toBe("in_progress");
    expect(created.output).toEqual([]);
    expect(created.usage).toBeNull();
    const deltas = events.filter((e) => e.type === "response.output_text.delta");
    expect(deltas.map((e) => e.delta).join("")).toBe("Hi there");
    expect(deltas[0]).toMatchObject({
      output_index: 0,
      content_index: 0,
      item_id: created.id.replace("resp_", "msg_"),
    });
    const args = events.filter((e) => e.type === "response.function_call_arguments.delta");
    expect(JSON.parse(args.map((e) => e.delta).join(""))).toEqual(TOOL_USE.input);
    const completed = events.at(-1)?.response as OpenAI.Responses.Response;
    expect(completed.id).toBe(created.id);
    expect(completed.output.map((o) => o.type)).toEqual(["message", "function_call"]);
    expect(completed.usage).toMatchObject({ input_tokens: 12, output_tokens: 8, total_tokens: 20 });
  });

  test("the SDK's stream helper assembles the final response, reasoning and call included", async () => {
    const stream = client({ text: "Bonjour 🌍", toolUse: TOOL_USE, reasoning: "Plan it." }).responses.stream({
      model: "o3-mini",
      input: "Hi",
      tools: [TOOL],
    });
    const deltas: string[] = [];
    stream.on("response.output_text.delta", (e) => deltas.push(e.delta));
    const final = await stream.finalResponse();
    expect(deltas.join("")).toBe("Bonjour 🌍");
    expect(final.status).toBe("completed");
    expect(final.output_text).toBe("Bonjour 🌍");
    expect(final.output.map((o) => o.type)).toEqual(["reasoning", "message", "function_call"]);
    const call = final.output[2];
    if (call?.type !== "function_call") throw new Error("expected a function call");
    expect(JSON.parse(call.arguments)).toEqual(TOOL_USE.input);
    expect(final.usage?.output_tokens).toBe(8);
  });

  test("create({ stream: true }) yields typed events the SDK parses", async () => {
    const stream = await client().responses.create({ model: "gpt-4.1", input: "Hi", stream: true });
    const types: string[] = [];
    let text = "";
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === "response.output_text.delta") text += event.delta;
    }
    expect(text).toBe(DEFAULT_TEXT);
    expect(types[0]).toBe("response.created");
    expect(types.at(-1)).toBe("response.completed");
  });

  test("failMidStream ends with response.failed, or with an error event the SDK throws", async () => {
    const events = sse(
      await (await post({ model: "m", input: "x", stream: true }, { failMidStream: true })).text(),
    );
    expect(events.map((e) => e.type).slice(-2)).toEqual(["response.output_text.delta", "response.failed"]);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    expect(events.at(-1)?.response).toMatchObject({ status: "failed", error: { code: "server_error" } });

    const limited = await post(
      { model: "m", input: "x", stream: true },
      { failMidStream: 2, failEvent: "error", errorType: "rate_limit_exceeded", errorMessage: "Slow down." },
    );
    const tail = sse(await limited.text());
    expect(tail.map((e) => e.type)).toEqual(["response.created", "response.in_progress", "error"]);
    expect(tail[2]).toMatchObject({
      sequence_number: 2,
      error: { code: "rate_limit_exceeded", message: "Slow down." },
    });

    const err = await rejection(
      (async () => {
        const s = await client({ failMidStream: true, failEvent: "error" }).responses.create({
          model: "m",
          input: "x",
          stream: true,
        });
        for await (const _ of s) {
          // Drain: the error event must surface as a throw.
        }
      })(),
    );
    expect(err).toBeInstanceOf(OpenAI.APIError);
  });

  test("abortMidStream resets the connection before response.completed, streamed or not", async () => {
    const res = await post({ model: "m", input: "x", stream: true }, { abortMidStream: true });
    const reader = res.body?.getReader();
    let received = "";
    const err = await rejection(
      (async () => {
        for (;;) {
          const chunk = await reader?.read();
          if (!chunk || chunk.done) return;
          received += new TextDecoder().decode(chunk.value);
        }
      })(),
    );
    expect(err).toBeInstanceOf(Error);
    expect(received).toContain("response.output_text.delta");
    expect(received).not.toContain("response.completed");
    expect(
      await rejection(client({ abortMidStream: true }).responses.create({ model: "m", input: "x" })),
    ).toBeInstanceOf(Error);
  });

  test("a length stop streams response.incomplete last", async () => {
    const events = sse(
      await (await post({ model: "m", input: "x", stream: true }, { stopReason: "length" })).text(),
    );
    expect(events.at(-1)).toMatchObject({ type: "response.incomplete", response: { status: "incomplete" } });
  });
});
