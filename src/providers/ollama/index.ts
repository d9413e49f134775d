// The Ollama provider: a local server's /api/chat, its models discovered from /api/tags, free by default; Ollama clients pass through.
import {
  encodingFormatOf,
  ollamaEmbedToOpenAI,
  ollamaEmbedUsage,
  openaiEmbeddingsToOllama,
} from "../../doors/embeddings/embeddings.ts";
import { upstreamRequestHeaders } from "../../http/headers.ts";
import { anthropicErrorFromUpstream } from "../translate/errors.ts";
import { isOllamaFamily, upstreamModelName } from "../translate/models.ts";
import type { ProviderDescriptor } from "../types.ts";
import { anthropicToOllamaRequest } from "./from-anthropic.ts";
import { ollamaPassthrough } from "./passthrough.ts";
import { createOllamaToAnthropicStream } from "./stream-to-anthropic.ts";
import { parseOllamaTags } from "./tags.ts";
import { ollamaToAnthropicMessage, ollamaUsage } from "./to-anthropic.ts";
import type { OllamaChatResponse } from "./types.ts";

/** Ollama's context is the real ceiling; this bounds what a plan's token reservation holds meanwhile. */
const OLLAMA_MAX_OUTPUT = 32_768;

export const ollama = {
  name: "ollama",
  setupHint: "set OLLAMA_BASE_URL",
  target: (c) => (c.ollamaBaseUrl ? { baseUrl: c.ollamaBaseUrl, apiKey: null } : null),
  upstreamUrl: (c) => c.ollamaBaseUrl,
  models: [],
  servesFamily: isOllamaFamily,
  maxOutputTokens: () => OLLAMA_MAX_OUTPUT,
  free: true,
  async discover(target, fetchImpl) {
    const res = await fetchImpl(`${target.baseUrl}/api/tags`, { signal: AbortSignal.timeout(5_000) });
    if (!res.ok) throw new Error(`status ${res.status}`);
    return parseOllamaTags(await res.json());
  },
  pivot: {
    request(target, body, model, incoming) {
      const headers = upstreamRequestHeaders(incoming);
      for (const name of [...headers.keys()]) if (name.startsWith("anthropic-")) headers.delete(name);
      headers.set("content-type", "application/json");
      return {
        url: `${target.baseUrl}/api/chat`,
        headers,
        body: JSON.stringify(anthropicToOllamaRequest(body, { model })),
      };
    },
    answer(json, model) {
      const reply = json as OllamaChatResponse;
      return { message: ollamaToAnthropicMessage(reply, { model }), usage: ollamaUsage(reply ?? {}) };
    },
    stream: (model, inputTokenEstimate) => createOllamaToAnthropicStream({ model, inputTokenEstimate }),
    error: (status, json) => anthropicErrorFromUpstream(status, json, "ollama"),
  },
  embeddings: {
    request(target, body, model, incoming) {
      const headers = upstreamRequestHeaders(incoming);
      headers.set("content-type", "application/json");
      const request = openaiEmbeddingsToOllama({ ...body, model: upstreamModelName(model) });
      return { url: `${target.baseUrl}/api/embed`, headers, body: JSON.stringify(request) };
    },
    answer: (json, model, body) => ({
      body: ollamaEmbedToOpenAI(json, model, encodingFormatOf(body)),
      usage: ollamaEmbedUsage(json),
    }),
  },
  passthrough: { ollama: ollamaPassthrough },
} satisfies ProviderDescriptor<"ollama">;
