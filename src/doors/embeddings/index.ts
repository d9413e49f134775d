// The embeddings door's public surface: Ollama translation both ways, usage for either provider.

export {
  embeddingsUsage,
  encodingFormatOf,
  ollamaEmbedToOpenAI,
  ollamaEmbedUsage,
  openaiEmbeddingsToOllama,
} from "./embeddings.ts";
