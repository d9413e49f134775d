// OpenAI's error envelope and usage vocabulary, shared by the chat, Responses, embeddings and models routes.

import type { ResolvedBehavior } from "./behavior.ts";
import type { HandlerContext, JsonObject } from "./shared.ts";

interface ErrorDefaults {
  type: string;
  code: string | null;
  message: string;
}

const ERRORS: Record<number, ErrorDefaults> = {
  400: { type: "invalid_request_error", code: null, message: "Invalid request." },
  401: { type: "invalid_request_error", code: "invalid_api_key", message: "Incorrect API key provided." },
  403: { type: "invalid_request_error", code: "unsupported_country_region_territory", message: "Forbidden." },
  404: { type: "invalid_request_error", code: "model_not_found", message: "The model does not exist." },
  429: { type: "requests", code: "rate_limit_exceeded", message: "Rate limit reached for requests." },
  500: {
    type: "server_error",
    code: null,
    message: "The server had an error while processing your request. Sorry about that!",
  },
  503: {
    type: "server_error",
    code: null,
    message: "The engine is currently overloaded, please try again later.",
  },
};

export interface OpenAIErrorFields {
  type?: string;
  message?: string;
  code?: string | null;
  param?: string | null;
}

/** The `error` object of OpenAI's envelope, with the per-status defaults the API uses. */
export function openaiErrorObject(status: number, over: OpenAIErrorFields = {}): JsonObject {
  const d = ERRORS[status] ?? (status >= 500 ? ERRORS[500] : ERRORS[400]) ?? ERRORS[400];
  return {
    message: over.message ?? d?.message ?? "Error",
    type: over.type ?? d?.type ?? "invalid_request_error",
    param: over.param ?? null,
    code: over.code === undefined ? (d?.code ?? null) : over.code,
  };
}

export function openaiError(status: number, ctx: HandlerContext, over: OpenAIErrorFields = {}): Response {
  return new Response(JSON.stringify({ error: openaiErrorObject(status, over) }), {
    status,
    headers: { "content-type": "application/json", "x-request-id": `req_${ctx.nextId()}` },
  });
}

export function errorFromBehavior(b: ResolvedBehavior, status: number, ctx: HandlerContext): Response {
  return openaiError(status, ctx, { type: b.errorType, message: b.errorMessage });
}

/** What every OpenAI route answers to a body that is not a JSON object. */
export function unparsableBody(ctx: HandlerContext): Response {
  return openaiError(400, ctx, {
    message: "We could not parse the JSON body of your request. The OpenAI API expects a JSON payload.",
  });
}

export function missingParameter(ctx: HandlerContext, param: string): Response {
  return openaiError(400, ctx, {
    message: `Missing required parameter: '${param}'.`,
    param,
    code: "missing_required_parameter",
  });
}

/** Anthropic-style counts mapped onto Chat Completions': cached reads are part of prompt_tokens there. */
export function chatUsage(b: ResolvedBehavior): JsonObject {
  const u = b.usage;
  const prompt = u.input_tokens + u.cache_read_input_tokens;
  return {
    prompt_tokens: prompt,
    completion_tokens: u.output_tokens,
    total_tokens: prompt + u.output_tokens,
    prompt_tokens_details: { cached_tokens: u.cache_read_input_tokens, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: b.reasoningTokens,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

/**
 * The same counts in the Responses API's words: input_tokens includes cache reads and writes (the
 * API reports writes since its 1.25x-priced cache writes), output_tokens includes reasoning.
 */
export function responsesUsage(b: ResolvedBehavior): JsonObject {
  const u = b.usage;
  const input = u.input_tokens + u.cache_read_input_tokens + u.cache_creation_input_tokens;
  return {
    input_tokens: input,
    input_tokens_details: {
      cached_tokens: u.cache_read_input_tokens,
      cache_write_tokens: u.cache_creation_input_tokens,
    },
    output_tokens: u.output_tokens,
    output_tokens_details: { reasoning_tokens: b.reasoningTokens },
    total_tokens: input + u.output_tokens,
  };
}

export function modelName(body: JsonObject): string {
  return typeof body.model === "string" ? body.model : String(body.model);
}
