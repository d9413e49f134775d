import { describe, expect, test } from "bun:test";
import type { ChatCompletion } from "openai/resources/chat/completions";
import type { AnthropicMessage } from "../../providers/translate/anthropic-types.ts";
import { TOOL_MESSAGE } from "./anthropic-fixtures.ts";
import { anthropicMessageToChatCompletion, chatFinishReason, chatUsageJson } from "./reply.ts";

describe("anthropicMessageToChatCompletion", () => {
  test("text and tool calls, finish_reason and usage, in a shape the SDK's types accept", () => {
    const out: ChatCompletion = anthropicMessageToChatCompletion(TOOL_MESSAGE, {
      model: "claude-sonnet-4-5",
      id: "chatcmpl-1",
      created: 1_700_000_000,
    });
    expect(out).toEqual({
      id: "chatcmpl-1",
      object: "chat.completion",
      created: 1_700_000_000,
      model: "claude-sonnet-4-5",
      choices: [
        {
          index: 0,
          message: {
            role: "assistant",
            content: "Let me check.",
            refusal: null,
            tool_calls: [
              {
                id: "toolu_01A",
                type: "function",
                function: { name: "weather", arguments: '{"city":"Paris"}' },
              },
            ],
          },
          finish_reason: "tool_calls",
          logprobs: null,
        },
      ],
      usage: {
        prompt_tokens: 125,
        completion_tokens: 30,
        total_tokens: 155,
        prompt_tokens_details: { cached_tokens: 100, cache_write_tokens: 5 },
        completion_tokens_details: { reasoning_tokens: 0 },
      },
    });
  });

  test("tool calls alone leave content null; thinking blocks are not shown", () => {
    const message = {
      ...TOOL_MESSAGE,
      content: [
        { type: "thinking", thinking: "hmm", signature: "sig" },
        { type: "tool_use", id: "t", name: "f", input: {} },
      ],
    } as unknown as AnthropicMessage;
    const choice = anthropicMessageToChatCompletion(message, { model: "m" }).choices[0];
    expect(choice?.message.content).toBeNull();
    expect(choice?.message.tool_calls).toEqual([
      { id: "t", type: "function", function: { name: "f", arguments: "{}" } },
    ]);
  });

  test("a fresh id and the current time when none are given", () => {
    const out = anthropicMessageToChatCompletion({ ...TOOL_MESSAGE, content: [] }, { model: "m" });
    expect(out.id).toMatch(/^chatcmpl-[0-9A-Za-z]{29}$/);
    expect(Math.abs(out.created - Date.now() / 1000)).toBeLessThan(5);
    expect(out.choices[0]?.message.content).toBe("");
    expect(out.choices[0]?.finish_reason).toBe("tool_calls");
  });

  test("finish reasons", () => {
    expect(chatFinishReason("end_turn")).toBe("stop");
    expect(chatFinishReason("stop_sequence")).toBe("stop");
    expect(chatFinishReason("max_tokens")).toBe("length");
    expect(chatFinishReason("tool_use")).toBe("tool_calls");
    expect(chatFinishReason("refusal")).toBe("content_filter");
    expect(chatFinishReason("pause_turn")).toBe("stop");
    expect(chatFinishReason(null)).toBe("stop");
  });

  test("usage: every prompt token in prompt_tokens, cache reads as cached_tokens", () => {
    expect(
      chatUsageJson({
        inputTokens: 7,
        outputTokens: 11,
        cacheCreationInputTokens: 300,
        cacheCreation1hInputTokens: 100,
        cacheReadInputTokens: 2000,
      }),
    ).toEqual({
      prompt_tokens: 2307,
      completion_tokens: 11,
      total_tokens: 2318,
      prompt_tokens_details: { cached_tokens: 2000, cache_write_tokens: 300 },
      completion_tokens_details: { reasoning_tokens: 0 },
    });
  });
});
