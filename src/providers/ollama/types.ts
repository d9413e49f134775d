// Minimal Ollama native API wire types (/api/chat and /api/tags): what the translators send and read.

export interface OllamaToolCall {
  function: { name: string; arguments: Record<string, unknown> };
}

export interface OllamaMessage {
  role: "system" | "user" | "assistant" | "tool";
  content: string;
  /** Base64 image data, without a data-URL prefix. */
  images?: string[];
  tool_calls?: OllamaToolCall[];
  /** On `tool` messages: which function produced this result (Ollama matches results by name). */
  tool_name?: string;
}

export interface OllamaTool {
  type: "function";
  function: { name: string; description?: string; parameters: Record<string, unknown> };
}

export interface OllamaOptions {
  num_predict?: number;
  temperature?: number;
  top_p?: number;
  top_k?: number;
  stop?: string[];
}

/** The body of `POST /api/chat`. */
export interface OllamaChatRequest {
  model: string;
  messages: OllamaMessage[];
  /** Always explicit: Ollama streams unless told `false`. */
  stream: boolean;
  tools?: OllamaTool[];
  options?: OllamaOptions;
  /** A JSON schema the reply must follow (structured outputs). */
  format?: Record<string, unknown>;
}

/** One NDJSON line of a streamed /api/chat reply, the whole non-streamed reply, or an error. */
export interface OllamaChatResponse {
  model?: string;
  created_at?: string;
  message?: {
    role?: string;
    content?: string;
    thinking?: string;
    tool_calls?: Array<{ id?: string; function?: { name?: string; arguments?: unknown } }>;
  };
  done?: boolean;
  done_reason?: string;
  prompt_eval_count?: number;
  eval_count?: number;
  error?: string;
}
