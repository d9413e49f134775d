import { describe, expect, test } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import { bytes, parseSse, run, SPLITS, serveBytes, split, text } from "../translate/testing.ts";
import { createOllamaToAnthropicStream } from "./stream-to-anthropic.ts";

const line = (o: object): string => `${JSON.stringify(o)}\n`;
const at = "2023-08-04T08:52:19.385406455-07:00";
const piece = (content: string, extra: object = {}) =>
  line({ model: "llama3.2", created_at: at, message: { role: "assistant", content, ...extra }, done: false });
const done = (reason: string, prompt = 26, out = 282) =>
  line({
    model: "llama3.2",
    created_at: at,
    message: { role: "assistant", content: "" },
    done_reason: reason,
    done: true,
    total_duration: 4_883_583_458,
    load_duration: 1_334_875,
    prompt_eval_count: prompt,
    prompt_eval_duration: 342_546_000,
    eval_count: out,
    eval_duration: 4_535_599_000,
  });

const textStream =
  piece("", { thinking: "Let me think about the sky." }) +
  piece("The") +
  piece(" sky is") +
  piece(" blue ✓") +
  done("stop");
const toolStream =
  piece("Checking both.") +
  piece("", {
    tool_calls: [
      { function: { name: "get_weather", arguments: { city: "Paris" } } },
      { function: { name: "get_weather", arguments: { city: "Oslo", unit: "C" } } },
    ],
  }) +
  done("stop", 122, 33);

function translate(input: string, how: "whole" | "bytes" | number = "whole") {
  const t = createOllamaToAnthropicStream({
    model: "claude-sonnet-4-5",
    inputTokenEstimate: 50,
    messageId: "msg_o",
  });
  const out = run(t, split(bytes(input), how), () => t.finish());
  return { t, out, events: parseSse(out) };
}

/** Tool ids are random; everything else must not depend on how the input was split. */
const normalized = (out: Uint8Array) => text(out).replace(/toolu_01[0-9A-Za-z]{24}/g, "toolu_X");

describe("createOllamaToAnthropicStream", () => {
  test("text deltas, then message_delta with usage from the done line; thinking is not forwarded", () => {
    const whole = translate(textStream);
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
      id: "msg_o",
      usage: { input_tokens: 50, output_tokens: 1 },
    });
    expect(whole.events.at(-2)?.data).toEqual({
      type: "message_delta",
      delta: { stop_reason: "end_turn", stop_sequence: null },
      usage: {
        input_tokens: 26,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        output_tokens: 282,
      },
    });
    expect(text(whole.out)).not.toContain("sky.");
    expect(whole.t.usageReported).toBe(true);
    expect(whole.t.usage).toMatchObject({ inputTokens: 26, outputTokens: 282 });
    expect(whole.t.finished).toBe(true);
    for (const how of SPLITS) expect(text(translate(textStream, how).out)).toBe(text(whole.out));
    // The done line ends the message: later bytes produce nothing.
    expect(whole.t.push(bytes(piece("late"))).length).toBe(0);
  });

  test("tool calls: one complete block each with a synthesized id, text closed first, tool_use", () => {
    const whole = translate(toolStream);
    const kinds = whole.events.map((e) => `${e.event}:${e.data.index ?? ""}`);
    expect(kinds).toEqual([
      "message_start:",
      "content_block_start:0",
      "content_block_delta:0",
      "content_block_stop:0",
      "content_block_start:1",
      "content_block_delta:1",
      "content_block_stop:1",
      "content_block_start:2",
      "content_block_delta:2",
      "content_block_stop:2",
      "message_delta:",
      "message_stop:",
    ]);
    expect(whole.events[4]?.data.content_block).toMatchObject({
      type: "tool_use",
      name: "get_weather",
      input: {},
    });
    expect(whole.events[5]?.data.delta).toEqual({
      type: "input_json_delta",
      partial_json: '{"city":"Paris"}',
    });
    expect(whole.t.stopReason).toBe("tool_use");
    for (const how of SPLITS) expect(normalized(translate(toolStream, how).out)).toBe(normalized(whole.out));
  });

  test("malformed lines are skipped, never thrown", () => {
    const junk = [
      "null",
      "42",
      "not json",
      '{"message":"x"}',
      '{"message":{"tool_calls":[null,{"function":7}]}}',
    ].join("\n");
    const { events } = translate(`${junk}\n${textStream}`);
    expect(events.at(-1)?.event).toBe("message_stop");
    expect(events.filter((e) => e.event === "content_block_start")).toHaveLength(1);
  });

  test("length is max_tokens", () => {
    expect(translate(piece("Once upon") + done("length")).t.stopReason).toBe("max_tokens");
  });

  test("an error line mid-stream becomes an Anthropic error event and ends the stream", () => {
    const input = `${piece("The")}${line({ error: "an error was encountered while running the model: unexpected EOF" })}`;
    for (const how of SPLITS) {
      const { t, events } = translate(input, how);
      expect(events.at(-1)).toEqual({
        event: "error",
        data: {
          type: "error",
          error: {
            type: "api_error",
            message: "an error was encountered while running the model: unexpected EOF",
          },
        },
      });
      expect(events.some((e) => e.event === "message_stop")).toBe(false);
      expect(t.finished).toBe(true);
      expect(t.usageReported).toBe(false);
      expect(t.usage.inputTokens).toBe(50);
    }
  });

  test("finish() before the done line closes the message with an estimate", () => {
    const t = createOllamaToAnthropicStream({ model: "m", inputTokenEstimate: 50 });
    const events = parseSse(run(t, [bytes(piece("The sky"))], () => t.finish()));
    expect(events.map((e) => e.event).slice(-3)).toEqual([
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    expect(t.usageReported).toBe(false);
    expect(t.usage).toMatchObject({ inputTokens: 50, outputTokens: 2 });
  });
});

describe("the official Anthropic SDK reads the translated Ollama stream", () => {
  test("text, tool inputs, stop_reason and usage", async () => {
    const t = createOllamaToAnthropicStream({ model: "claude-opus-4-8", inputTokenEstimate: 50 });
    const out = run(t, split(bytes(toolStream), 5), () => t.finish());
    const server = serveBytes(out, "text/event-stream");
    try {
      const client = new Anthropic({ baseURL: server.url, apiKey: "x", maxRetries: 0 });
      const msg = await client.messages
        .stream({ model: "claude-opus-4-8", max_tokens: 100, messages: [{ role: "user", content: "hi" }] })
        .finalMessage();
      expect(msg.content).toMatchObject([
        { type: "text", text: "Checking both." },
        { type: "tool_use", name: "get_weather", input: { city: "Paris" } },
        { type: "tool_use", name: "get_weather", input: { city: "Oslo", unit: "C" } },
      ]);
      expect(msg.stop_reason).toBe("tool_use");
      expect(msg.usage).toMatchObject({ input_tokens: 122, output_tokens: 33 });
    } finally {
      server.stop();
    }
  });
});
