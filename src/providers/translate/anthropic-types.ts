// Minimal Anthropic Messages wire types: the request fields the translators read and the replies they build.

import type { Usage } from "../../pricing/usage.ts";

export interface AnthropicCacheControl {
  type: "ephemeral";
  ttl?: "5m" | "1h";
}

export interface AnthropicTextBlock {
  type: "text";
  text: string;
  cache_control?: AnthropicCacheControl | null;
  citations?: unknown[] | null;
}

export type AnthropicBase64Source = { type: "base64"; media_type: string; data: string };

export interface AnthropicImageBlock {
  type: "image";
  source: AnthropicBase64Source | { type: "url"; url: string } | { type: "file"; file_id: string };
  cache_control?: AnthropicCacheControl | null;
}

export interface AnthropicDocumentBlock {
  type: "document";
  source:
    | AnthropicBase64Source
    | { type: "text"; media_type: "text/plain"; data: string }
    | { type: "url"; url: string }
    | { type: "content"; content: string | AnthropicTextBlock[] }
    | { type: "file"; file_id: string };
  title?: string | null;
  context?: string | null;
  cache_control?: AnthropicCacheControl | null;
}

export interface AnthropicToolUseBlock {
  type: "tool_use";
  id: string;
  name: string;
  input: unknown;
  cache_control?: AnthropicCacheControl | null;
}

export interface AnthropicToolResultBlock {
  type: "tool_result";
  tool_use_id: string;
  content?: string | Array<AnthropicTextBlock | AnthropicImageBlock | AnthropicDocumentBlock>;
  is_error?: boolean;
  cache_control?: AnthropicCacheControl | null;
}

/** Signed reasoning: only Anthropic can verify it, so no translator ever forwards it. */
export interface AnthropicThinkingBlock {
  type: "thinking";
  thinking: string;
  signature: string;
}

export interface AnthropicRedactedThinkingBlock {
  type: "redacted_thinking";
  data: string;
}

/**
 * The blocks the translators know. Others (server tool calls and results, search results, …) may
 * arrive at run time; every switch over `type` skips them in its default branch.
 */
export type AnthropicContentBlock =
  | AnthropicTextBlock
  | AnthropicImageBlock
  | AnthropicDocumentBlock
  | AnthropicToolUseBlock
  | AnthropicToolResultBlock
  | AnthropicThinkingBlock
  | AnthropicRedactedThinkingBlock;

export interface AnthropicMessageParam {
  /** `system` turns inside `messages` are accepted by newer API versions. */
  role: "user" | "assistant" | "system";
  content: string | AnthropicContentBlock[];
}

export interface AnthropicTool {
  name: string;
  description?: string;
  input_schema?: Record<string, unknown>;
  /** Absent or "custom" for client tools; server tools (web_search_…, bash_…) carry a versioned type. */
  type?: string | null;
  strict?: boolean;
  cache_control?: AnthropicCacheControl | null;
}

export type AnthropicToolChoice =
  | { type: "auto" | "any"; disable_parallel_tool_use?: boolean }
  | { type: "tool"; name: string; disable_parallel_tool_use?: boolean }
  | { type: "none" };

export type AnthropicThinkingConfig =
  | { type: "enabled"; budget_tokens: number }
  | { type: "disabled" | "adaptive" | "between_tools" };

export interface AnthropicMessagesBody {
  model: string;
  messages: AnthropicMessageParam[];
  max_tokens?: number;
  system?: string | AnthropicTextBlock[];
  stop_sequences?: string[];
  temperature?: number;
  top_p?: number;
  top_k?: number;
  stream?: boolean;
  tools?: AnthropicTool[];
  tool_choice?: AnthropicToolChoice;
  metadata?: { user_id?: string | null };
  thinking?: AnthropicThinkingConfig;
  output_config?: {
    effort?: "low" | "medium" | "high" | "xhigh" | "max" | null;
    format?: { type: "json_schema"; schema: Record<string, unknown> } | null;
  };
}

export type AnthropicStopReason =
  | "end_turn"
  | "max_tokens"
  | "stop_sequence"
  | "tool_use"
  | "pause_turn"
  | "refusal";

export interface AnthropicUsageJson {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

export type AnthropicResponseBlock =
  | { type: "text"; text: string }
  | { type: "tool_use"; id: string; name: string; input: Record<string, unknown> };

/** A non-streaming Messages reply, as `/v1/messages` returns it. */
export interface AnthropicMessage {
  id: string;
  type: "message";
  role: "assistant";
  model: string;
  content: AnthropicResponseBlock[];
  stop_reason: AnthropicStopReason;
  /** Always null: OpenAI and Ollama do not say which stop sequence matched. */
  stop_sequence: null;
  usage: AnthropicUsageJson;
}

/** How a translated reply presents itself to the client. */
export interface AnthropicReplyOptions {
  /** The model the client asked for: Anthropic clients expect their own name back. */
  model: string;
  /** Defaults to a fresh `msg_…` id. */
  messageId?: string;
}

/** The gateway's usage in Anthropic's field names. */
export function anthropicUsageJson(usage: Usage): AnthropicUsageJson {
  return {
    input_tokens: usage.inputTokens,
    output_tokens: usage.outputTokens,
    cache_creation_input_tokens: usage.cacheCreationInputTokens,
    cache_read_input_tokens: usage.cacheReadInputTokens,
  };
}
