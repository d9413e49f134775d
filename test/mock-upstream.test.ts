// The mock upstream speaks each provider's real wire format: checked by parsing it with the official SDKs.

import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import {
  type MockBehavior,
  type MockUpstream,
  mockHeader,
  startMockUpstream,
} from "./mock-upstream/index.ts";

let mock: MockUpstream;

beforeAll(async () => {
  mock = await startMockUpstream({ port: 0 });
});
afterEach(() => mock.reset());
afterAll(async () => {
  await mock.stop();
});

const DEFAULT_TEXT = "Hello from the mock upstream.";
const USER = [{ role: "user" as const, content: "Hi" }];

function anthropic(behavior?: MockBehavior): Anthropic {
  return new Anthropic({
    baseURL: mock.url,
    apiKey: "sk-ant-test",
    maxRetries: 0,
    defaultHeaders: behavior ? { "x-mock": mockHeader(behavior) } : undefined,
  });
}

function openai(behavior?: MockBehavior): OpenAI {
  return new OpenAI({
    baseURL: `${mock.url}/v1`,
    apiKey: "sk-openai-test",
    maxRetries: 0,
    defaultHeaders: behavior ? { "x-mock": mockHeader(behavior) } : undefined,
  });
}

/** The text blocks of a reply (the SDK types also want `citations`, which plain replies omit). */
function texts(msg: Anthropic.Message): string[] {
  return msg.content.map((b) => (b.type === "text" ? b.text : `<${b.type}>`));
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected the promise to reject");
}

/** Raw SSE parsing, to check framing and event order independently of the SDKs. */
function sseEvents(text: string): Array<{ event: string | null; data: string }> {
  return text
    .split("\n\n")
    .filter((block) => block.trim() !== "")
    .map((block) => {
      let event: string | null = null;
      let data = "";
      for (const line of block.split("\n")) {
        if (line.startsWith("event: ")) event = line.slice(7);
        else if (line.startsWith("data: ")) data += line.slice(6);
      }
      return { event, data };
    });
}

const ANTHROPIC_HEADERS = {
  "content-type": "application/json",
  "x-api-key": "sk-ant-raw",
  "anthropic-version": "2023-06-01",
};

function postAnthropic(body: unknown, extra: Record<string, string> = {}): Promise<Response> {
  return fetch(`${mock.url}/v1/messages`, {
    method: "POST",
    headers: { ...ANTHROPIC_HEADERS, ...extra },
    body: JSON.stringify(body),
  });
}

function postOllama(body: unknown, extra: Record<string, string> = {}): Promise<Response> {
  return fetch(`${mock.url}/api/chat`, { method: "POST", headers: extra, body: JSON.stringify(body) });
}

function ndjson(text: string): Array<Record<string, unknown>> {
  return text
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe("Anthropic /v1/messages", () => {
  test("JSON reply parses with the SDK, echoes the model and carries full usage", async () => {
    const { data: msg, response } = await anthropic()
      .messages.create({ model: "claude-sonnet-4-20250514", max_tokens: 64, messages: USER })
      .withResponse();
    expect(msg.id).toStartWith("msg_");
    expect(msg.model).toBe("claude-sonnet-4-20250514");
    expect(texts(msg)).toEqual([DEFAULT_TEXT]);
    expect(msg.stop_reason).toBe("end_turn");
    expect(msg.usage.input_tokens).toBe(12);
    expect(msg.usage.output_tokens).toBe(8);
    expect(msg.usage.cache_read_input_tokens).toBe(0);
    expect(response.headers.get("request-id")).toStartWith("req_");
  });

  test("stream has the real event sequence and framing", async () => {
    const res = await postAnthropic({ model: "claude-x", max_tokens: 10, messages: USER, stream: true });
    expect(res.headers.get("content-type")).toStartWith("text/event-stream");
    const text = await res.text();
    expect(text).toContain('event: ping\ndata: {"type": "ping"}\n\n');
    const events = sseEvents(text);
    expect(events.map((e) => e.event)).toEqual([
      "message_start",
      "content_block_start",
      "ping",
      "content_block_delta",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    for (const e of events) expect((JSON.parse(e.data) as { type: string }).type).toBe(e.event ?? "");
    const start = JSON.parse(events[0]?.data ?? "{}") as { message: Anthropic.Message };
    expect(start.message.usage.output_tokens).toBe(1);
    expect(start.message.usage.input_tokens).toBe(12);
    const delta = JSON.parse(events[7]?.data ?? "{}") as Anthropic.MessageDeltaEvent;
    expect(delta.usage.output_tokens).toBe(8);
    expect(delta.delta.stop_reason).toBe("end_turn");
  });

  test("SDK stream helper assembles the text and usage from x-mock", async () => {
    const usage = {
      input_tokens: 100,
      output_tokens: 42,
      cache_read_input_tokens: 50,
      cache_creation_input_tokens: 20,
    };
    const msg = await anthropic({ text: "Bonjour, le monde ! 🌍", usage })
      .messages.stream({ model: "claude-x", max_tokens: 64, messages: USER })
      .finalMessage();
    expect(msg.content).toHaveLength(1);
    expect(msg.content[0]).toMatchObject({ type: "text", text: "Bonjour, le monde ! 🌍" });
    expect(msg.usage.input_tokens).toBe(100);
    expect(msg.usage.output_tokens).toBe(42);
    expect(msg.usage.cache_read_input_tokens).toBe(50);
    expect(msg.usage.cache_creation_input_tokens).toBe(20);
    expect(msg.usage.cache_creation).toEqual({ ephemeral_5m_input_tokens: 20, ephemeral_1h_input_tokens: 0 });
  });

  test("tool use, as JSON and streamed with input_json_delta", async () => {
    const toolUse = { name: "get_weather", input: { city: "Paris", days: 3, units: ["c"] } };
    const client = anthropic({ toolUse });
    const msg = await client.messages.create({ model: "claude-x", max_tokens: 64, messages: USER });
    expect(msg.stop_reason).toBe("tool_use");
    expect(msg.content).toHaveLength(1);
    expect(msg.content[0]).toMatchObject({ type: "tool_use", name: "get_weather", input: toolUse.input });

    const streamed = await client.messages
      .stream({ model: "claude-x", max_tokens: 64, messages: USER })
      .finalMessage();
    expect(streamed.stop_reason).toBe("tool_use");
    const block = streamed.content[0];
    expect(block?.type).toBe("tool_use");
    if (block?.type === "tool_use") {
      expect(block.id).toStartWith("toolu_");
      expect(block.input).toEqual(toolUse.input);
    }

    // An explicit text comes first, as Claude's "Let me check…" preamble does.
    const both = await anthropic({ text: "Checking.", toolUse: { ...toolUse, id: "toolu_fixed" } })
      .messages.stream({ model: "claude-x", max_tokens: 64, messages: USER })
      .finalMessage();
    expect(both.content.map((b) => b.type)).toEqual(["text", "tool_use"]);
    expect(both.content[1]).toMatchObject({ id: "toolu_fixed" });
  });

  test("error statuses surface as the SDK's typed errors with the real body shape", async () => {
    const overloaded = await rejection(
      anthropic({ status: 529 }).messages.create({ model: "claude-x", max_tokens: 8, messages: USER }),
    );
    expect(overloaded).toBeInstanceOf(Anthropic.APIError);
    if (overloaded instanceof Anthropic.APIError) {
      expect(overloaded.status).toBe(529);
      expect(overloaded.type).toBe("overloaded_error");
      expect(overloaded.requestID).toStartWith("req_");
    }
    const cases: Array<[number, new (...args: never[]) => Error, string]> = [
      [429, Anthropic.RateLimitError, "rate_limit_error"],
      [500, Anthropic.InternalServerError, "api_error"],
      [400, Anthropic.BadRequestError, "invalid_request_error"],
      [401, Anthropic.AuthenticationError, "authentication_error"],
    ];
    for (const [status, cls, type] of cases) {
      const err = await rejection(
        anthropic({ status }).messages.create({ model: "claude-x", max_tokens: 8, messages: USER }),
      );
      expect(err).toBeInstanceOf(cls);
      if (err instanceof Anthropic.APIError) expect(err.type).toBe(type as Anthropic.ErrorType);
    }
    const raw = await postAnthropic(
      { model: "claude-x", max_tokens: 8, messages: USER },
      {
        "x-mock": mockHeader({ status: 400, errorType: "invalid_request_error", errorMessage: "bad thing" }),
      },
    );
    const body = (await raw.json()) as {
      type: string;
      error: { type: string; message: string };
      request_id: string;
    };
    expect(raw.status).toBe(400);
    expect(body).toMatchObject({
      type: "error",
      error: { type: "invalid_request_error", message: "bad thing" },
    });
    expect(body.request_id).toStartWith("req_");
  });

  test("failMidStream sends deltas, then an overloaded error event the SDK throws", async () => {
    const stream = await anthropic({ failMidStream: true }).messages.create({
      model: "claude-x",
      max_tokens: 8,
      messages: USER,
      stream: true,
    });
    const seen: string[] = [];
    const err = await rejection(
      (async () => {
        for await (const event of stream) seen.push(event.type);
      })(),
    );
    expect(seen).toEqual(["message_start", "content_block_start", "content_block_delta"]);
    expect(err).toBeInstanceOf(Anthropic.APIError);
    if (err instanceof Anthropic.APIError) expect(err.type).toBe("overloaded_error");

    // A number picks the event after which to fail.
    const raw = await postAnthropic(
      { model: "claude-x", max_tokens: 8, messages: USER, stream: true },
      { "x-mock": mockHeader({ failMidStream: 5 }) },
    );
    const events = sseEvents(await raw.text());
    expect(events.map((e) => e.event)).toEqual([
      "message_start",
      "content_block_start",
      "ping",
      "content_block_delta",
      "content_block_delta",
      "error",
    ]);
    expect(JSON.parse(events[5]?.data ?? "{}")).toMatchObject({
      type: "error",
      error: { type: "overloaded_error", message: "Overloaded" },
    });
  });

  test("abortMidStream cuts the connection without an error event", async () => {
    const res = await postAnthropic(
      { model: "claude-x", max_tokens: 8, messages: USER, stream: true },
      { "x-mock": mockHeader({ abortMidStream: true }) },
    );
    expect(res.status).toBe(200);
    const reader = res.body?.getReader();
    let received = "";
    const err = await rejection(
      (async () => {
        const decoder = new TextDecoder();
        for (;;) {
          const chunk = await reader?.read();
          if (!chunk || chunk.done) return;
          received += decoder.decode(chunk.value);
        }
      })(),
    );
    expect(err).toBeInstanceOf(Error);
    expect(received).toContain("event: content_block_delta");
    expect(received).not.toContain("event: error");
    expect(received).not.toContain("message_stop");
  });

  test("count_tokens and models list", async () => {
    const client = anthropic();
    const count = await client.messages.countTokens({ model: "claude-x", messages: USER });
    expect(count.input_tokens).toBeGreaterThan(0);
    const ids: string[] = [];
    for await (const m of client.models.list()) ids.push(m.id);
    expect(ids).toContain("claude-sonnet-4-20250514");
    const raw = (await (
      await fetch(`${mock.url}/v1/models`, { headers: ANTHROPIC_HEADERS })
    ).json()) as Record<string, unknown>;
    expect(Object.keys(raw).sort()).toEqual(["data", "first_id", "has_more", "last_id"]);
  });

  test("missing credentials, missing fields and unknown paths answer like Anthropic", async () => {
    const noKey = await fetch(`${mock.url}/v1/messages`, {
      method: "POST",
      headers: { "anthropic-version": "2023-06-01" },
      body: "{}",
    });
    expect(noKey.status).toBe(401);
    expect(await noKey.json()).toMatchObject({ type: "error", error: { type: "authentication_error" } });
    const noMaxTokens = await postAnthropic({ model: "claude-x", messages: USER });
    expect(noMaxTokens.status).toBe(400);
    expect(await noMaxTokens.json()).toMatchObject({ error: { message: "max_tokens: Field required" } });
    const missing = await fetch(`${mock.url}/v1/nope`, { headers: ANTHROPIC_HEADERS });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ type: "error", error: { type: "not_found_error" } });
  });
});

describe("OpenAI /v1/chat/completions", () => {
  test("JSON reply parses with the SDK and maps usage", async () => {
    const completion = await openai({
      usage: { input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 30 },
    }).chat.completions.create({ model: "gpt-4o-mini", messages: USER });
    expect(completion.id).toStartWith("chatcmpl-");
    expect(completion.object).toBe("chat.completion");
    expect(completion.model).toBe("gpt-4o-mini");
    expect(completion.choices[0]?.message.content).toBe(DEFAULT_TEXT);
    expect(completion.choices[0]?.finish_reason).toBe("stop");
    expect(completion.usage).toMatchObject({
      prompt_tokens: 40,
      completion_tokens: 5,
      total_tokens: 45,
      prompt_tokens_details: { cached_tokens: 30 },
    });
  });

  test("stream without include_usage has no usage at all", async () => {
    const stream = await openai().chat.completions.create({ model: "gpt-x", messages: USER, stream: true });
    let text = "";
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) {
      chunks.push(chunk);
      text += chunk.choices[0]?.delta.content ?? "";
    }
    expect(text).toBe(DEFAULT_TEXT);
    expect(chunks[0]?.choices[0]?.delta.role).toBe("assistant");
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe("stop");
    for (const c of chunks) {
      expect(c.object).toBe("chat.completion.chunk");
      expect("usage" in c).toBe(false);
    }

    const raw = await fetch(`${mock.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer x", "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-x", messages: USER, stream: true }),
    });
    expect(raw.headers.get("content-type")).toStartWith("text/event-stream");
    const body = await raw.text();
    expect(body.endsWith("data: [DONE]\n\n")).toBe(true);
    expect(body).not.toContain("event:");
  });

  test("stream with include_usage ends with an empty-choices usage chunk; others carry usage: null", async () => {
    const stream = await openai().chat.completions.create({
      model: "gpt-x",
      messages: USER,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 8, total_tokens: 20 });
    for (const c of chunks.slice(0, -1)) expect(c.usage).toBeNull();
  });

  test("tool calls, as JSON and streamed argument pieces", async () => {
    const toolUse = { name: "lookup", input: { q: "snodus", limit: 5 } };
    const client = openai({ toolUse });
    const completion = await client.chat.completions.create({ model: "gpt-x", messages: USER });
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe("tool_calls");
    expect(choice?.message.content).toBeNull();
    const call = choice?.message.tool_calls?.[0];
    expect(call?.type).toBe("function");
    if (call?.type === "function") {
      expect(call.id).toStartWith("call_");
      expect(call.function.name).toBe("lookup");
      expect(JSON.parse(call.function.arguments)).toEqual(toolUse.input);
    }

    const final = await client.chat.completions
      .stream({ model: "gpt-x", messages: USER, stream_options: { include_usage: true } })
      .finalChatCompletion();
    const streamedCall = final.choices[0]?.message.tool_calls?.[0];
    expect(final.choices[0]?.finish_reason).toBe("tool_calls");
    if (streamedCall?.type === "function") {
      expect(streamedCall.function.name).toBe("lookup");
      expect(JSON.parse(streamedCall.function.arguments)).toEqual(toolUse.input);
    } else {
      throw new Error("expected a function tool call");
    }
    expect(final.usage?.completion_tokens).toBe(8);
  });

  test("error statuses surface as the SDK's typed errors", async () => {
    const limited = await rejection(
      openai({ status: 429 }).chat.completions.create({ model: "m", messages: USER }),
    );
    expect(limited).toBeInstanceOf(OpenAI.RateLimitError);
    if (limited instanceof OpenAI.APIError) {
      expect(limited.code).toBe("rate_limit_exceeded");
      expect(limited.requestID).toStartWith("req_");
    }
    const broken = await rejection(
      openai({ status: 500, errorMessage: "boom" }).chat.completions.create({ model: "m", messages: USER }),
    );
    expect(broken).toBeInstanceOf(OpenAI.InternalServerError);
    if (broken instanceof OpenAI.APIError) {
      expect(broken.type).toBe("server_error");
      expect(broken.error).toEqual({ message: "boom", type: "server_error", param: null, code: null });
    }
  });

  test("failMidStream cuts the connection after some chunks", async () => {
    const stream = await openai({ failMidStream: true }).chat.completions.create({
      model: "gpt-x",
      messages: USER,
      stream: true,
    });
    let text = "";
    const err = await rejection(
      (async () => {
        for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
      })(),
    );
    expect(err).toBeInstanceOf(Error);
    expect(text.length).toBeGreaterThan(0);
    expect(text.length).toBeLessThan(DEFAULT_TEXT.length);

    // Non-streaming: half a JSON body, then the connection resets.
    const cut = await rejection(
      openai({ abortMidStream: true }).chat.completions.create({ model: "gpt-x", messages: USER }),
    );
    expect(cut).toBeInstanceOf(Error);
  });

  test("models list, missing key and unknown paths answer like OpenAI", async () => {
    const ids: string[] = [];
    for await (const m of openai().models.list()) ids.push(m.id);
    expect(ids).toContain("gpt-4o");
    const noKey = await fetch(`${mock.url}/v1/chat/completions`, { method: "POST", body: "{}" });
    expect(noKey.status).toBe(401);
    const missing = await fetch(`${mock.url}/v1/embeddingz`, { method: "POST", body: "{}" });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      error: {
        message: "Invalid URL (POST /v1/embeddingz)",
        type: "invalid_request_error",
        param: null,
        code: null,
      },
    });
  });
});

describe("Ollama /api/chat", () => {
  test("streams NDJSON by default, ending with a done line that carries the counts", async () => {
    const res = await postOllama({ model: "llama3.2", messages: USER });
    expect(res.headers.get("content-type")).toBe("application/x-ndjson");
    const lines = ndjson(await res.text());
    const last = lines.at(-1);
    expect(lines.slice(0, -1).every((l) => l.done === false)).toBe(true);
    expect(last).toMatchObject({
      model: "llama3.2",
      done: true,
      done_reason: "stop",
      prompt_eval_count: 12,
      eval_count: 8,
    });
    for (const key of ["total_duration", "load_duration", "prompt_eval_duration", "eval_duration"]) {
      expect(typeof last?.[key]).toBe("number");
    }
    const text = lines.map((l) => (l.message as { content: string }).content).join("");
    expect(text).toBe(DEFAULT_TEXT);
    expect(Number.isNaN(Date.parse(String(lines[0]?.created_at)))).toBe(false);
  });

  test("stream: false answers with one JSON object", async () => {
    const res = await postOllama({ model: "qwen2.5:7b", messages: USER, stream: false });
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      model: "qwen2.5:7b",
      message: { role: "assistant", content: DEFAULT_TEXT },
      done: true,
      done_reason: "stop",
    });
  });

  test("tool calls carry arguments as an object and done_reason stays 'stop'", async () => {
    const toolUse = { name: "get_time", input: { tz: "UTC" } };
    const res = await postOllama(
      { model: "llama3.2", messages: USER },
      { "x-mock": mockHeader({ toolUse }) },
    );
    const lines = ndjson(await res.text());
    const withCalls = lines.find((l) => (l.message as { tool_calls?: unknown }).tool_calls);
    expect(withCalls?.message).toEqual({
      role: "assistant",
      content: "",
      tool_calls: [{ function: { name: "get_time", arguments: { tz: "UTC" } } }],
    });
    expect(lines.at(-1)?.done_reason).toBe("stop");
  });

  test("failMidStream ends with an error line; statuses use the bare error shape", async () => {
    const res = await postOllama(
      { model: "llama3.2", messages: USER },
      { "x-mock": '{"failMidStream":true}' },
    );
    const lines = ndjson(await res.text());
    expect(lines).toHaveLength(2);
    expect(lines[0]?.done).toBe(false);
    expect(typeof lines[1]?.error).toBe("string");

    const failed = await postOllama(
      { model: "llama3.2", messages: USER },
      { "x-mock": '{"status":404,"errorMessage":"model \\"x\\" not found"}' },
    );
    expect(failed.status).toBe(404);
    expect(await failed.json()).toEqual({ error: 'model "x" not found' });
  });

  test("/api/tags lists the default models, or the ones set with setDefault", async () => {
    const tags = (await (await fetch(`${mock.url}/api/tags`)).json()) as {
      models: Array<Record<string, unknown>>;
    };
    expect(tags.models.map((m) => m.name)).toEqual(["llama3.2:latest", "qwen2.5:7b"]);
    expect(tags.models[0]).toMatchObject({ model: "llama3.2:latest", details: { family: "llama" } });
    expect(typeof tags.models[0]?.size).toBe("number");
    expect(String(tags.models[0]?.digest)).toMatch(/^[0-9a-f]{64}$/);

    mock.setDefault({ ollamaModels: ["mistral:7b"] });
    const custom = (await (await fetch(`${mock.url}/api/tags`)).json()) as {
      models: Array<Record<string, unknown>>;
    };
    expect(custom.models).toHaveLength(1);
    expect(custom.models[0]).toMatchObject({
      name: "mistral:7b",
      model: "mistral:7b",
      details: { format: "gguf" },
    });
  });
});

describe("behaviour control", () => {
  test("calls records method, path with query, lower-case headers and the exact body", async () => {
    const body =
      '{ "model" : "claude-x",\n "max_tokens": 5, "messages": [{"role":"user","content":"héllo ✓"}] }';
    await fetch(`${mock.url}/v1/messages?beta=true`, {
      method: "POST",
      headers: { ...ANTHROPIC_HEADERS, "X-Custom-Thing": "1" },
      body,
    });
    expect(mock.calls).toHaveLength(1);
    const call = mock.calls[0];
    expect(call?.method).toBe("POST");
    expect(call?.path).toBe("/v1/messages?beta=true");
    expect(call?.headers["x-api-key"]).toBe("sk-ant-raw");
    expect(call?.headers["x-custom-thing"]).toBe("1");
    expect(call?.bodyText).toBe(body);
    expect(typeof call?.receivedAt).toBe("number");

    await openai().chat.completions.create({ model: "gpt-x", messages: USER });
    expect(mock.calls[1]?.headers.authorization).toBe("Bearer sk-openai-test");
    expect(JSON.parse(mock.calls[1]?.bodyText ?? "{}")).toEqual({ model: "gpt-x", messages: USER });
  });

  test("setDefault applies without a header, x-mock merges over it, reset clears it", async () => {
    mock.setDefault({ text: "default text", usage: { input_tokens: 7 } });
    const a = await anthropic().messages.create({ model: "m", max_tokens: 5, messages: USER });
    expect(texts(a)).toEqual(["default text"]);
    expect(a.usage.input_tokens).toBe(7);
    const b = await anthropic({ usage: { output_tokens: 3 } }).messages.create({
      model: "m",
      max_tokens: 5,
      messages: USER,
    });
    expect(texts(b)).toEqual(["default text"]);
    expect(b.usage).toMatchObject({ input_tokens: 7, output_tokens: 3 });
    mock.reset();
    expect(mock.calls).toHaveLength(0);
    const c = await anthropic().messages.create({ model: "m", max_tokens: 5, messages: USER });
    expect(texts(c)).toEqual([DEFAULT_TEXT]);
  });

  test("a malformed x-mock header is a 400 in the protocol's shape", async () => {
    const res = await postAnthropic({ model: "m", max_tokens: 5, messages: USER }, { "x-mock": "{nope" });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
    const typed = await postOllama({ model: "m", messages: USER }, { "x-mock": '{"latencyMs":"soon"}' });
    expect(typed.status).toBe(400);
    expect(await typed.json()).toEqual({ error: "x-mock: latencyMs must be a non-negative number" });
  });

  test("model-name presets: mock-error, mock-error-NNN, mock-flaky, mock-slow", async () => {
    const err = await rejection(
      anthropic().messages.create({ model: "mock-error", max_tokens: 5, messages: USER }),
    );
    expect(err).toBeInstanceOf(Anthropic.InternalServerError);
    const limited = await rejection(
      openai().chat.completions.create({ model: "mock-error-429", messages: USER }),
    );
    expect(limited).toBeInstanceOf(OpenAI.RateLimitError);

    const flaky = [];
    for (let i = 0; i < 4; i++) {
      const res = await postAnthropic({ model: "claude-mock-flaky", max_tokens: 5, messages: USER });
      flaky.push(res.status);
      await res.body?.cancel();
    }
    expect(flaky).toEqual([529, 200, 529, 200]);
    const ollamaFlaky = await postOllama({ model: "mock-flaky", messages: USER });
    expect(ollamaFlaky.status).toBe(503);

    const t0 = performance.now();
    const res = await postOllama({ model: "mock-slow", messages: USER, stream: false });
    expect(res.status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(200);
  });

  test("latencyMs delays the headers, chunkDelayMs spaces the events", async () => {
    const t0 = performance.now();
    const res = await postAnthropic(
      { model: "m", max_tokens: 5, messages: USER, stream: true },
      { "x-mock": mockHeader({ latencyMs: 60, chunkDelayMs: 15 }) },
    );
    const headersAt = performance.now() - t0;
    expect(headersAt).toBeGreaterThanOrEqual(55);
    const events = sseEvents(await res.text());
    expect(events).toHaveLength(9);
    // Eight gaps between nine events, after the latency. Only lower bounds from the request's start hold
    // on a loaded machine: the client may see the headers late, shrinking the apparent body time.
    expect(performance.now() - t0).toBeGreaterThanOrEqual(60 + 8 * 15 - 5);
  });

  test("a client vanishing mid-stream does not hurt the server", async () => {
    for (const protocolRequest of [
      (signal: AbortSignal) =>
        fetch(`${mock.url}/v1/messages`, {
          method: "POST",
          signal,
          headers: { ...ANTHROPIC_HEADERS, "x-mock": mockHeader({ chunkDelayMs: 20 }) },
          body: JSON.stringify({ model: "m", max_tokens: 5, messages: USER, stream: true }),
        }),
      (signal: AbortSignal) =>
        fetch(`${mock.url}/api/chat`, {
          method: "POST",
          signal,
          headers: { "x-mock": mockHeader({ chunkDelayMs: 20, failMidStream: 2 }) },
          body: JSON.stringify({ model: "m", messages: USER }),
        }),
    ]) {
      const controller = new AbortController();
      const res = await protocolRequest(controller.signal);
      await res.body?.getReader().read();
      controller.abort();
    }
    // Long enough for the server to try (and fail) to write the remaining events.
    await Bun.sleep(200);
    const msg = await anthropic().messages.create({ model: "m", max_tokens: 5, messages: USER });
    expect(texts(msg)).toEqual([DEFAULT_TEXT]);
  });

  test("concurrent default requests get distinct ids and their own model", async () => {
    const client = anthropic();
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        client.messages.create({ model: `m-${i}`, max_tokens: 5, messages: USER }),
      ),
    );
    expect(new Set(replies.map((r) => r.id)).size).toBe(20);
    replies.forEach((r, i) => {
      expect(r.model).toBe(`m-${i}`);
    });
  });
});
