// Anthropic message (the pivot reply) → OpenAI Response object, echoing the request as the real API does.

import type { Usage } from "../../pricing/usage.ts";
import { usageFromMessage } from "../../providers/anthropic/usage.ts";
import type { AnthropicMessage } from "../../providers/translate/anthropic-types.ts";
import { randomId } from "../../providers/translate/ids.ts";
import { isObject, type Json } from "../openai-chat/common.ts";
import { encodeThinking, wantsEncryptedReasoning } from "./reasoning.ts";
import { callItem, type ToolNames, toolNamesOf } from "./tools.ts";

export interface ResponseOptions {
  /** The model the client asked for, echoed back. */
  model: string;
  /** Defaults to a fresh `resp_…` id. */
  id?: string;
  /** Unix seconds; defaults to now. */
  createdAt?: number;
  /** The client's request body: echoed fields, tool kinds and `include` are read from it. */
  request?: unknown;
}

export interface ResponsesUsageJson {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number; cache_write_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

export type ResponseStatus = "completed" | "incomplete" | "failed" | "in_progress";

export const itemId = (prefix: string): string => randomId(prefix, 32);

/** Like Chat's usage: every prompt token in input_tokens, cache reads and writes also shown apart. */
export function responsesUsageJson(usage: Usage): ResponsesUsageJson {
  const input = usage.inputTokens + usage.cacheReadInputTokens + usage.cacheCreationInputTokens;
  return {
    input_tokens: input,
    input_tokens_details: {
      cached_tokens: usage.cacheReadInputTokens,
      cache_write_tokens: usage.cacheCreationInputTokens,
    },
    output_tokens: usage.outputTokens,
    // Anthropic does not count thinking apart from the answer.
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: input + usage.outputTokens,
  };
}

/** Why a reply is incomplete in Responses terms, or null when it is complete. */
export function incompleteReason(
  stop: string | null | undefined,
): "max_output_tokens" | "content_filter" | null {
  if (stop === "max_tokens" || stop === "model_context_window_exceeded") return "max_output_tokens";
  if (stop === "refusal") return "content_filter";
  return null;
}

/** The response envelope: the request's own settings echoed where the real API echoes them. */
export function responseEnvelope(
  opts: Required<Pick<ResponseOptions, "model" | "id" | "createdAt">> & { request?: unknown },
  status: ResponseStatus,
  output: Json[],
  usage: ResponsesUsageJson | null,
  extra: { incomplete?: string | null; error?: { code: string; message: string } | null } = {},
): Json {
  const req = isObject(opts.request) ? opts.request : {};
  const pick = <T>(key: string, fallback: T): unknown => (req[key] === undefined ? fallback : req[key]);
  const reasoning = isObject(req.reasoning) ? req.reasoning : {};
  const text = isObject(req.text) ? req.text : {};
  return {
    id: opts.id,
    object: "response",
    created_at: opts.createdAt,
    status,
    background: false,
    error: extra.error ?? null,
    incomplete_details: extra.incomplete ? { reason: extra.incomplete } : null,
    instructions: pick("instructions", null),
    max_output_tokens: pick("max_output_tokens", null),
    metadata: pick("metadata", {}),
    model: opts.model,
    output,
    parallel_tool_calls: pick("parallel_tool_calls", true),
    previous_response_id: null,
    prompt_cache_key: pick("prompt_cache_key", null),
    reasoning: { effort: reasoning.effort ?? null, summary: reasoning.summary ?? null },
    safety_identifier: pick("safety_identifier", null),
    service_tier: "default",
    // Nothing is kept on the gateway, whatever the client asked for.
    store: false,
    temperature: pick("temperature", 1),
    text: { format: { type: "text" }, verbosity: "medium", ...text },
    tool_choice: pick("tool_choice", "auto"),
    tools: pick("tools", []),
    top_p: pick("top_p", 1),
    truncation: pick("truncation", "disabled"),
    usage,
    ...(typeof req.user === "string" ? { user: req.user } : {}),
  };
}

export const messageItem = (id: string, text: string, status: "in_progress" | "completed"): Json => ({
  id,
  type: "message",
  status,
  role: "assistant",
  content: status === "completed" ? [outputText(text)] : [],
});

export const outputText = (text: string): Json => ({
  type: "output_text",
  text,
  annotations: [],
  logprobs: [],
});

/** A reasoning item for a thinking block; its opaque part only when the client asked for it. */
export function reasoningItem(id: string, thinking: string, opaque: string | null): Json {
  return {
    id,
    type: "reasoning",
    summary: thinking === "" ? [] : [{ type: "summary_text", text: thinking }],
    ...(opaque === null ? {} : { encrypted_content: opaque }),
  };
}

/** Output items in the order of the blocks: reasoning, messages (one per text block), tool calls. */
export function outputItems(content: unknown, names: ToolNames, opaque: boolean): Json[] {
  const out: Json[] = [];
  for (const block of Array.isArray(content) ? content : []) {
    if (!isObject(block)) continue;
    if (block.type === "text" && typeof block.text === "string") {
      out.push(messageItem(itemId("msg_"), block.text, "completed"));
    } else if (block.type === "tool_use" && typeof block.id === "string" && typeof block.name === "string") {
      out.push(callItem(itemId("fc_"), block.id, block.name, block.input, names));
    } else if (block.type === "thinking" && typeof block.thinking === "string") {
      const signature = typeof block.signature === "string" ? block.signature : "";
      const blob = opaque ? encodeThinking({ thinking: block.thinking, signature }) : null;
      out.push(reasoningItem(itemId("rs_"), block.thinking, blob));
    } else if (block.type === "redacted_thinking" && typeof block.data === "string") {
      out.push(reasoningItem(itemId("rs_"), "", opaque ? encodeThinking({ data: block.data }) : null));
    }
  }
  return out;
}

/** A whole (non-streamed) reply as a Response object. */
export function anthropicMessageToResponse(message: AnthropicMessage, opts: ResponseOptions): Json {
  const incomplete = incompleteReason(message.stop_reason);
  return responseEnvelope(
    {
      model: opts.model,
      id: opts.id ?? itemId("resp_"),
      createdAt: opts.createdAt ?? Math.floor(Date.now() / 1000),
      request: opts.request,
    },
    incomplete ? "incomplete" : "completed",
    outputItems(message.content, toolNamesOf(opts.request), wantsEncryptedReasoning(opts.request)),
    responsesUsageJson(usageFromMessage(message)),
    { incomplete },
  );
}
