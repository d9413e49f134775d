// OpenAI Chat Completions imitation: /v1/chat/completions (JSON + SSE with [DONE]) and /v1/models.

import type { ResolvedBehavior } from "./behavior.ts";
import {
  cached,
  delay,
  escapeJsonString,
  type FillValues,
  type HandlerContext,
  type JsonObject,
  P_CREATED,
  P_ID,
  P_MODEL,
  type Prepared,
  parseJsonObject,
  prepare,
  splitPieces,
  streamBody,
  truncatedJson,
} from "./shared.ts";

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

export function openaiError(
  status: number,
  ctx: HandlerContext,
  over: { type?: string; message?: string; code?: string | null; param?: string | null } = {},
): Response {
  const d = ERRORS[status] ?? (status >= 500 ? ERRORS[500] : ERRORS[400]) ?? ERRORS[400];
  const error = {
    message: over.message ?? d?.message ?? "Error",
    type: over.type ?? d?.type ?? "invalid_request_error",
    param: over.param ?? null,
    code: over.code === undefined ? (d?.code ?? null) : over.code,
  };
  return new Response(JSON.stringify({ error }), {
    status,
    headers: { "content-type": "application/json", "x-request-id": `req_${ctx.nextId()}` },
  });
}

function errorFromBehavior(b: ResolvedBehavior, status: number, ctx: HandlerContext): Response {
  return openaiError(status, ctx, { type: b.errorType, message: b.errorMessage });
}

/** Anthropic-style counts mapped onto OpenAI's: cached reads are part of prompt_tokens there. */
function usage(b: ResolvedBehavior): JsonObject {
  const u = b.usage;
  const prompt = u.input_tokens + u.cache_read_input_tokens;
  return {
    prompt_tokens: prompt,
    completion_tokens: u.output_tokens,
    total_tokens: prompt + u.output_tokens,
    prompt_tokens_details: { cached_tokens: u.cache_read_input_tokens, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

function finishReason(b: ResolvedBehavior): string {
  return b.stopReason ?? (b.toolUse ? "tool_calls" : "stop");
}

function callId(b: ResolvedBehavior): string {
  return b.toolUse?.id ?? `call_${P_ID}`;
}

function buildCompletion(b: ResolvedBehavior): Prepared {
  const tool = b.toolUse;
  const message: JsonObject = {
    role: "assistant",
    content: tool && !b.textExplicit ? null : b.text,
    refusal: null,
    annotations: [],
  };
  if (tool) {
    message.tool_calls = [
      {
        id: callId(b),
        type: "function",
        function: { name: tool.name, arguments: JSON.stringify(tool.input) },
      },
    ];
  }
  const completion = {
    id: `chatcmpl-${P_ID}`,
    object: "chat.completion",
    created: P_CREATED,
    model: P_MODEL,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason(b) }],
    usage: usage(b),
    service_tier: "default",
    system_fingerprint: "fp_mock",
  };
  return prepare([JSON.stringify(completion)], 0);
}

/**
 * Chunks as the API sends them: a role chunk, content/tool-call deltas, a chunk carrying only the
 * finish_reason, then (only with stream_options.include_usage) a usage chunk whose `choices` is
 * empty, then `data: [DONE]`. With include_usage every other chunk carries `"usage": null`.
 */
function buildStream(b: ResolvedBehavior, includeUsage: boolean, obfuscation: boolean): Prepared {
  const frames: string[] = [];
  const chunk = (choices: JsonObject[], usageValue?: JsonObject | null): string => {
    const c: JsonObject = {
      id: `chatcmpl-${P_ID}`,
      object: "chat.completion.chunk",
      created: P_CREATED,
      model: P_MODEL,
      service_tier: "default",
      system_fingerprint: "fp_mock",
      choices,
    };
    if (includeUsage) c.usage = usageValue ?? null;
    // Since mid-2025 the API pads every chunk with random characters against length side channels.
    if (obfuscation) c.obfuscation = "mOcK";
    return `data: ${JSON.stringify(c)}\n\n`;
  };
  const delta = (d: JsonObject, finish: string | null = null): JsonObject[] => [
    { index: 0, delta: d, logprobs: null, finish_reason: finish },
  ];
  const tool = b.toolUse;
  const withText = !tool || b.textExplicit;
  if (withText) {
    frames.push(chunk(delta({ role: "assistant", content: "", refusal: null })));
    for (const piece of splitPieces(b.text)) frames.push(chunk(delta({ content: piece })));
  }
  if (tool) {
    const head = {
      tool_calls: [
        { index: 0, id: callId(b), type: "function", function: { name: tool.name, arguments: "" } },
      ],
    };
    frames.push(chunk(delta(withText ? head : { role: "assistant", content: null, ...head, refusal: null })));
    for (const piece of splitPieces(JSON.stringify(tool.input))) {
      frames.push(chunk(delta({ tool_calls: [{ index: 0, function: { arguments: piece } }] })));
    }
  }
  frames.push(chunk(delta({}, finishReason(b))));
  if (includeUsage) frames.push(chunk([], usage(b)));
  frames.push("data: [DONE]\n\n");
  // Default failure point: right after the first content (or tool argument) delta.
  return prepare(frames, 2);
}

function modelName(body: JsonObject): string {
  return typeof body.model === "string" ? body.model : String(body.model);
}

async function chatCompletions(ctx: HandlerContext): Promise<Response> {
  const body = parseJsonObject(ctx.bodyText);
  if (!body) {
    return openaiError(400, ctx, {
      message: "We could not parse the JSON body of your request. The OpenAI API expects a JSON payload.",
    });
  }
  if (body.model === undefined)
    return openaiError(400, ctx, { message: "you must provide a model parameter" });
  if (body.messages === undefined) {
    return openaiError(400, ctx, {
      message: "Missing required parameter: 'messages'.",
      param: "messages",
      code: "missing_required_parameter",
    });
  }
  const model = modelName(body);
  const b = ctx.behavior(model);
  await delay(b.latencyMs);
  if (b.status !== undefined && b.status >= 400) return errorFromBehavior(b, b.status, ctx);

  const id = ctx.nextId();
  const values: FillValues = {
    model: escapeJsonString(model),
    id,
    now: "",
    created: Math.floor(Date.now() / 1000),
  };
  const headers = { "x-request-id": `req_${id}`, "openai-processing-ms": "1" };
  if (body.stream === true) {
    const opts =
      typeof body.stream_options === "object" && body.stream_options !== null ? body.stream_options : {};
    const includeUsage = "include_usage" in opts && opts.include_usage === true;
    const obfuscation = !("include_obfuscation" in opts && opts.include_obfuscation === false);
    const p = cached(b, `openai:stream:${includeUsage}:${obfuscation}`, () =>
      buildStream(b, includeUsage, obfuscation),
    );
    // OpenAI has no in-band error event for chat completions: failures just cut the connection.
    return new Response(streamBody(p, b, values, false), {
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache",
        ...headers,
      },
    });
  }
  const p = cached(b, "openai:json", () => buildCompletion(b));
  const text = p.whole(values);
  const out = b.failMidStream || b.abortMidStream ? truncatedJson(text) : text;
  return new Response(out, { headers: { "content-type": "application/json", ...headers } });
}

const MODELS_BODY = JSON.stringify({
  object: "list",
  data: [
    ["gpt-4o", 1715367049],
    ["gpt-4o-mini", 1721172741],
    ["gpt-4.1", 1744316542],
    ["o3-mini", 1737146383],
  ].map(([id, created]) => ({ id, object: "model", created, owned_by: "system" })),
});

async function models(ctx: HandlerContext): Promise<Response> {
  const b = ctx.behavior("");
  await delay(b.latencyMs);
  if (b.status !== undefined && b.status >= 400) return errorFromBehavior(b, b.status, ctx);
  return new Response(MODELS_BODY, {
    headers: { "content-type": "application/json", "x-request-id": `req_${ctx.nextId()}` },
  });
}

export function handleOpenAI(ctx: HandlerContext): Response | Promise<Response> {
  const path = ctx.path;
  const known = path === "/v1/chat/completions" || path === "/v1/models";
  if (!known) {
    return openaiError(404, ctx, { message: `Invalid URL (${ctx.method} ${path})`, code: null });
  }
  if (!ctx.headers.has("authorization")) {
    return openaiError(401, ctx, {
      message:
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
      code: null,
    });
  }
  if (ctx.method === "POST" && path === "/v1/chat/completions") return chatCompletions(ctx);
  if (ctx.method === "GET" && path === "/v1/models") return models(ctx);
  return openaiError(404, ctx, { message: `Invalid URL (${ctx.method} ${path})`, code: null });
}
