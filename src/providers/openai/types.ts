// Minimal OpenAI Chat Completions wire types: what the translators send, and what they read back.

export interface OpenAITextPart {
  type: "text";
  text: string;
}

export interface OpenAIImagePart {
  type: "image_url";
  image_url: { url: string; detail?: "auto" | "low" | "high" };
}

/** A PDF (or other file) inline as a data URL. */
export interface OpenAIFilePart {
  type: "file";
  file: { filename?: string; file_data?: string; file_id?: string };
}

export type OpenAIUserPart = OpenAITextPart | OpenAIImagePart | OpenAIFilePart;

export interface OpenAIToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export type OpenAIMessage =
  | { role: "system" | "developer"; content: string | OpenAITextPart[] }
  | { role: "user"; content: string | OpenAIUserPart[] }
  | { role: "assistant"; content: string | null; tool_calls?: OpenAIToolCall[] }
  | { role: "tool"; tool_call_id: string; content: string };

export interface OpenAITool {
  type: "function";
  function: {
    name: string;
    description?: string;
    parameters?: Record<string, unknown>;
    strict?: boolean;
  };
}

export type OpenAIToolChoice =
  | "auto"
  | "none"
  | "required"
  | { type: "function"; function: { name: string } };

export type OpenAIReasoningEffort = "low" | "medium" | "high";

/** The request body of `POST /v1/chat/completions` as the translator builds it. */
export interface OpenAIChatBody {
  model: string;
  messages: OpenAIMessage[];
  max_tokens?: number;
  max_completion_tokens?: number;
  temperature?: number;
  top_p?: number;
  stop?: string[];
  stream?: boolean;
  stream_options?: { include_usage: boolean };
  tools?: OpenAITool[];
  tool_choice?: OpenAIToolChoice;
  parallel_tool_calls?: boolean;
  user?: string;
  reasoning_effort?: OpenAIReasoningEffort;
  response_format?: {
    type: "json_schema";
    json_schema: { name: string; schema: Record<string, unknown>; strict?: boolean };
  };
}

/** Token counts. `prompt_tokens` INCLUDES the cached part given in `prompt_tokens_details`. */
export interface OpenAIUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number | null; audio_tokens?: number | null } | null;
  completion_tokens_details?: { reasoning_tokens?: number | null } | null;
}

export type OpenAIFinishReason = "stop" | "length" | "tool_calls" | "content_filter" | "function_call";

/** A non-streaming `chat.completion`. */
export interface OpenAIChatCompletion {
  id?: string;
  object?: string;
  model?: string;
  choices?: Array<{
    index?: number;
    message?: {
      role?: string;
      content?: string | null;
      refusal?: string | null;
      tool_calls?: Array<{ id?: string; type?: string; function?: { name?: string; arguments?: string } }>;
    };
    finish_reason?: OpenAIFinishReason | null;
  }>;
  usage?: OpenAIUsage | null;
}

export interface OpenAIToolCallDelta {
  index?: number;
  id?: string;
  type?: "function";
  function?: { name?: string; arguments?: string };
}

/** One `chat.completion.chunk`, or the error object OpenAI may send in its place mid-stream. */
export interface OpenAIChatChunk {
  id?: string;
  choices?: Array<{
    index?: number;
    delta?: {
      role?: string;
      content?: string | null;
      refusal?: string | null;
      tool_calls?: OpenAIToolCallDelta[];
    };
    finish_reason?: OpenAIFinishReason | null;
  }>;
  usage?: OpenAIUsage | null;
  error?: { message?: string; type?: string; code?: string | null };
}
