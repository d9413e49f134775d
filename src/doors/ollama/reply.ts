// Anthropic message (the pivot's answer) → Ollama's /api/chat and /api/generate JSON, and Ollama's stop reasons.

import type { Usage } from "../../pricing/usage.ts";
import type { AnthropicMessage, AnthropicStopReason } from "../../providers/translate/anthropic-types.ts";

export type OllamaEndpoint = "chat" | "generate";

/** Ollama knows "stop" and "length"; it says "stop" after tool calls too. */
export const ollamaDoneReason = (reason: AnthropicStopReason | string | null): string =>
  reason === "max_tokens" ? "length" : "stop";

/**
 * Ollama's token counts. Its prompt count includes everything the model read, so Anthropic's
 * separately counted cache reads and writes are added back in.
 */
export function ollamaCounts(usage: {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens?: number;
  cache_read_input_tokens?: number;
}): { prompt_eval_count: number; eval_count: number } {
  return {
    prompt_eval_count:
      usage.input_tokens + (usage.cache_creation_input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0),
    eval_count: usage.output_tokens,
  };
}

export const countsOfUsage = (u: Usage) =>
  ollamaCounts({
    input_tokens: u.inputTokens,
    output_tokens: u.outputTokens,
    cache_creation_input_tokens: u.cacheCreationInputTokens,
    cache_read_input_tokens: u.cacheReadInputTokens,
  });

export interface OllamaToolCallOut {
  function: { name: string; arguments: Record<string, unknown> };
}

/** A whole answer in the endpoint's shape. Durations are not reported: the gateway did not time a model load. */
export function anthropicToOllamaReply(
  message: AnthropicMessage,
  opts: { model: string; endpoint: OllamaEndpoint; now?: Date },
): Record<string, unknown> {
  let text = "";
  const calls: OllamaToolCallOut[] = [];
  for (const block of message.content) {
    if (block.type === "text") text += block.text;
    else if (block.type === "tool_use")
      calls.push({ function: { name: block.name, arguments: block.input } });
  }
  const head = { model: opts.model, created_at: (opts.now ?? new Date()).toISOString() };
  const tail = {
    done: true,
    done_reason: ollamaDoneReason(message.stop_reason),
    ...ollamaCounts(message.usage),
  };
  if (opts.endpoint === "generate") return { ...head, response: text, ...tail };
  const out: Record<string, unknown> = { role: "assistant", content: text };
  if (calls.length > 0) out.tool_calls = calls;
  return { ...head, message: out, ...tail };
}
