// Ollama native API imitation: /api/chat and /api/generate (NDJSON stream or one JSON), /api/embed, /api/tags, /api/version, GET /.

import type { ResolvedBehavior } from "./behavior.ts";
import { mockEmbedding, mockTokenCount } from "./embeddings.ts";
import {
  cached,
  delay,
  escapeJsonString,
  type FillValues,
  forTurn,
  type HandlerContext,
  type JsonObject,
  P_MODEL,
  P_NOW,
  type Prepared,
  parseJsonObject,
  prepare,
  splitPieces,
  streamBody,
  truncatedJson,
} from "./shared.ts";

const DEFAULT_MESSAGES: Record<number, string> = {
  400: "invalid request",
  401: "unauthorized",
  404: "model not found, try pulling it first",
  429: "too many requests",
  500: "an error was encountered while running the model",
  503: "server busy, please try again.  maximum pending requests exceeded",
};

/** Ollama's errors are a bare `{"error": "..."}`, whatever the status. */
export function ollamaError(status: number, message?: string): Response {
  const text = message ?? DEFAULT_MESSAGES[status] ?? (status >= 500 ? DEFAULT_MESSAGES[500] : "error");
  return new Response(JSON.stringify({ error: text }), {
    status,
    headers: { "content-type": "application/json; charset=utf-8" },
  });
}

/**
 * Made-up but plausible timings (nanoseconds), proportional to the token counts so that
 * tokens-per-second derived from them stays sane.
 */
function stats(b: ResolvedBehavior): JsonObject {
  const prompt = b.usage.input_tokens;
  const out = b.usage.output_tokens;
  const load = 2_000_000;
  const promptDuration = prompt * 200_000;
  const evalDuration = out * 15_000_000;
  return {
    total_duration: load + promptDuration + evalDuration + 1_000_000,
    load_duration: load,
    prompt_eval_count: prompt,
    prompt_eval_duration: promptDuration,
    eval_count: out,
    eval_duration: evalDuration,
  };
}

function toolCalls(b: ResolvedBehavior): JsonObject[] | undefined {
  if (!b.toolUse) return undefined;
  // Ollama hands arguments over as an object, not a JSON string, and always all at once.
  return [{ function: { name: b.toolUse.name, arguments: b.toolUse.input } }];
}

/** Ollama reports "stop" even when the model called a tool; there is no "tool_calls" reason. */
function doneReason(b: ResolvedBehavior): string {
  return b.stopReason ?? "stop";
}

function line(o: JsonObject): string {
  return `${JSON.stringify(o)}\n`;
}

function buildJson(b: ResolvedBehavior): Prepared {
  const message: JsonObject = { role: "assistant", content: b.toolUse && !b.textExplicit ? "" : b.text };
  const calls = toolCalls(b);
  if (calls) message.tool_calls = calls;
  const body = {
    model: P_MODEL,
    created_at: P_NOW,
    message,
    done_reason: doneReason(b),
    done: true,
    ...stats(b),
  };
  return prepare([JSON.stringify(body)], 0);
}

function buildStream(b: ResolvedBehavior, failMessage: string): Prepared {
  const frames: string[] = [];
  if (!b.toolUse || b.textExplicit) {
    for (const piece of splitPieces(b.text)) {
      frames.push(
        line({
          model: P_MODEL,
          created_at: P_NOW,
          message: { role: "assistant", content: piece },
          done: false,
        }),
      );
    }
  }
  const calls = toolCalls(b);
  if (calls) {
    frames.push(
      line({
        model: P_MODEL,
        created_at: P_NOW,
        message: { role: "assistant", content: "", tool_calls: calls },
        done: false,
      }),
    );
  }
  frames.push(
    line({
      model: P_MODEL,
      created_at: P_NOW,
      message: { role: "assistant", content: "" },
      done_reason: doneReason(b),
      done: true,
      ...stats(b),
    }),
  );
  return prepare(frames, 1, line({ error: failMessage }));
}

async function chat(ctx: HandlerContext): Promise<Response> {
  const body = parseJsonObject(ctx.bodyText);
  if (!body) return ollamaError(400, "invalid character in request body: expected a JSON object");
  if (typeof body.model !== "string" || body.model === "") return ollamaError(400, "model is required");
  const model = body.model;
  const b = forTurn(ctx.behavior(model), body.messages, (m) => m.role === "tool");
  await delay(b.latencyMs);
  if (b.status !== undefined && b.status >= 400) return ollamaError(b.status, b.errorMessage);

  const values: FillValues = {
    model: escapeJsonString(model),
    id: "",
    now: new Date().toISOString(),
    created: 0,
  };
  // No messages means "just load the model": one done line with done_reason "load", even when streaming.
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    return new Response(
      line({
        model,
        created_at: values.now,
        message: { role: "assistant", content: "" },
        done_reason: "load",
        done: true,
      }),
      {
        headers: {
          "content-type": body.stream === false ? "application/json; charset=utf-8" : "application/x-ndjson",
        },
      },
    );
  }
  // Streaming is Ollama's default; only an explicit `"stream": false` gets a single JSON object.
  if (body.stream !== false) {
    const failMessage = b.errorMessage ?? "an error was encountered while running the model: unexpected EOF";
    const p = cached(b, "ollama:stream", () => buildStream(b, failMessage));
    return new Response(streamBody(p, b, values, true), {
      headers: { "content-type": "application/x-ndjson" },
    });
  }
  const p = cached(b, "ollama:json", () => buildJson(b));
  const text = p.whole(values);
  const out = b.failMidStream || b.abortMidStream ? truncatedJson(text) : text;
  return new Response(out, { headers: { "content-type": "application/json; charset=utf-8" } });
}

/** POST /api/generate: the prompt's answer as `response` (NDJSON stream or one JSON), Ollama's stats on the done line. */
async function generate(ctx: HandlerContext): Promise<Response> {
  const body = parseJsonObject(ctx.bodyText);
  if (!body) return ollamaError(400, "invalid character in request body: expected a JSON object");
  if (typeof body.model !== "string" || body.model === "") return ollamaError(400, "model is required");
  const model = body.model;
  const b = ctx.behavior(model);
  await delay(b.latencyMs);
  if (b.status !== undefined && b.status >= 400) return ollamaError(b.status, b.errorMessage);
  const values: FillValues = {
    model: escapeJsonString(model),
    id: "",
    now: new Date().toISOString(),
    created: 0,
  };
  const done = { model: P_MODEL, created_at: P_NOW, done: true, done_reason: doneReason(b), ...stats(b) };
  if (body.stream !== false) {
    const p = cached(b, "ollama:generate:stream", () => {
      const frames = splitPieces(b.text).map((piece) =>
        line({ model: P_MODEL, created_at: P_NOW, response: piece, done: false }),
      );
      frames.push(line({ ...done, response: "" }));
      return prepare(frames, 1, line({ error: b.errorMessage ?? "unexpected EOF" }));
    });
    return new Response(streamBody(p, b, values, true), {
      headers: { "content-type": "application/x-ndjson" },
    });
  }
  const p = cached(b, "ollama:generate:json", () =>
    prepare([JSON.stringify({ ...done, response: b.text })], 0),
  );
  return new Response(p.whole(values), { headers: { "content-type": "application/json; charset=utf-8" } });
}

/** Native vector length of the usual embedding models; others get nomic-embed-text's 768. */
const OLLAMA_DIMENSIONS: Record<string, number> = {
  "nomic-embed-text": 768,
  "mxbai-embed-large": 1024,
  "all-minilm": 384,
  "snowflake-arctic-embed": 1024,
  "bge-m3": 1024,
};

/** POST /api/embed: {model, input: string | string[]} → unit-length vectors, one per input. */
async function embed(ctx: HandlerContext): Promise<Response> {
  const body = parseJsonObject(ctx.bodyText);
  if (!body) return ollamaError(400, "invalid character in request body: expected a JSON object");
  if (typeof body.model !== "string" || body.model === "") return ollamaError(400, "model is required");
  const model = body.model;
  const b = ctx.behavior(model);
  await delay(b.latencyMs);
  if (b.status !== undefined && b.status >= 400) return ollamaError(b.status, b.errorMessage);
  const input = body.input;
  // No input just loads the model, as with /api/chat: an empty list of embeddings.
  const texts = input === undefined ? [] : typeof input === "string" ? [input] : input;
  if (!Array.isArray(texts) || !texts.every((t): t is string => typeof t === "string")) {
    return ollamaError(400, "invalid input type");
  }
  const asked = body.dimensions;
  const native = OLLAMA_DIMENSIONS[model.split(":")[0] ?? model] ?? 768;
  const dims =
    typeof asked === "number" && Number.isInteger(asked) && asked > 0
      ? Math.min(asked, native)
      : Math.max(1, Math.floor(b.embeddingDimensions ?? native));
  const count = texts.reduce((n, t) => n + mockTokenCount(t), 0);
  const load = 2_000_000;
  const text = JSON.stringify({
    model,
    embeddings: texts.map((t) => mockEmbedding(t, dims)),
    total_duration: load + count * 300_000 + 1_000_000,
    load_duration: load,
    prompt_eval_count: count,
  });
  const out = b.failMidStream || b.abortMidStream ? truncatedJson(text) : text;
  return new Response(out, { headers: { "content-type": "application/json; charset=utf-8" } });
}

async function tags(ctx: HandlerContext): Promise<Response> {
  const b = ctx.behavior("");
  await delay(b.latencyMs);
  if (b.status !== undefined && b.status >= 400) return ollamaError(b.status, b.errorMessage);
  return new Response(JSON.stringify({ models: b.ollamaModels }), {
    headers: { "content-type": "application/json; charset=utf-8" },
  });
}

export function handleOllama(ctx: HandlerContext): Response | Promise<Response> {
  const { method, path } = ctx;
  if (method === "POST" && path === "/api/chat") return chat(ctx);
  if (method === "POST" && path === "/api/generate") return generate(ctx);
  if (method === "POST" && path === "/api/embed") return embed(ctx);
  if (method === "GET" && path === "/api/tags") return tags(ctx);
  if (method === "GET" && path === "/api/version") {
    return new Response('{"version":"0.12.6"}', {
      headers: { "content-type": "application/json; charset=utf-8" },
    });
  }
  // The real server answers its root with this plain-text line; clients use it as a health check.
  if ((method === "GET" || method === "HEAD") && path === "/") {
    return new Response("Ollama is running", { headers: { "content-type": "text/plain; charset=utf-8" } });
  }
  return ollamaError(404, "404 page not found");
}
