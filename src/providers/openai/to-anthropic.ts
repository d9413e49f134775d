// OpenAI chat.completion → Anthropic message: content blocks, stop reason and usage in Anthropic's accounting.

import { emptyUsage, type Usage } from "../../pricing/usage.ts";
import {
  type AnthropicMessage,
  type AnthropicReplyOptions,
  type AnthropicResponseBlock,
  type AnthropicStopReason,
  anthropicUsageJson,
} from "../translate/anthropic-types.ts";
import { newMessageId, newToolUseId } from "../translate/ids.ts";
import type { OpenAIChatCompletion, OpenAIUsage } from "./types.ts";

const count = (v: unknown): number =>
  typeof v === "number" && Number.isFinite(v) && v > 0 ? Math.floor(v) : 0;

/**
 * OpenAI's `prompt_tokens` includes the cached tokens; the gateway's `inputTokens` excludes them, so
 * the cached part is split off into `cacheReadInputTokens`. OpenAI bills no cache-write premium and
 * reports no separate writes, so `cacheCreationInputTokens` stays 0.
 */
export function openAIUsage(usage: OpenAIUsage | null | undefined): Usage {
  const out = emptyUsage();
  if (typeof usage !== "object" || usage === null) return out;
  const prompt = count(usage.prompt_tokens);
  const cached = Math.min(count(usage.prompt_tokens_details?.cached_tokens), prompt);
  out.inputTokens = prompt - cached;
  out.cacheReadInputTokens = cached;
  out.outputTokens = count(usage.completion_tokens);
  return out;
}

/**
 * OpenAI's finish_reason in Anthropic's terms. Some OpenAI-compatible servers say "stop" after tool
 * calls, so calls present mean tool_use; a refusal means refusal whatever the reason says.
 */
export function mapFinishReason(
  reason: string | null | undefined,
  seen: { toolCalls?: boolean; refusal?: boolean } = {},
): AnthropicStopReason {
  if (seen.refusal) return "refusal";
  switch (reason) {
    case "length":
      return "max_tokens";
    case "tool_calls":
    case "function_call":
      return "tool_use";
    case "content_filter":
      return "refusal";
    default:
      return seen.toolCalls ? "tool_use" : "end_turn";
  }
}

/**
 * Tool arguments that are not a JSON object (truncated by `length`, or malformed) become `{}`: an
 * Anthropic tool_use input is always an object, and passing the raw text along as a made-up key would
 * hand the tool an argument it never declared. The client's tool then reports what is missing.
 */
export function parseToolArguments(args: string | undefined): Record<string, unknown> {
  if (typeof args !== "string" || args.trim() === "") return {};
  try {
    const value: unknown = JSON.parse(args);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

/** A non-streaming OpenAI reply as the Anthropic message the client expects. Only choice 0 is used. */
export function openAIToAnthropicMessage(
  json: OpenAIChatCompletion,
  opts: AnthropicReplyOptions,
): AnthropicMessage {
  const choice = json.choices?.find((c) => (c.index ?? 0) === 0) ?? json.choices?.[0];
  const message = choice?.message;
  const content: AnthropicResponseBlock[] = [];
  const refusal = typeof message?.refusal === "string" && message.refusal !== "" ? message.refusal : null;
  const text = typeof message?.content === "string" ? message.content : "";
  if (text !== "") content.push({ type: "text", text });
  if (refusal !== null) content.push({ type: "text", text: refusal });
  for (const call of message?.tool_calls ?? []) {
    if (typeof call?.function?.name !== "string") continue;
    content.push({
      type: "tool_use",
      id: typeof call.id === "string" && call.id !== "" ? call.id : newToolUseId(),
      name: call.function.name,
      input: parseToolArguments(call.function.arguments),
    });
  }
  const toolCalls = content.some((b) => b.type === "tool_use");
  return {
    id: opts.messageId ?? newMessageId(),
    type: "message",
    role: "assistant",
    model: opts.model,
    content,
    stop_reason: mapFinishReason(choice?.finish_reason, { toolCalls, refusal: refusal !== null }),
    stop_sequence: null,
    usage: anthropicUsageJson(openAIUsage(json.usage)),
  };
}
