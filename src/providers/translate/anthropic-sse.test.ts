import { expect, test } from "bun:test";
import { emptyUsage } from "../../pricing/usage.ts";
import { AnthropicSseWriter } from "./anthropic-sse.ts";
import { parseSse } from "./testing.ts";

test("one block open at a time, indexes counting up, everything closed before message_delta", () => {
  const w = new AnthropicSseWriter("claude-sonnet-4-5", "msg_1");
  w.start(10);
  w.text("a");
  w.text("b");
  w.toolStart("toolu_1", "f");
  w.toolInput('{"x":');
  w.toolInput("1}");
  w.text("c");
  w.end("tool_use", { ...emptyUsage(), inputTokens: 7, outputTokens: 3 });
  const events = parseSse(w.take());
  expect(events.map((e) => `${e.event}:${e.data.index ?? ""}`)).toEqual([
    "message_start:",
    "content_block_start:0",
    "content_block_delta:0",
    "content_block_delta:0",
    "content_block_stop:0",
    "content_block_start:1",
    "content_block_delta:1",
    "content_block_delta:1",
    "content_block_stop:1",
    "content_block_start:2",
    "content_block_delta:2",
    "content_block_stop:2",
    "message_delta:",
    "message_stop:",
  ]);
  expect(events[1]?.data.content_block).toEqual({ type: "text", text: "" });
  expect(events[5]?.data.content_block).toEqual({ type: "tool_use", id: "toolu_1", name: "f", input: {} });
  expect(w.take().length).toBe(0);
  w.text("after the end");
  w.toolStart("toolu_2", "g");
  w.error("api_error", "late");
  w.ping();
  expect(w.take().length).toBe(0);
});

test("text with quotes, newlines and unicode survives as JSON", () => {
  const w = new AnthropicSseWriter("m", "msg_1");
  w.text('say "hi"\n\t✓ \u2028');
  expect(parseSse(w.take())[1]?.data.delta).toEqual({ type: "text_delta", text: 'say "hi"\n\t✓ \u2028' });
});
