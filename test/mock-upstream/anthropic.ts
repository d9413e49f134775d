// Anthropic Messages API imitation: /v1/messages (JSON + SSE), /v1/messages/count_tokens, /v1/models.

import type { ResolvedBehavior } from "./behavior.ts";
import {
  cached,
  delay,
  escapeJsonString,
  type FillValues,
  forTurn,
  type HandlerContext,
  isRecord,
  type JsonObject,
  P_ID,
  P_MODEL,
  type Prepared,
  parseJsonObject,
  prepare,
  splitPieces,
  streamBody,
  truncatedJson,
} from "./shared.ts";

const ERROR_TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  402: "billing_error",
  403: "permission_error",
  404: "not_found_error",
  413: "request_too_large",
  429: "rate_limit_error",
  500: "api_error",
  504: "timeout_error",
  529: "overloaded_error",
};

const ERROR_MESSAGES: Record<string, string> = {
  invalid_request_error: "Invalid request",
  authentication_error: "invalid x-api-key",
  billing_error: "Your credit balance is too low to access the Anthropic API.",
  permission_error: "Your API key does not have permission to use the specified resource.",
  not_found_error: "Not found",
  request_too_large: "Request exceeds the maximum allowed number of bytes.",
  rate_limit_error: "Number of request tokens has exceeded your per-minute rate limit",
  api_error: "Internal server error",
  timeout_error: "Request timeout",
  overloaded_error: "Overloaded",
};

function errorType(status: number): string {
  return ERROR_TYPES[status] ?? (status >= 500 ? "api_error" : "invalid_request_error");
}

function errorJson(type: string, message: string, requestId: string): string {
  return JSON.stringify({ type: "error", error: { type, message }, request_id: requestId });
}

export function anthropicError(
  status: number,
  ctx: HandlerContext,
  type?: string,
  message?: string,
): Response {
  const requestId = `req_${ctx.nextId()}`;
  const t = type ?? errorType(status);
  const headers: Record<string, string> = { "content-type": "application/json", "request-id": requestId };
  if (status === 429) headers["retry-after"] = "1";
  return new Response(errorJson(t, message ?? ERROR_MESSAGES[t] ?? "Error", requestId), { status, headers });
}

function errorFromBehavior(b: ResolvedBehavior, status: number, ctx: HandlerContext): Response {
  return anthropicError(status, ctx, b.errorType, b.errorMessage);
}

/** Real replies list the cache fields even when zero, and split cache writes by TTL. */
function fullUsage(b: ResolvedBehavior, outputTokens: number): JsonObject {
  const u = b.usage;
  return {
    input_tokens: u.input_tokens,
    cache_creation_input_tokens: u.cache_creation_input_tokens,
    cache_read_input_tokens: u.cache_read_input_tokens,
    cache_creation: u.cache_creation,
    output_tokens: outputTokens,
    service_tier: "standard",
  };
}

function toolId(b: ResolvedBehavior): string {
  return b.toolUse?.id ?? `toolu_${P_ID}`;
}

function stopReason(b: ResolvedBehavior): string {
  return b.stopReason ?? (b.toolUse ? "tool_use" : "end_turn");
}

function buildMessage(b: ResolvedBehavior): Prepared {
  const content: JsonObject[] = [];
  if (!b.toolUse || b.textExplicit) content.push({ type: "text", text: b.text });
  if (b.toolUse)
    content.push({ type: "tool_use", id: toolId(b), name: b.toolUse.name, input: b.toolUse.input });
  const message = {
    id: `msg_${P_ID}`,
    type: "message",
    role: "assistant",
    model: P_MODEL,
    content,
    stop_reason: stopReason(b),
    stop_sequence: null,
    usage: fullUsage(b, b.usage.output_tokens),
  };
  return prepare([JSON.stringify(message)], 0);
}

// Byte for byte what the API sends: unlike every other event, its JSON has a space after the colon.
const PING = 'event: ping\ndata: {"type": "ping"}\n\n';

function sse(event: string, data: JsonObject): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * The event sequence of a real streamed reply: message_start, then per block content_block_start /
 * deltas / content_block_stop (with one ping right after the first block opens), message_delta,
 * message_stop.
 */
function buildStream(b: ResolvedBehavior): Prepared {
  const frames: string[] = [];
  let firstDeltaEnd = 0;
  frames.push(
    sse("message_start", {
      type: "message_start",
      message: {
        id: `msg_${P_ID}`,
        type: "message",
        role: "assistant",
        model: P_MODEL,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        // At message_start only the input side is known; output_tokens is a small placeholder.
        usage: fullUsage(b, Math.min(1, b.usage.output_tokens)),
      },
    }),
  );
  const blocks: Array<() => void> = [];
  let index = 0;
  if (!b.toolUse || b.textExplicit) {
    const i = index++;
    blocks.push(() => {
      frames.push(
        sse("content_block_start", {
          type: "content_block_start",
          index: i,
          content_block: { type: "text", text: "" },
        }),
      );
      if (i === 0) frames.push(PING);
      for (const piece of splitPieces(b.text)) {
        frames.push(
          sse("content_block_delta", {
            type: "content_block_delta",
            index: i,
            delta: { type: "text_delta", text: piece },
          }),
        );
        if (!firstDeltaEnd) firstDeltaEnd = frames.length;
      }
      frames.push(sse("content_block_stop", { type: "content_block_stop", index: i }));
    });
  }
  const tool = b.toolUse;
  if (tool) {
    const i = index++;
    blocks.push(() => {
      frames.push(
        sse("content_block_start", {
          type: "content_block_start",
          index: i,
          content_block: { type: "tool_use", id: toolId(b), name: tool.name, input: {} },
        }),
      );
      if (i === 0) frames.push(PING);
      // The API opens tool input with an empty partial_json before the real pieces.
      for (const piece of ["", ...splitPieces(JSON.stringify(tool.input))]) {
        frames.push(
          sse("content_block_delta", {
            type: "content_block_delta",
            index: i,
            delta: { type: "input_json_delta", partial_json: piece },
          }),
        );
        if (!firstDeltaEnd && piece) firstDeltaEnd = frames.length;
      }
      frames.push(sse("content_block_stop", { type: "content_block_stop", index: i }));
    });
  }
  for (const block of blocks) block();
  const u = b.usage;
  frames.push(
    sse("message_delta", {
      type: "message_delta",
      delta: { stop_reason: stopReason(b), stop_sequence: null },
      // Cumulative; current API versions repeat the input-side counts here as well.
      usage: {
        input_tokens: u.input_tokens,
        cache_creation_input_tokens: u.cache_creation_input_tokens,
        cache_read_input_tokens: u.cache_read_input_tokens,
        output_tokens: u.output_tokens,
      },
    }),
  );
  frames.push(sse("message_stop", { type: "message_stop" }));
  const failFrame = `event: error\ndata: ${errorJson(
    b.errorType ?? "overloaded_error",
    b.errorMessage ?? ERROR_MESSAGES[b.errorType ?? "overloaded_error"] ?? "Overloaded",
    `req_${P_ID}`,
  )}\n\n`;
  return prepare(frames, firstDeltaEnd || 2, failFrame);
}

/** Anthropic rejects requests lacking credentials or an API version before looking at the body. */
function checkHeaders(ctx: HandlerContext): Response | undefined {
  if (!ctx.headers.has("x-api-key") && !ctx.headers.has("authorization")) {
    return anthropicError(401, ctx, "authentication_error", "x-api-key header is required");
  }
  if (!ctx.headers.has("anthropic-version")) {
    return anthropicError(400, ctx, "invalid_request_error", "anthropic-version: header is required");
  }
  return undefined;
}

function parseBody(ctx: HandlerContext, required: string[]): JsonObject | Response {
  const body = parseJsonObject(ctx.bodyText);
  if (!body) return anthropicError(400, ctx, "invalid_request_error", "Request body is not valid JSON");
  for (const field of required) {
    if (body[field] === undefined)
      return anthropicError(400, ctx, "invalid_request_error", `${field}: Field required`);
  }
  return body;
}

async function messages(ctx: HandlerContext): Promise<Response> {
  const body = parseBody(ctx, ["model", "max_tokens", "messages"]);
  if (body instanceof Response) return body;
  const model = typeof body.model === "string" ? body.model : String(body.model);
  const b = forTurn(
    ctx.behavior(model),
    body.messages,
    (m) =>
      m.role === "user" &&
      Array.isArray(m.content) &&
      m.content.some((c: unknown) => isRecord(c) && c.type === "tool_result"),
  );
  await delay(b.latencyMs);
  if (b.status !== undefined && b.status >= 400) return errorFromBehavior(b, b.status, ctx);

  const id = ctx.nextId();
  const values: FillValues = { model: escapeJsonString(model), id, now: "", created: 0 };
  const headers = { "request-id": `req_${id}` };
  if (body.stream === true) {
    const p = cached(b, "anthropic:stream", () => buildStream(b));
    return new Response(streamBody(p, b, values, true), {
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache",
        ...headers,
      },
    });
  }
  const p = cached(b, "anthropic:json", () => buildMessage(b));
  const text = p.whole(values);
  const cut = b.failMidStream || b.abortMidStream ? truncatedJson(text) : text;
  return new Response(cut, { headers: { "content-type": "application/json", ...headers } });
}

async function countTokens(ctx: HandlerContext): Promise<Response> {
  const body = parseBody(ctx, ["model", "messages"]);
  if (body instanceof Response) return body;
  const b = ctx.behavior(typeof body.model === "string" ? body.model : "");
  await delay(b.latencyMs);
  if (b.status !== undefined && b.status >= 400) return errorFromBehavior(b, b.status, ctx);
  // A rough stand-in for the tokenizer: ~4 bytes of JSON per token.
  const n = Math.max(1, Math.round(ctx.bodyText.length / 4));
  return new Response(`{"input_tokens":${n}}`, {
    headers: { "content-type": "application/json", "request-id": `req_${ctx.nextId()}` },
  });
}

const MODELS = [
  ["claude-opus-4-1-20250805", "Claude Opus 4.1", "2025-08-05T00:00:00Z"],
  ["claude-sonnet-4-20250514", "Claude Sonnet 4", "2025-05-22T00:00:00Z"],
  ["claude-3-5-haiku-20241022", "Claude Haiku 3.5", "2024-10-22T00:00:00Z"],
] as const;

const MODELS_BODY = JSON.stringify({
  data: MODELS.map(([id, display_name, created_at]) => ({
    type: "model",
    id,
    display_name,
    created_at,
    capabilities: null,
    deprecated_at: null,
    lifecycle: "active",
    max_input_tokens: 200000,
    max_tokens: 32000,
  })),
  has_more: false,
  first_id: MODELS[0][0],
  last_id: MODELS[MODELS.length - 1]?.[0] ?? null,
});

async function models(ctx: HandlerContext): Promise<Response> {
  const b = ctx.behavior("");
  await delay(b.latencyMs);
  if (b.status !== undefined && b.status >= 400) return errorFromBehavior(b, b.status, ctx);
  return new Response(MODELS_BODY, {
    headers: { "content-type": "application/json", "request-id": `req_${ctx.nextId()}` },
  });
}

export function handleAnthropic(ctx: HandlerContext): Response | Promise<Response> {
  const rejected = checkHeaders(ctx);
  if (rejected) return rejected;
  if (ctx.method === "POST" && ctx.path === "/v1/messages") return messages(ctx);
  if (ctx.method === "POST" && ctx.path === "/v1/messages/count_tokens") return countTokens(ctx);
  if (ctx.method === "GET" && ctx.path === "/v1/models") return models(ctx);
  return anthropicError(404, ctx, "not_found_error", `Not found: ${ctx.method} ${ctx.path}`);
}

/** Whether an ambiguous request (/v1/models, unknown /v1 path) comes from an Anthropic client. */
export function looksAnthropic(headers: Headers): boolean {
  return headers.has("anthropic-version") || headers.has("x-api-key");
}
