// The OpenAI provider: Chat Completions upstream, passthrough for OpenAI clients, pivot for the others.
import { anthropicErrorFromUpstream } from "../translate/errors.ts";
import { isOpenAIModel } from "../translate/models.ts";
import type { ProviderDescriptor } from "../types.ts";
import { anthropicToOpenAIRequest } from "./from-anthropic.ts";
import { openAIMaxOutputTokens } from "./models.ts";
import {
  chatPassthrough,
  embeddingsPassthrough,
  openAIHeaders,
  responsesPassthrough,
} from "./passthrough.ts";
import { createOpenAIToAnthropicStream } from "./stream-to-anthropic.ts";
import { openAIToAnthropicMessage, openAIUsage } from "./to-anthropic.ts";
import type { OpenAIChatCompletion } from "./types.ts";

export const OPENAI_MODELS = [
  "gpt-5",
  "gpt-5-mini",
  "gpt-5-nano",
  "gpt-4.1",
  "gpt-4.1-mini",
  "gpt-4o",
  "gpt-4o-mini",
  "o3",
  "o4-mini",
] as const;

export const openai = {
  name: "openai",
  setupHint: "set OPENAI_API_KEY",
  target: (c) => (c.openaiApiKey ? { baseUrl: c.openaiUpstreamUrl, apiKey: c.openaiApiKey } : null),
  upstreamUrl: (c) => c.openaiUpstreamUrl,
  models: OPENAI_MODELS,
  servesFamily: isOpenAIModel,
  maxOutputTokens: openAIMaxOutputTokens,
  free: false,
  pivot: {
    request: (target, body, model, incoming) => ({
      url: `${target.baseUrl}/v1/chat/completions`,
      headers: openAIHeaders(target, incoming),
      body: JSON.stringify(anthropicToOpenAIRequest(body, { model })),
    }),
    answer(json, model) {
      const completion = json as OpenAIChatCompletion;
      return {
        message: openAIToAnthropicMessage(completion, { model }),
        usage: openAIUsage(completion?.usage),
      };
    },
    stream: (model, inputTokenEstimate) => createOpenAIToAnthropicStream({ model, inputTokenEstimate }),
    error: (status, json) => anthropicErrorFromUpstream(status, json, "openai"),
  },
  passthrough: {
    "openai-chat": chatPassthrough,
    "openai-responses": responsesPassthrough,
    "openai-embeddings": embeddingsPassthrough,
  },
} satisfies ProviderDescriptor<"openai">;
