// POST /v1/embeddings: OpenAI's embeddings API, passed through to OpenAI or translated (Ollama's /api/embed).
import { openAIError } from "../openai-chat/door.ts";
import type { EmbeddingsDoor } from "../types.ts";

export const embeddingsDoor: EmbeddingsDoor = {
  kind: "embeddings",
  protocol: "openai-embeddings",
  errors: "openai",
  parse: (json) => ({
    body: json,
    model: json.model as string,
    stream: false,
    // Embeddings produce no output tokens: the reservation is the input alone.
    maxTokens: 0,
  }),
  // OpenAI's API is the embeddings pivot itself.
  toOpenAI: (json) => json,
  renderList: (list) => list,
  renderError: (status, error) => openAIError(status, error),
};
