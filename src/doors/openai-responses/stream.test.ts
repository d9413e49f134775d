import { describe, expect, test } from "bun:test";
import OpenAI from "openai";
import { bytes, parseSse, run, SPLITS, serveBytes, split } from "../../providers/translate/testing.ts";
import {
  anthropicSse,
  ERROR_STREAM,
  LENGTH_STREAM,
  messageStart,
  TEXT_STREAM,
  TOOL_STREAM,
} from "../openai-chat/anthropic-fixtures.ts";
import { CODEX_TURN_2 } from "./codex-fixture.ts";
import { decodeThinking } from "./reasoning.ts";
import { createAnthropicToResponsesStream, errorCode } from "./stream.ts";

const opts = { model: "claude-sonnet-4-5", id: "resp_1", createdAt: 1_700_000_000 };

function translate(input: string, how: "whole" | "bytes" | number = "whole", request?: unknown) {
  const t = createAnthropicToResponsesStream({ ...opts, request });
  const out = run(t, split(bytes(input), how), () => t.finish());
  const events = parseSse(out);
  return { t, events, types: events.map((e) => e.event) };
}

/** The output items of the terminal event's response. */
const finalOutput = (events: ReturnType<typeof parseSse>): Array<Record<string, unknown>> =>
  ((events.at(-1)?.data.response ?? { output: [] }) as { output: Array<Record<string, unknown>> }).output;

/** Every event names itself twice (event line and `type`), and sequence numbers count from 0. */
function expectWellFormed(events: ReturnType<typeof parseSse>): void {
  events.forEach((e, i) => {
    expect(e.data.type).toBe(e.event);
    expect(e.data.sequence_number).toBe(i);
  });
}

describe("createAnthropicToResponsesStream", () => {
  test("text: the full event sequence, the same however the bytes are split", () => {
    const expected = [
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ];
    for (const how of SPLITS) {
      const { t, events, types } = translate(TEXT_STREAM, how);
      expect(types).toEqual(expected);
      expectWellFormed(events);
      expect(t.finished).toBe(true);
      expect(t.sawError).toBe(false);
      expect(t.usage).toEqual({
        inputTokens: 12,
        outputTokens: 42,
        cacheCreationInputTokens: 200,
        cacheCreation1hInputTokens: 50,
        cacheReadInputTokens: 1000,
      });
    }
    const { events } = translate(TEXT_STREAM);
    expect(events[0]?.data.response).toMatchObject({
      id: "resp_1",
      status: "in_progress",
      output: [],
      usage: null,
    });
    expect(events[6]?.data).toMatchObject({ text: "Hello, wörld ✓", output_index: 0, content_index: 0 });
    const done = events.at(-1)?.data.response as Record<string, unknown>;
    expect(done).toMatchObject({
      status: "completed",
      output: [
        { type: "message", status: "completed", content: [{ type: "output_text", text: "Hello, wörld ✓" }] },
      ],
      usage: {
        input_tokens: 1212,
        input_tokens_details: { cached_tokens: 1000, cache_write_tokens: 200 },
        output_tokens: 42,
        total_tokens: 1254,
      },
    });
  });

  test("thinking, text and two function calls: items in order, arguments deltas and done", () => {
    for (const how of SPLITS) {
      const { events, types } = translate(TOOL_STREAM, how, CODEX_TURN_2);
      expectWellFormed(events);
      expect(types).toEqual([
        "response.created",
        "response.in_progress",
        "response.output_item.added",
        "response.reasoning_summary_part.added",
        "response.reasoning_summary_text.delta",
        "response.reasoning_summary_text.done",
        "response.reasoning_summary_part.done",
        "response.output_item.done",
        "response.output_item.added",
        "response.content_part.added",
        "response.output_text.delta",
        "response.output_text.done",
        "response.content_part.done",
        "response.output_item.done",
        "response.output_item.added",
        "response.function_call_arguments.delta",
        "response.function_call_arguments.delta",
        "response.function_call_arguments.done",
        "response.output_item.done",
        "response.output_item.added",
        "response.function_call_arguments.delta",
        "response.function_call_arguments.done",
        "response.output_item.done",
        "response.completed",
      ]);
      const output = finalOutput(events);
      expect(output.map((o) => o.type)).toEqual(["reasoning", "message", "function_call", "function_call"]);
      expect(output[2]).toMatchObject({
        call_id: "toolu_01A",
        name: "weather",
        arguments: '{"city": "Paris", "note": "a } in \\"quotes\\""}',
        status: "completed",
      });
      expect(events[17]?.data.arguments).toBe(output[2]?.arguments);
      expect(output.map((o) => o.id)).toEqual(
        events
          .filter((e) => e.event === "response.output_item.added")
          .map((e) => (e.data.item as { id: string }).id),
      );
      // Codex asked for encrypted reasoning: the signed thinking block is in it.
      expect(decodeThinking(output[0]?.encrypted_content)).toEqual({
        type: "thinking",
        thinking: "Two cities.",
        signature: "EqQBCgIYAhIM",
      });
    }
  });

  test("custom tools get their raw input; empty tool input is {}", () => {
    const sse = anthropicSse([
      messageStart(),
      {
        type: "content_block_start",
        index: 0,
        content_block: { type: "tool_use", id: "t1", name: "apply_patch", input: {} },
      },
      {
        type: "content_block_delta",
        index: 0,
        delta: { type: "input_json_delta", partial_json: '{"input":"*** Begin' },
      },
      {
        type: "content_block_delta",
        index: 0,
        delta: { type: "input_json_delta", partial_json: ' Patch\\n"}' },
      },
      { type: "content_block_stop", index: 0 },
      {
        type: "content_block_start",
        index: 1,
        content_block: { type: "tool_use", id: "t2", name: "exec_command", input: {} },
      },
      { type: "content_block_stop", index: 1 },
      { type: "message_delta", delta: { stop_reason: "tool_use" }, usage: { output_tokens: 9 } },
      { type: "message_stop" },
    ]);
    const { events } = translate(sse, 7, CODEX_TURN_2);
    expect(events.find((e) => e.event === "response.custom_tool_call_input.done")?.data.input).toBe(
      "*** Begin Patch\n",
    );
    const output = finalOutput(events);
    expect(output[0]).toMatchObject({
      type: "custom_tool_call",
      call_id: "t1",
      name: "apply_patch",
      input: "*** Begin Patch\n",
    });
    expect(output[1]).toMatchObject({ type: "function_call", call_id: "t2", arguments: "{}" });
  });

  test("max_tokens ends in response.incomplete", () => {
    const { events } = translate(LENGTH_STREAM);
    expect(events.at(-1)?.event).toBe("response.incomplete");
    expect(events.at(-1)?.data.response).toMatchObject({
      status: "incomplete",
      incomplete_details: { reason: "max_output_tokens" },
    });
  });

  test("an Anthropic error event: error + response.failed, with a code Codex acts on", () => {
    for (const how of SPLITS) {
      const { t, events, types } = translate(ERROR_STREAM, how);
      expect(types.slice(-2)).toEqual(["error", "response.failed"]);
      expect(events.at(-2)?.data).toMatchObject({
        code: "server_is_overloaded",
        message: "Overloaded",
        param: null,
      });
      expect(events.at(-1)?.data.response).toMatchObject({
        status: "failed",
        error: { code: "server_is_overloaded", message: "Overloaded" },
      });
      expect(t.sawError).toBe(true);
      expect(t.finished).toBe(true);
    }
    expect(errorCode("rate_limit_error", "")).toBe("rate_limit_exceeded");
    expect(errorCode("invalid_request_error", "prompt is too long: 210000 tokens")).toBe(
      "context_length_exceeded",
    );
    expect(errorCode("api_error", "")).toBe("server_error");
  });

  test("error() from the pipeline, and a stream cut before its end", () => {
    const t = createAnthropicToResponsesStream(opts);
    t.push(bytes(TEXT_STREAM.slice(0, TEXT_STREAM.indexOf("wörld"))));
    const events = parseSse(t.error("The upstream connection was reset.", "server_error"));
    expect(events.map((e) => e.event)).toEqual(["error", "response.failed"]);
    expect(t.push(bytes(TEXT_STREAM)).length).toBe(0);
    expect(t.finish().length).toBe(0);
    const cut = translate(TEXT_STREAM.slice(0, TEXT_STREAM.indexOf("event: message_delta")));
    expect(cut.types.at(-1)).toBe("response.failed");
    expect(cut.t.sawError).toBe(true);
  });
});

describe("the official OpenAI SDK reads the translated stream", () => {
  async function final(input: string, request?: unknown) {
    const t = createAnthropicToResponsesStream({ ...opts, request });
    const server = serveBytes(
      run(t, split(bytes(input), 11), () => t.finish()),
      "text/event-stream",
    );
    try {
      const client = new OpenAI({ baseURL: server.url, apiKey: "x", maxRetries: 0 });
      const stream = client.responses.stream({ model: "claude-sonnet-4-5", input: "hi" });
      const deltas: string[] = [];
      stream.on("response.output_text.delta", (e) => deltas.push(e.delta));
      return { response: await stream.finalResponse(), deltas };
    } finally {
      server.stop();
    }
  }

  test("text, usage and output_text", async () => {
    const { response, deltas } = await final(TEXT_STREAM);
    expect(deltas).toEqual(["Hello, ", "wörld ✓"]);
    expect(response.output_text).toBe("Hello, wörld ✓");
    expect(response.usage).toMatchObject({ input_tokens: 1212, output_tokens: 42 });
  });

  test("function calls with whole arguments", async () => {
    const { response } = await final(TOOL_STREAM, CODEX_TURN_2);
    const calls = response.output.flatMap((o) =>
      o.type === "function_call" ? [[o.call_id, JSON.parse(o.arguments)]] : [],
    );
    expect(calls).toEqual([
      ["toolu_01A", { city: "Paris", note: 'a } in "quotes"' }],
      ["toolu_01B", { city: "Oslo" }],
    ]);
  });

  test("a failure surfaces as an error in the SDK", async () => {
    await expect(final(ERROR_STREAM)).rejects.toThrow("Overloaded");
  });

  test("responses.create({ stream: true }) iterates the raw events", async () => {
    const t = createAnthropicToResponsesStream(opts);
    const server = serveBytes(
      run(t, [bytes(TEXT_STREAM)], () => t.finish()),
      "text/event-stream",
    );
    try {
      const client = new OpenAI({ baseURL: server.url, apiKey: "x", maxRetries: 0 });
      const types: string[] = [];
      for await (const event of await client.responses.create({ model: "m", input: "hi", stream: true }))
        types.push(event.type);
      expect(types[0]).toBe("response.created");
      expect(types.at(-1)).toBe("response.completed");
    } finally {
      server.stop();
    }
  });
});
