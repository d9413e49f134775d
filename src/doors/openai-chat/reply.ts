// Anthropic message (the pivot reply) → OpenAI chat.completion, with OpenAI's finish reasons and usage.

import type { Usage } from "../../pricing/usage.ts";
import { usageFromMessage } from "../../providers/anthropic/usage.ts";
import type { AnthropicMessage } from "../../providers/translate/anthropic-types.ts";
import { randomId } from "../../providers/translate/ids.ts";
import { isObject } from "./common.ts";

export type ChatFinishReason = "stop" | "length" | "tool_calls" | "content_filter";

export interface ChatUsageJson {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number; cache_write_tokens: number };
  completion_tokens_details: { reasoning_tokens: number };
}

export interface ChatToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export interface ChatCompletionJson {
  id: string;
  object: "chat.completion";
  created: number;
  model: string;
  choices: Array<{
    index: 0;
    message: {
      role: "assistant";
      content: string | null;
      refusal: null;
      tool_calls?: ChatToolCall[];
    };
    finish_reason: ChatFinishReason;
    logprobs: null;
  }>;
  usage: ChatUsageJson;
}

export interface ChatReplyOptions {
  /** The model the client asked for: OpenAI clients get their own name back. */
  model: string;
  /** Defaults to a fresh `chatcmpl-…` id. */
  id?: string;
  /** Unix seconds; defaults to now. */
  created?: number;
}

export const newChatId = (): string => randomId("chatcmpl-", 29);
export const unixSeconds = (): number => Math.floor(Date.now() / 1000);

/** Anthropic's stop reason in OpenAI's words; a pause (long server-tool turn) is a stop for the client. */
export function chatFinishReason(stop: string | null | undefined): ChatFinishReason {
  switch (stop) {
    case "max_tokens":
    case "model_context_window_exceeded":
      return "length";
    case "tool_use":
      return "tool_calls";
    case "refusal":
      return "content_filter";
    default:
      return "stop";
  }
}

/**
 * OpenAI counts every prompt token in `prompt_tokens` and says which were cache hits in `cached_tokens`;
 * Anthropic reports uncached input, cache reads and cache writes apart. Writes are prompt tokens too
 * (OpenAI has no separate write price to show them under).
 */
export function chatUsageJson(usage: Usage): ChatUsageJson {
  const prompt = usage.inputTokens + usage.cacheReadInputTokens + usage.cacheCreationInputTokens;
  return {
    prompt_tokens: prompt,
    completion_tokens: usage.outputTokens,
    total_tokens: prompt + usage.outputTokens,
    prompt_tokens_details: {
      cached_tokens: usage.cacheReadInputTokens,
      cache_write_tokens: usage.cacheCreationInputTokens,
    },
    // Anthropic does not count thinking apart from the answer.
    completion_tokens_details: { reasoning_tokens: 0 },
  };
}

/**
 * Text blocks become the message content (joined as Anthropic shows them), tool_use blocks tool_calls.
 * Thinking blocks are not shown: Chat Completions has no field for them, and they cannot come back.
 */
export function anthropicMessageToChatCompletion(
  message: AnthropicMessage,
  opts: ChatReplyOptions,
): ChatCompletionJson {
  let text = "";
  const calls: ChatToolCall[] = [];
  const blocks: unknown[] = Array.isArray(message.content) ? message.content : [];
  for (const block of blocks) {
    if (!isObject(block)) continue;
    if (block.type === "text" && typeof block.text === "string") text += block.text;
    else if (block.type === "tool_use" && typeof block.id === "string" && typeof block.name === "string") {
      calls.push({
        id: block.id,
        type: "function",
        function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) },
      });
    }
  }
  const finish = chatFinishReason(message.stop_reason);
  return {
    id: opts.id ?? newChatId(),
    object: "chat.completion",
    created: opts.created ?? unixSeconds(),
    model: opts.model,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: text === "" && calls.length > 0 ? null : text,
          refusal: null,
          ...(calls.length > 0 ? { tool_calls: calls } : {}),
        },
        finish_reason: calls.length > 0 && finish === "stop" ? "tool_calls" : finish,
        logprobs: null,
      },
    ],
    usage: chatUsageJson(usageFromMessage(message)),
  };
}
