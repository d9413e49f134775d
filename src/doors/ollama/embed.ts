// Ollama /api/embed ⇄ OpenAI's embeddings API (the embeddings pivot), for providers other than Ollama.

import type { OpenAIEmbeddingList } from "../embeddings/embeddings.ts";
import { invalid, isObject, type Json, requestObject } from "../openai-chat/common.ts";

/** `{model, input, dimensions}` as OpenAI's request; `truncate`, `options` and `keep_alive` are Ollama's own. */
export function ollamaEmbedToOpenAI(body: unknown): Json {
  const req = requestObject(body);
  const input = req.input;
  const text = (v: unknown): v is string => typeof v === "string";
  if (!(text(input) || (Array.isArray(input) && input.length > 0 && input.every(text))))
    throw invalid("input", "must be a string or a non-empty list of strings");
  const out: Json = { model: req.model, input, encoding_format: "float" };
  if (req.dimensions !== undefined && req.dimensions !== null) {
    if (typeof req.dimensions !== "number" || !Number.isInteger(req.dimensions) || req.dimensions < 1)
      throw invalid("dimensions", "must be a positive integer");
    out.dimensions = req.dimensions;
  }
  return out;
}

/** OpenAI's list as Ollama's `{model, embeddings, prompt_eval_count}`, vectors in input order. */
export function openAIListToOllamaEmbed(list: OpenAIEmbeddingList, model: string): Json {
  const data = Array.isArray(list.data) ? [...list.data] : [];
  data.sort((a, b) => a.index - b.index);
  return {
    model,
    embeddings: data.map((d) => (Array.isArray(d.embedding) ? d.embedding : [])),
    prompt_eval_count: isObject(list.usage) ? Number(list.usage.prompt_tokens) || 0 : 0,
  };
}
