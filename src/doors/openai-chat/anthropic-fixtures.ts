// Test fixtures: Anthropic Messages streams and replies as Anthropic sends them, for the door translators.

import type { AnthropicMessage } from "../../providers/translate/anthropic-types.ts";

type Event = Record<string, unknown> & { type: string };

/** One SSE event per object, named like its `type`, as Anthropic writes them. */
export const anthropicSse = (events: Event[]): string =>
  events.map((e) => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`).join("");

export const messageStart = (usage: Record<string, unknown> = {}): Event => ({
  type: "message_start",
  message: {
    id: "msg_01XFDUDYJgAACzvnptvVoYEL",
    type: "message",
    role: "assistant",
    model: "claude-sonnet-4-5-20250929",
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: {
      input_tokens: 12,
      cache_creation_input_tokens: 200,
      cache_read_input_tokens: 1000,
      cache_creation: { ephemeral_5m_input_tokens: 150, ephemeral_1h_input_tokens: 50 },
      output_tokens: 1,
      service_tier: "standard",
      ...usage,
    },
  },
});

const textBlock = (index: number, pieces: string[]): Event[] => [
  { type: "content_block_start", index, content_block: { type: "text", text: "" } },
  ...pieces.map((text) => ({ type: "content_block_delta", index, delta: { type: "text_delta", text } })),
  { type: "content_block_stop", index },
];

const toolBlock = (index: number, id: string, name: string, pieces: string[]): Event[] => [
  { type: "content_block_start", index, content_block: { type: "tool_use", id, name, input: {} } },
  ...pieces.map((partial_json) => ({
    type: "content_block_delta",
    index,
    delta: { type: "input_json_delta", partial_json },
  })),
  { type: "content_block_stop", index },
];

const end = (stop_reason: string, output_tokens: number): Event[] => [
  { type: "message_delta", delta: { stop_reason, stop_sequence: null }, usage: { output_tokens } },
  { type: "message_stop" },
];

/** Plain text: 12 uncached input, 1 000 cache reads, 200 cache writes (50 of them 1 h), 42 output. */
export const TEXT_STREAM = anthropicSse([
  messageStart(),
  { type: "ping" },
  ...textBlock(0, ["Hello, ", "wörld ✓"]),
  ...end("end_turn", 42),
]);

/** Thinking, then text, then two tool calls whose arguments arrive in pieces. */
export const TOOL_STREAM = anthropicSse([
  messageStart({ cache_creation_input_tokens: 0, cache_read_input_tokens: 0, cache_creation: null }),
  { type: "content_block_start", index: 0, content_block: { type: "thinking", thinking: "", signature: "" } },
  { type: "content_block_delta", index: 0, delta: { type: "thinking_delta", thinking: "Two cities." } },
  { type: "content_block_delta", index: 0, delta: { type: "signature_delta", signature: "EqQBCgIYAhIM" } },
  { type: "content_block_stop", index: 0 },
  ...textBlock(1, ["Let me check."]),
  ...toolBlock(2, "toolu_01A", "weather", ["", '{"city":', ' "Paris", "note": "a } in \\"quotes\\""}']),
  ...toolBlock(3, "toolu_01B", "weather", ['{"city":"Oslo"}']),
  ...end("tool_use", 77),
]);

/** Cut by an overload after some text. */
export const ERROR_STREAM = anthropicSse([
  messageStart(),
  ...textBlock(0, ["Partial"]).slice(0, 2),
  { type: "error", error: { type: "overloaded_error", message: "Overloaded" } },
]);

/** A reply cut at max_tokens. */
export const LENGTH_STREAM = anthropicSse([
  messageStart(),
  ...textBlock(0, ["Once upon"]),
  ...end("max_tokens", 3),
]);

/** A whole reply with text and a tool call, as `/v1/messages` returns it. */
export const TOOL_MESSAGE: AnthropicMessage = {
  id: "msg_01Aq9w938a90dw8q",
  type: "message",
  role: "assistant",
  model: "claude-sonnet-4-5-20250929",
  content: [
    { type: "text", text: "Let me check." },
    { type: "tool_use", id: "toolu_01A", name: "weather", input: { city: "Paris" } },
  ],
  stop_reason: "tool_use",
  stop_sequence: null,
  usage: {
    input_tokens: 20,
    output_tokens: 30,
    cache_creation_input_tokens: 5,
    cache_read_input_tokens: 100,
  },
};
