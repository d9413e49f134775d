import { describe, expect, test } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import type { ChatCompletionChunk } from "openai/resources/chat/completions";
import {
  bytes,
  parseSse,
  run,
  SPLITS,
  type SseEvent,
  serveBytes,
  split,
  text,
} from "../translate/testing.ts";
import { createOpenAIToAnthropicStream } from "./stream-to-anthropic.ts";

type Delta = ChatCompletionChunk.Choice.Delta;
type Finish = ChatCompletionChunk.Choice["finish_reason"];

/** One chunk as OpenAI sends it with include_usage: every chunk has `usage: null` except the last. */
function chunk(delta: Delta, finish: Finish = null): ChatCompletionChunk {
  return {
    id: "chatcmpl-AyPNinnUqUDYo9SAdA52NobMflmj2",
    object: "chat.completion.chunk",
    created: 1_739_000_000,
    model: "gpt-4o-2024-08-06",
    service_tier: "default",
    system_fingerprint: "fp_44709d6fcb",
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    usage: null,
  };
}

const USAGE_CHUNK: ChatCompletionChunk = {
  ...chunk({}),
  choices: [],
  usage: {
    prompt_tokens: 1200,
    completion_tokens: 42,
    total_tokens: 1242,
    prompt_tokens_details: { cached_tokens: 1000, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
  },
};

/** SSE as OpenAI writes it (with the obfuscation padding field), optionally with CRLF and keep-alives. */
function sse(
  chunks: ChatCompletionChunk[],
  opts: { done?: boolean; crlf?: boolean; keepAlive?: boolean } = {},
): string {
  const nl = opts.crlf ? "\r\n" : "\n";
  let out = opts.keepAlive ? `: keep-alive${nl}${nl}` : "";
  for (const c of chunks) {
    out += `data: ${JSON.stringify({ ...c, obfuscation: "Xq3" })}${nl}${nl}`;
    if (opts.keepAlive) out += `: ping${nl}${nl}`;
  }
  if (opts.done !== false) out += `data: [DONE]${nl}${nl}`;
  return out;
}

const textStream = [
  chunk({ role: "assistant", content: "", refusal: null }),
  chunk({ content: "Hel" }),
  chunk({ content: "lo, " }),
  chunk({ content: "wörld ✓" }),
  chunk({}, "stop"),
  USAGE_CHUNK,
];

const call = (index: number, args: string, head?: { id: string; name: string }): Delta => ({
  tool_calls: [
    head
      ? { index, id: head.id, type: "function", function: { name: head.name, arguments: args } }
      : { index, function: { arguments: args } },
  ],
});

/** Two parallel calls whose argument deltas interleave, after some text. */
const interleavedTools = [
  chunk({ role: "assistant", content: "Let me check." }),
  chunk(call(0, "", { id: "call_paris", name: "get_weather" })),
  chunk(call(0, '{"city":')),
  chunk(call(1, "", { id: "call_oslo", name: "get_weather" })),
  chunk(call(1, '{"city":"Os')),
  chunk(call(0, '"Paris", "note": "a } in \\"quotes\\""')),
  chunk(call(1, 'lo"}')),
  chunk(call(0, "}")),
  chunk({}, "tool_calls"),
  USAGE_CHUNK,
];

/** How OpenAI really sends parallel calls: one after the other. */
const sequentialTools = [
  chunk({ role: "assistant", content: null }),
  chunk(call(0, "", { id: "call_1", name: "read_file" })),
  chunk(call(0, '{"path"')),
  chunk(call(0, ':"a.ts"}')),
  chunk(call(1, "", { id: "call_2", name: "read_file" })),
  chunk(call(1, '{"path"')),
  chunk(call(1, ':"b.ts"}')),
  chunk({}, "tool_calls"),
  USAGE_CHUNK,
];

function translate(input: string, how: "whole" | "bytes" | number = "whole") {
  const t = createOpenAIToAnthropicStream({
    model: "claude-sonnet-4-5",
    inputTokenEstimate: 900,
    messageId: "msg_test",
  });
  const out = run(t, split(bytes(input), how), () => t.finish());
  return { t, out, events: parseSse(out) };
}

/** Anthropic's rules: message_start first; blocks 0,1,2… each opened, fed and closed before the next. */
function expectWellFormed(events: SseEvent[]): void {
  expect(events[0]?.event).toBe("message_start");
  expect(events.at(-2)?.event).toBe("message_delta");
  expect(events.at(-1)?.event).toBe("message_stop");
  let open: number | null = null;
  let next = 0;
  for (const e of events.slice(1, -2)) {
    const index = e.data.index;
    if (e.event === "content_block_start") {
      expect(open).toBeNull();
      expect(index).toBe(next);
      open = next++;
    } else if (e.event === "content_block_delta") {
      expect(index).toBe(open as number);
    } else if (e.event === "content_block_stop") {
      expect(index).toBe(open as number);
      open = null;
    } else {
      expect(e.event).toBe("ping");
    }
  }
  expect(open).toBeNull();
}

/** Each block's content, rebuilt from the events. */
function blocks(
  events: SseEvent[],
): Array<{ type: string; text?: string; id?: string; name?: string; json?: string }> {
  const out: Array<{ type: string; text?: string; id?: string; name?: string; json?: string }> = [];
  for (const e of events) {
    if (e.event === "content_block_start") {
      const b = e.data.content_block as { type: string; id?: string; name?: string };
      out.push(
        b.type === "text" ? { type: "text", text: "" } : { type: b.type, id: b.id, name: b.name, json: "" },
      );
    } else if (e.event === "content_block_delta") {
      const d = e.data.delta as { type: string; text?: string; partial_json?: string };
      const b = out[e.data.index as number];
      if (!b) throw new Error("delta for an unknown block");
      if (d.type === "text_delta") b.text += d.text ?? "";
      else b.json += d.partial_json ?? "";
    }
  }
  return out;
}

describe("createOpenAIToAnthropicStream", () => {
  test("text: Anthropic's exact event sequence, identical for every way the input is split", () => {
    const whole = translate(sse(textStream));
    expectWellFormed(whole.events);
    expect(whole.events.map((e) => e.event)).toEqual([
      "message_start",
      "content_block_start",
      "content_block_delta",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    expect(whole.events[0]?.data.message).toMatchObject({
      id: "msg_test",
      model: "claude-sonnet-4-5",
      role: "assistant",
      content: [],
      usage: { input_tokens: 900, output_tokens: 1 },
    });
    expect(blocks(whole.events)).toEqual([{ type: "text", text: "Hello, wörld ✓" }]);
    expect(whole.events.at(-2)?.data).toEqual({
      type: "message_delta",
      delta: { stop_reason: "end_turn", stop_sequence: null },
      usage: {
        input_tokens: 200,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 1000,
        output_tokens: 42,
      },
    });
    expect(whole.t.finished).toBe(true);
    expect(whole.t.usageReported).toBe(true);
    expect(whole.t.usage).toEqual({
      inputTokens: 200,
      outputTokens: 42,
      cacheCreationInputTokens: 0,
      cacheCreation1hInputTokens: 0,
      cacheReadInputTokens: 1000,
    });
    for (const how of SPLITS) expect(text(translate(sse(textStream), how).out)).toBe(text(whole.out));
  });

  test("CRLF line endings and keep-alive comments change nothing", () => {
    const plain = text(translate(sse(textStream)).out);
    for (const how of SPLITS) {
      expect(text(translate(sse(textStream, { crlf: true, keepAlive: true }), how).out)).toBe(plain);
    }
  });

  test("interleaved parallel tool calls: one block per index, text closed first, every block closed", () => {
    const whole = translate(sse(interleavedTools));
    expectWellFormed(whole.events);
    const got = blocks(whole.events);
    expect(got.map(({ json: _json, ...b }) => b)).toEqual([
      { type: "text", text: "Let me check." },
      { type: "tool_use", id: "call_paris", name: "get_weather" },
      { type: "tool_use", id: "call_oslo", name: "get_weather" },
    ]);
    expect(JSON.parse(got[1]?.json ?? "")).toEqual({ city: "Paris", note: 'a } in "quotes"' });
    expect(JSON.parse(got[2]?.json ?? "")).toEqual({ city: "Oslo" });
    expect(whole.events.at(-2)?.data.delta).toEqual({ stop_reason: "tool_use", stop_sequence: null });
    for (const how of SPLITS) expect(text(translate(sse(interleavedTools), how).out)).toBe(text(whole.out));
  });

  test("sequential tool calls stream live: a call's block closes as soon as its JSON is complete", () => {
    const { events } = translate(sse(sequentialTools));
    expectWellFormed(events);
    const kinds = events.map((e) => `${e.event}:${e.data.index ?? ""}`);
    expect(kinds).toEqual([
      "message_start:",
      "content_block_start:0",
      "content_block_delta:0",
      "content_block_delta:0",
      "content_block_stop:0",
      "content_block_start:1",
      "content_block_delta:1",
      "content_block_delta:1",
      "content_block_stop:1",
      "message_delta:",
      "message_stop:",
    ]);
    expect(blocks(events).map((b) => JSON.parse(b.json ?? ""))).toEqual([{ path: "a.ts" }, { path: "b.ts" }]);
  });

  test("message_delta waits for the usage chunk that follows finish_reason", () => {
    const t = createOpenAIToAnthropicStream({ model: "claude-sonnet-4-5", inputTokenEstimate: 900 });
    const head = text(t.push(bytes(sse(textStream.slice(0, 5), { done: false }))));
    expect(head).toContain("event: content_block_stop");
    expect(head).not.toContain("message_delta");
    expect(t.finished).toBe(false);
    const tail = parseSse(t.push(bytes(sse([USAGE_CHUNK]))));
    expect(tail.map((e) => e.event)).toEqual(["message_delta", "message_stop"]);
    expect(tail[0]?.data.usage).toMatchObject({
      input_tokens: 200,
      cache_read_input_tokens: 1000,
      output_tokens: 42,
    });
    expect(t.push(bytes("data: {}\n\n")).length).toBe(0);
  });

  test("finish() without [DONE] or usage closes the message with an estimate", () => {
    const t = createOpenAIToAnthropicStream({ model: "m", inputTokenEstimate: 900 });
    const out = parseSse(run(t, [bytes(sse(textStream.slice(0, 3), { done: false }))], () => t.finish()));
    expectWellFormed(out);
    expect(t.usageReported).toBe(false);
    expect(t.usage).toMatchObject({ inputTokens: 900, outputTokens: 2 }); // "Hello, " is 7 chars
    expect(t.stopReason).toBe("end_turn");
    expect(t.finish().length).toBe(0);
  });

  test("stop reasons: length, content_filter, refusal", () => {
    const reason = (chunks: ChatCompletionChunk[]) => translate(sse(chunks)).t.stopReason;
    expect(reason([chunk({ content: "Once" }), chunk({}, "length"), USAGE_CHUNK])).toBe("max_tokens");
    expect(reason([chunk({ content: "" }), chunk({}, "content_filter")])).toBe("refusal");
    expect(reason([chunk({ refusal: "I can't help with that." }), chunk({}, "stop")])).toBe("refusal");
  });

  test("an error object mid-stream becomes an Anthropic error event and ends the stream", () => {
    const input = `${sse(textStream.slice(0, 2), { done: false })}data: {"error":{"message":"The server had an error","type":"server_error","code":null}}\n\n`;
    for (const how of SPLITS) {
      const { t, events } = translate(input, how);
      expect(events.at(-1)).toEqual({
        event: "error",
        data: { type: "error", error: { type: "api_error", message: "The server had an error" } },
      });
      expect(events.some((e) => e.event === "message_stop")).toBe(false);
      expect(t.finished).toBe(true);
    }
  });

  test("malformed chunks are skipped, never thrown", () => {
    const junk = [
      "null",
      "42",
      "not json",
      '{"choices":[null]}',
      '{"choices":[{"delta":"x"}]}',
      '{"choices":[{"index":0,"delta":{"tool_calls":[null,7]}}]}',
    ]
      .map((d) => `data: ${d}\n\n`)
      .join("");
    const { events } = translate(junk + sse(textStream));
    expectWellFormed(events);
    expect(blocks(events)).toEqual([{ type: "text", text: "Hello, wörld ✓" }]);
  });

  test("error() and ping() from the proxy", () => {
    const t = createOpenAIToAnthropicStream({ model: "m", inputTokenEstimate: 1 });
    t.push(bytes(sse(textStream.slice(0, 2), { done: false })));
    expect(text(t.ping())).toBe('event: ping\ndata: {"type": "ping"}\n\n');
    expect(parseSse(t.error("overloaded_error", "Upstream timed out"))).toEqual([
      {
        event: "error",
        data: { type: "error", error: { type: "overloaded_error", message: "Upstream timed out" } },
      },
    ]);
    expect(t.finished).toBe(true);
    expect(t.ping().length).toBe(0);
    expect(t.finish().length).toBe(0);
  });
});

describe("the official Anthropic SDK reads the translated stream", () => {
  async function finalMessage(input: string) {
    const t = createOpenAIToAnthropicStream({ model: "claude-sonnet-4-5", inputTokenEstimate: 900 });
    const out = run(t, split(bytes(input), 7), () => t.finish());
    const server = serveBytes(out, "text/event-stream");
    try {
      const client = new Anthropic({ baseURL: server.url, apiKey: "x", maxRetries: 0 });
      return await client.messages
        .stream({ model: "claude-opus-4-8", max_tokens: 1024, messages: [{ role: "user", content: "hi" }] })
        .finalMessage();
    } finally {
      server.stop();
    }
  }

  test("text, stop_reason and the real usage", async () => {
    const msg = await finalMessage(sse(textStream));
    expect(msg.content).toMatchObject([{ type: "text", text: "Hello, wörld ✓" }]);
    expect(msg.stop_reason).toBe("end_turn");
    expect(msg.model).toBe("claude-sonnet-4-5");
    expect(msg.usage).toMatchObject({ input_tokens: 200, output_tokens: 42, cache_read_input_tokens: 1000 });
  });

  test("interleaved parallel tool calls arrive as complete tool_use inputs", async () => {
    const msg = await finalMessage(sse(interleavedTools));
    expect(msg.stop_reason).toBe("tool_use");
    expect(msg.content).toMatchObject([
      { type: "text", text: "Let me check." },
      {
        type: "tool_use",
        id: "call_paris",
        name: "get_weather",
        input: { city: "Paris", note: 'a } in "quotes"' },
      },
      { type: "tool_use", id: "call_oslo", name: "get_weather", input: { city: "Oslo" } },
    ]);
  });
});
