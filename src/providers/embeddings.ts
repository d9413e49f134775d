// How a provider answers an embeddings request that arrives as OpenAI's (the embeddings pivot).

import { embeddingsUsage } from "../doors/embeddings/embeddings.ts";
import type { EmbeddingsCodec, ProviderDescriptor } from "./types.ts";

const encoder = new TextEncoder();

/**
 * The provider's own codec (Ollama's /api/embed), or its OpenAI embeddings route used as one: the
 * request is already OpenAI's, so it goes out as it is and the list comes back as it is. Undefined
 * when the provider has no embeddings at all (Anthropic).
 */
export function embeddingsCodecOf(provider: ProviderDescriptor): EmbeddingsCodec | undefined {
  if (provider.embeddings) return provider.embeddings;
  const route = provider.passthrough["openai-embeddings"];
  if (!route) return undefined;
  return {
    request(target, body, model, incoming) {
      const text = JSON.stringify(body);
      const out = route.body(body, encoder.encode(text), text, model);
      return {
        url: `${target.baseUrl}${route.path("/v1/embeddings")}`,
        headers: route.headers(target, incoming),
        body: out.bytes,
      };
    },
    answer: (json) => ({ body: json, usage: embeddingsUsage(json) }),
  };
}
