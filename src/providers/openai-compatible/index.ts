// OpenAI-compatible upstreams declared in SNODUS_CONFIG: one descriptor each, built at start from the OpenAI codecs.
import type { ConfiguredProvider } from "../../config/providers-file.ts";
import { servesModel } from "../../config/providers-file.ts";
import { anthropicToOpenAIRequest } from "../openai/from-anthropic.ts";
import { openai } from "../openai/index.ts";
import {
  chatPassthrough,
  embeddingsPassthrough,
  openAIHeaders,
  responsesPassthrough,
} from "../openai/passthrough.ts";
import { anthropicErrorFromUpstream } from "../translate/errors.ts";
import type { PassthroughRoute, ProviderDescriptor, ProviderTarget } from "../types.ts";

/**
 * The name the upstream knows: the model map first, else the name without a matched prefix ending in
 * `/` (`groq/llama-3.3-70b` → `llama-3.3-70b`), else the name as the client wrote it.
 */
export function upstreamName(c: ConfiguredProvider, model: string): string {
  const mapped = c.modelMap[model];
  if (mapped) return mapped;
  if (c.models.includes(model)) return model;
  const prefix = c.modelPrefixes.find((p) => p.endsWith("/") && model.startsWith(p));
  return prefix ? model.slice(prefix.length) : model;
}

/** An OpenAI route whose upstream path is relative to the configured base URL and whose model is renamed. */
function route(base: PassthroughRoute, path: string, c: ConfiguredProvider): PassthroughRoute {
  return {
    ...base,
    path: () => path,
    body: (json, bytes, text, model) => base.body(json, bytes, text, upstreamName(c, model)),
  };
}

export function openAICompatible(c: ConfiguredProvider): ProviderDescriptor<string> {
  const target: ProviderTarget = { baseUrl: c.baseUrl, apiKey: c.apiKey };
  return {
    name: c.name,
    setupHint: "declare it in the SNODUS_CONFIG file",
    target: () => target,
    upstreamUrl: () => c.baseUrl,
    models: c.models,
    servesFamily: (model) => servesModel(c, model),
    maxOutputTokens: () => c.maxOutputTokens,
    free: c.free,
    pivot: {
      ...openai.pivot,
      request: (t, body, model, incoming) => ({
        url: `${t.baseUrl}/chat/completions`,
        headers: openAIHeaders(t, incoming),
        body: JSON.stringify(anthropicToOpenAIRequest(body, { model: upstreamName(c, model) })),
      }),
      error: (status, json) => anthropicErrorFromUpstream(status, json, c.name),
    },
    passthrough: {
      "openai-chat": route(chatPassthrough, "/chat/completions", c),
      "openai-embeddings": route(embeddingsPassthrough, "/embeddings", c),
      ...(c.responses ? { "openai-responses": route(responsesPassthrough, "/responses", c) } : {}),
    },
  };
}
