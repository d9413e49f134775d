import { describe, expect, test } from "bun:test";
import { bytes, run, SPLITS, split, text } from "../../providers/translate/testing.ts";
import {
  ERROR_STREAM,
  LENGTH_STREAM,
  TEXT_STREAM,
  TOOL_MESSAGE,
  TOOL_STREAM,
} from "../openai-chat/anthropic-fixtures.ts";
import { anthropicToOllamaReply } from "./reply.ts";
import { createAnthropicToOllamaStream } from "./stream.ts";

const now = () => new Date("2026-01-01T00:00:00Z");

function lines(input: string, endpoint: "chat" | "generate", how: "whole" | "bytes" | number = "whole") {
  const t = createAnthropicToOllamaStream({ model: "claude-x", endpoint, now });
  const out = text(run(t, split(bytes(input), how), () => t.finish()));
  expect(out.endsWith("\n")).toBe(true);
  return out
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe("Anthropic SSE → Ollama NDJSON", () => {
  test("text deltas are lines; the done line carries the counts (cache reads and writes are prompt tokens)", () => {
    expect(lines(TEXT_STREAM, "chat")).toEqual([
      {
        model: "claude-x",
        created_at: "2026-01-01T00:00:00.000Z",
        message: { role: "assistant", content: "Hello, " },
        done: false,
      },
      {
        model: "claude-x",
        created_at: "2026-01-01T00:00:00.000Z",
        message: { role: "assistant", content: "wörld ✓" },
        done: false,
      },
      {
        model: "claude-x",
        created_at: "2026-01-01T00:00:00.000Z",
        message: { role: "assistant", content: "" },
        done: true,
        done_reason: "stop",
        prompt_eval_count: 1212,
        eval_count: 42,
      },
    ]);
  });

  test("the same lines whatever the chunk boundaries", () => {
    const expected = lines(TOOL_STREAM, "chat");
    for (const how of SPLITS) expect(lines(TOOL_STREAM, "chat", how)).toEqual(expected);
  });

  test("thinking, text, and each tool call whole with its arguments as an object", () => {
    const messages = lines(TOOL_STREAM, "chat").map((l) => l.message);
    expect(messages).toEqual([
      { role: "assistant", content: "", thinking: "Two cities." },
      { role: "assistant", content: "Let me check." },
      {
        role: "assistant",
        content: "",
        tool_calls: [
          { function: { name: "weather", arguments: { city: "Paris", note: 'a } in "quotes"' } } },
        ],
      },
      {
        role: "assistant",
        content: "",
        tool_calls: [{ function: { name: "weather", arguments: { city: "Oslo" } } }],
      },
      { role: "assistant", content: "" },
    ]);
    expect(lines(TOOL_STREAM, "chat").at(-1)?.done_reason).toBe("stop");
  });

  test("generate lines carry `response`; tool calls have no place there", () => {
    const out = lines(TOOL_STREAM, "generate");
    expect(out.map((l) => l.response)).toEqual(["", "Let me check.", ""]);
    expect(out[0]?.thinking).toBe("Two cities.");
    expect(out.at(-1)?.done).toBe(true);
  });

  test("max_tokens is Ollama's length; an error event is Ollama's error line", () => {
    expect(lines(LENGTH_STREAM, "chat").at(-1)?.done_reason).toBe("length");
    const err = lines(ERROR_STREAM, "chat");
    expect(err.at(-1)).toEqual({ error: "Overloaded" });
    expect(err.some((l) => l.done === true)).toBe(false);
  });

  test("keep-alive is an empty, not-done delta (NDJSON has no comments)", () => {
    const t = createAnthropicToOllamaStream({ model: "m", endpoint: "chat", now });
    expect(JSON.parse(text(t.keepAlive()))).toMatchObject({ message: { content: "" }, done: false });
  });
});

describe("Anthropic message → Ollama JSON", () => {
  test("chat: text, tool calls, done reason and counts", () => {
    expect(anthropicToOllamaReply(TOOL_MESSAGE, { model: "claude-x", endpoint: "chat", now: now() })).toEqual(
      {
        model: "claude-x",
        created_at: "2026-01-01T00:00:00.000Z",
        message: {
          role: "assistant",
          content: "Let me check.",
          tool_calls: [{ function: { name: "weather", arguments: { city: "Paris" } } }],
        },
        done: true,
        done_reason: "stop",
        prompt_eval_count: 125,
        eval_count: 30,
      },
    );
  });

  test("generate: the text as `response`", () => {
    const out = anthropicToOllamaReply(TOOL_MESSAGE, { model: "m", endpoint: "generate", now: now() });
    expect(out.response).toBe("Let me check.");
    expect(out.message).toBeUndefined();
  });
});
