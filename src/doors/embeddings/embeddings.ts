// POST /v1/embeddings: OpenAI request → Ollama /api/embed, Ollama's answer → OpenAI's list, and usage.

import { emptyUsage, type Usage } from "../../pricing/usage.ts";
import { invalid, isObject, requestObject } from "../openai-chat/common.ts";

/** The body of Ollama's `POST /api/embed`. */
export interface OllamaEmbedRequest {
  model: string;
  input: string | string[];
  /** Ollama cuts inputs longer than the model's context instead of failing (its default, made explicit). */
  truncate: boolean;
  dimensions?: number;
}

export type EncodingFormat = "float" | "base64";

export interface OpenAIEmbeddingList {
  object: "list";
  data: Array<{ object: "embedding"; index: number; embedding: number[] | string }>;
  model: string;
  usage: { prompt_tokens: number; total_tokens: number };
}

/**
 * Text inputs pass as they are. Token-id inputs (arrays of integers) are refused: Ollama takes text,
 * and token ids of OpenAI's tokenizer mean nothing to another model. `user` is not forwarded.
 */
export function openaiEmbeddingsToOllama(body: unknown): OllamaEmbedRequest {
  const req = requestObject(body);
  const input = req.input;
  const text = (v: unknown): v is string => typeof v === "string";
  if (!(text(input) || (Array.isArray(input) && input.length > 0 && input.every(text)))) {
    if (Array.isArray(input) && input.some((v) => typeof v === "number" || Array.isArray(v))) {
      throw invalid("input", "token arrays are not supported for this model; send the text");
    }
    throw invalid("input", "must be a string or a non-empty list of strings");
  }
  encodingFormatOf(body);
  const out: OllamaEmbedRequest = { model: req.model, input, truncate: true };
  if (req.dimensions !== undefined && req.dimensions !== null) {
    if (typeof req.dimensions !== "number" || !Number.isInteger(req.dimensions) || req.dimensions < 1) {
      throw invalid("dimensions", "must be a positive integer");
    }
    out.dimensions = req.dimensions;
  }
  return out;
}

/** The client's `encoding_format` (float by default, as OpenAI's). */
export function encodingFormatOf(body: unknown): EncodingFormat {
  const format = isObject(body) ? body.encoding_format : undefined;
  if (format === undefined || format === null || format === "float") return "float";
  if (format === "base64") return "base64";
  throw invalid("encoding_format", 'must be "float" or "base64"');
}

/** OpenAI's base64 form: the vector as little-endian float32 bytes (what the SDKs decode). */
export function float32Base64(vector: readonly number[]): string {
  const bytes = new Uint8Array(vector.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < vector.length; i++) view.setFloat32(i * 4, vector[i] ?? 0, true);
  return Buffer.from(bytes).toString("base64");
}

/** Ollama's `{embeddings: number[][], prompt_eval_count}` as OpenAI's embedding list. */
export function ollamaEmbedToOpenAI(
  json: unknown,
  model: string,
  encodingFormat: EncodingFormat,
): OpenAIEmbeddingList {
  const vectors = isObject(json) && Array.isArray(json.embeddings) ? json.embeddings : [];
  const tokens = ollamaEmbedUsage(json).inputTokens;
  return {
    object: "list",
    data: vectors.map((v, index) => {
      const vector = Array.isArray(v) ? v.map(Number) : [];
      return {
        object: "embedding",
        index,
        embedding: encodingFormat === "base64" ? float32Base64(vector) : vector,
      };
    }),
    model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}

const count = (v: unknown): number =>
  typeof v === "number" && Number.isFinite(v) && v > 0 ? Math.floor(v) : 0;

/** Usage of an OpenAI embeddings answer (passthrough): every token is input; there is no output. */
export function embeddingsUsage(json: unknown): Usage {
  const usage = emptyUsage();
  if (isObject(json) && isObject(json.usage)) usage.inputTokens = count(json.usage.prompt_tokens);
  return usage;
}

/** Usage of an Ollama /api/embed answer: `prompt_eval_count` is the tokens embedded. */
export function ollamaEmbedUsage(json: unknown): Usage {
  const usage = emptyUsage();
  if (isObject(json)) usage.inputTokens = count(json.prompt_eval_count);
  return usage;
}
