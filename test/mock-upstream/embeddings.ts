// Deterministic embeddings (vectors and token counts derived from the input) and OpenAI's POST /v1/embeddings.

import {
  errorFromBehavior,
  missingParameter,
  modelName,
  openaiError,
  unparsableBody,
} from "./openai-errors.ts";
import { delay, type HandlerContext, type JsonObject, parseJsonObject, truncatedJson } from "./shared.ts";

/** One embedding input: a text, or a list of token ids (OpenAI accepts both). */
export type EmbeddingInput = string | number[];

/**
 * The mock's token count: words (runs of letters/digits) plus other non-space characters, at least 1.
 * Tests that check billed amounts compute the same figure with this function.
 */
export function mockTokenCount(input: EmbeddingInput): number {
  if (typeof input !== "string") return input.length;
  return Math.max(1, input.match(/[\p{L}\p{N}]+|[^\p{L}\p{N}\s]/gu)?.length ?? 0);
}

/** FNV-1a over the UTF-16 units: a seed that depends on every character of the input. */
function seedOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * A unit-length vector determined by the input alone (not the model), with float32 values, so the
 * float and base64 encodings carry exactly the same numbers. Components come from a PRNG stream, so a
 * shorter vector is the longer one cut and renormalised: what `dimensions` does on text-embedding-3.
 */
export function mockEmbedding(input: EmbeddingInput, dimensions: number): number[] {
  let state = seedOf(typeof input === "string" ? input : JSON.stringify(input));
  const raw = new Array<number>(dimensions);
  let norm = 0;
  for (let i = 0; i < dimensions; i++) {
    // mulberry32: small, fast, and well spread for this purpose.
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const v = ((t ^ (t >>> 14)) >>> 0) / 2 ** 31 - 1;
    raw[i] = v;
    norm += v * v;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  return raw.map((v) => Math.fround(v * scale));
}

/** Little-endian float32 bytes in base64: OpenAI's `encoding_format: "base64"`. */
export function base64Embedding(vector: number[]): string {
  const bytes = new Uint8Array(vector.length * 4);
  const view = new DataView(bytes.buffer);
  vector.forEach((v, i) => {
    view.setFloat32(i * 4, v, true);
  });
  return Buffer.from(bytes).toString("base64");
}

/** Native vector length per OpenAI model; anything else gets text-embedding-3-small's. */
function openaiDimensions(model: string): number {
  return model.startsWith("text-embedding-3-large") ? 3072 : 1536;
}

const INVALID_INPUT =
  "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.";

function isTokenArray(v: unknown): v is number[] {
  return Array.isArray(v) && v.length > 0 && v.every((t) => Number.isInteger(t) && t >= 0);
}

/** The inputs of a request in OpenAI's accepted shapes, or undefined for anything else. */
export function parseOpenAIInput(input: unknown): EmbeddingInput[] | undefined {
  if (typeof input === "string") return input === "" ? undefined : [input];
  if (!Array.isArray(input) || input.length === 0 || input.length > 2048) return undefined;
  if (input.every((s) => typeof s === "string" && s !== "")) return input as string[];
  if (isTokenArray(input)) return [input];
  if (input.every(isTokenArray)) return input as number[][];
  return undefined;
}

type Dimensions = { ok: number } | { error: string; param: string | null; code: string | null };

function requestedDimensions(body: JsonObject, model: string, fallback: number | undefined): Dimensions {
  const native = openaiDimensions(model);
  const d = body.dimensions;
  if (d === undefined || d === null) return { ok: Math.max(1, Math.floor(fallback ?? native)) };
  if (model.startsWith("text-embedding-ada")) {
    return { error: "This model does not support specifying dimensions.", param: null, code: null };
  }
  if (typeof d !== "number" || !Number.isInteger(d)) {
    return {
      error: `Invalid type for 'dimensions': expected an integer, but got ${typeof d} instead.`,
      param: "dimensions",
      code: "invalid_type",
    };
  }
  if (d < 1) {
    return {
      error: `Invalid 'dimensions': integer below minimum value. Expected a value >= 1, but got ${d} instead.`,
      param: "dimensions",
      code: "integer_below_min_value",
    };
  }
  if (d > native) {
    return { error: `This model's maximum dimensions is ${native}.`, param: "dimensions", code: null };
  }
  return { ok: d };
}

export async function openaiEmbeddings(ctx: HandlerContext): Promise<Response> {
  const body = parseJsonObject(ctx.bodyText);
  if (!body) return unparsableBody(ctx);
  if (body.model === undefined)
    return openaiError(400, ctx, { message: "you must provide a model parameter" });
  if (body.input === undefined) return missingParameter(ctx, "input");
  const model = modelName(body);
  const b = ctx.behavior(model);
  await delay(b.latencyMs);
  if (b.status !== undefined && b.status >= 400) return errorFromBehavior(b, b.status, ctx);

  const inputs = parseOpenAIInput(body.input);
  if (!inputs) return openaiError(400, ctx, { message: INVALID_INPUT });
  const format = body.encoding_format ?? "float";
  if (format !== "float" && format !== "base64") {
    return openaiError(400, ctx, {
      message: `Invalid value: '${String(format)}'. Supported values are: 'float' and 'base64'.`,
      param: "encoding_format",
      code: "invalid_value",
    });
  }
  const dims = requestedDimensions(body, model, b.embeddingDimensions);
  if ("error" in dims)
    return openaiError(400, ctx, { message: dims.error, param: dims.param, code: dims.code });

  let tokens = 0;
  const data = inputs.map((input, index) => {
    tokens += mockTokenCount(input);
    const vector = mockEmbedding(input, dims.ok);
    return { object: "embedding", index, embedding: format === "base64" ? base64Embedding(vector) : vector };
  });
  const text = JSON.stringify({
    object: "list",
    data,
    model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  });
  const id = ctx.nextId();
  const headers = {
    "content-type": "application/json",
    "x-request-id": `req_${id}`,
    "openai-model": model,
    "openai-processing-ms": "1",
  };
  const out = b.failMidStream || b.abortMidStream ? truncatedJson(text) : text;
  return new Response(out, { headers });
}
