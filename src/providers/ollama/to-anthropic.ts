// Ollama /api/chat reply → Anthropic message: text, tool calls with synthesized ids, stop reason, usage.

import { emptyUsage, type Usage } from "../../pricing/usage.ts";
import {
  type AnthropicMessage,
  type AnthropicReplyOptions,
  type AnthropicResponseBlock,
  type AnthropicStopReason,
  anthropicUsageJson,
} from "../translate/anthropic-types.ts";
import { newMessageId, newToolUseId } from "../translate/ids.ts";
import type { OllamaChatResponse } from "./types.ts";

const count = (v: unknown): number =>
  typeof v === "number" && Number.isFinite(v) && v > 0 ? Math.floor(v) : 0;

/** Ollama counts evaluated prompt tokens and generated tokens; it has no prompt-cache accounting. */
export function ollamaUsage(json: Pick<OllamaChatResponse, "prompt_eval_count" | "eval_count">): Usage {
  const usage = emptyUsage();
  usage.inputTokens = count(json.prompt_eval_count);
  usage.outputTokens = count(json.eval_count);
  return usage;
}

/** Ollama says "stop" even after tool calls, so the calls decide tool_use. */
export function mapDoneReason(reason: string | undefined, toolCalls: boolean): AnthropicStopReason {
  if (toolCalls) return "tool_use";
  return reason === "length" ? "max_tokens" : "end_turn";
}

/** Ollama hands arguments over as an object; some versions and models send a JSON string instead. */
export function ollamaToolInput(args: unknown): Record<string, unknown> {
  let value = args;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      return {};
    }
  }
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** A non-streamed /api/chat reply as an Anthropic message. Ollama gives no call ids: they are made here. */
export function ollamaToAnthropicMessage(
  json: OllamaChatResponse,
  opts: AnthropicReplyOptions,
): AnthropicMessage {
  const content: AnthropicResponseBlock[] = [];
  const message = json.message;
  if (typeof message?.content === "string" && message.content !== "") {
    content.push({ type: "text", text: message.content });
  }
  let toolCalls = false;
  for (const call of Array.isArray(message?.tool_calls) ? message.tool_calls : []) {
    const name = call?.function?.name;
    if (typeof name !== "string") continue;
    toolCalls = true;
    content.push({
      type: "tool_use",
      id: newToolUseId(),
      name,
      input: ollamaToolInput(call.function?.arguments),
    });
  }
  return {
    id: opts.messageId ?? newMessageId(),
    type: "message",
    role: "assistant",
    model: opts.model,
    content,
    stop_reason: mapDoneReason(json.done_reason, toolCalls),
    stop_sequence: null,
    usage: anthropicUsageJson(ollamaUsage(json)),
  };
}
