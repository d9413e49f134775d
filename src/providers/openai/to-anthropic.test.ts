import { describe, expect, test } from "bun:test";
import type { ChatCompletion } from "openai/resources/chat/completions";
import {
  mapFinishReason,
  openAIToAnthropicMessage,
  openAIUsage,
  parseToolArguments,
} from "./to-anthropic.ts";

/** A realistic chat.completion, typed against the official SDK. */
function completion(
  message: Partial<ChatCompletion.Choice["message"]>,
  finish: ChatCompletion.Choice["finish_reason"],
): ChatCompletion {
  return {
    id: "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
    object: "chat.completion",
    created: 1_741_569_952,
    model: "gpt-4o-2024-08-06",
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: null, refusal: null, annotations: [], ...message },
        logprobs: null,
        finish_reason: finish,
      },
    ],
    usage: {
      prompt_tokens: 1200,
      completion_tokens: 50,
      total_tokens: 1250,
      prompt_tokens_details: { cached_tokens: 1000, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: 0,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    },
    service_tier: "default",
    system_fingerprint: "fp_fc9f1d7035",
  };
}

describe("openAIUsage", () => {
  test("prompt_tokens includes the cached part: it is split off into cache reads", () => {
    expect(
      openAIUsage({
        prompt_tokens: 1200,
        completion_tokens: 50,
        prompt_tokens_details: { cached_tokens: 1000 },
      }),
    ).toEqual({
      inputTokens: 200,
      outputTokens: 50,
      cacheCreationInputTokens: 0,
      cacheCreation1hInputTokens: 0,
      cacheReadInputTokens: 1000,
    });
  });

  test("missing details, nulls and nonsense never produce negative or fractional counts", () => {
    expect(openAIUsage({ prompt_tokens: 10, completion_tokens: 2 })).toMatchObject({
      inputTokens: 10,
      outputTokens: 2,
      cacheReadInputTokens: 0,
    });
    expect(openAIUsage({ prompt_tokens: 10, prompt_tokens_details: { cached_tokens: 50 } })).toMatchObject({
      inputTokens: 0,
      cacheReadInputTokens: 10,
    });
    expect(openAIUsage(null).inputTokens).toBe(0);
    expect(openAIUsage({ prompt_tokens: -3, completion_tokens: 2.7 })).toMatchObject({
      inputTokens: 0,
      outputTokens: 2,
    });
  });
});

describe("mapFinishReason", () => {
  test("each OpenAI finish_reason", () => {
    expect(mapFinishReason("stop")).toBe("end_turn");
    expect(mapFinishReason("length")).toBe("max_tokens");
    expect(mapFinishReason("tool_calls")).toBe("tool_use");
    expect(mapFinishReason("function_call")).toBe("tool_use");
    expect(mapFinishReason("content_filter")).toBe("refusal");
    expect(mapFinishReason(null)).toBe("end_turn");
    // Some OpenAI-compatible servers say "stop" after calling tools.
    expect(mapFinishReason("stop", { toolCalls: true })).toBe("tool_use");
    expect(mapFinishReason("length", { toolCalls: true })).toBe("max_tokens");
    expect(mapFinishReason("stop", { refusal: true })).toBe("refusal");
  });
});

describe("openAIToAnthropicMessage", () => {
  test("a text reply: client's model name, msg_ id, end_turn, usage in Anthropic's accounting", () => {
    const msg = openAIToAnthropicMessage(completion({ content: "Bonjour !" }, "stop"), {
      model: "claude-sonnet-4-5",
    });
    expect(msg.id).toMatch(/^msg_01[0-9A-Za-z]{24}$/);
    expect(msg).toMatchObject({
      type: "message",
      role: "assistant",
      model: "claude-sonnet-4-5",
      content: [{ type: "text", text: "Bonjour !" }],
      stop_reason: "end_turn",
      stop_sequence: null,
      usage: {
        input_tokens: 200,
        output_tokens: 50,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 1000,
      },
    });
  });

  test("tool calls become tool_use blocks with their ids and parsed input", () => {
    const msg = openAIToAnthropicMessage(
      completion(
        {
          content: "Checking.",
          tool_calls: [
            {
              id: "call_abc",
              type: "function",
              function: { name: "get_weather", arguments: '{"city":"Paris","days":[1,2]}' },
            },
            {
              id: "call_def",
              type: "function",
              function: { name: "get_time", arguments: '{"tz":"Europe/Os' },
            },
            { id: "call_ghi", type: "function", function: { name: "ping", arguments: "" } },
          ],
        },
        "tool_calls",
      ),
      { model: "claude-haiku-4-5", messageId: "msg_fixed" },
    );
    expect(msg.id).toBe("msg_fixed");
    expect(msg.stop_reason).toBe("tool_use");
    expect(msg.content).toEqual([
      { type: "text", text: "Checking." },
      { type: "tool_use", id: "call_abc", name: "get_weather", input: { city: "Paris", days: [1, 2] } },
      // Truncated arguments: an object is required, so `{}` (see parseToolArguments).
      { type: "tool_use", id: "call_def", name: "get_time", input: {} },
      { type: "tool_use", id: "call_ghi", name: "ping", input: {} },
    ]);
  });

  test("a refusal is text with stop_reason refusal; length is max_tokens", () => {
    const refused = openAIToAnthropicMessage(completion({ refusal: "I can't help with that." }, "stop"), {
      model: "m",
    });
    expect(refused.content).toEqual([{ type: "text", text: "I can't help with that." }]);
    expect(refused.stop_reason).toBe("refusal");
    const cut = openAIToAnthropicMessage(completion({ content: "Once upon" }, "length"), { model: "m" });
    expect(cut.stop_reason).toBe("max_tokens");
  });

  test("a reply without choices or usage is still a well-formed message", () => {
    const msg = openAIToAnthropicMessage({ id: "x", choices: [] }, { model: "m" });
    expect(msg.content).toEqual([]);
    expect(msg.stop_reason).toBe("end_turn");
    expect(msg.usage).toEqual({
      input_tokens: 0,
      output_tokens: 0,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    });
  });

  test("parseToolArguments keeps only JSON objects", () => {
    expect(parseToolArguments('{"a":1}')).toEqual({ a: 1 });
    expect(parseToolArguments("[1]")).toEqual({});
    expect(parseToolArguments("not json")).toEqual({});
    expect(parseToolArguments(undefined)).toEqual({});
  });
});
