// Ollama's API in front of every provider: /api/chat, /api/generate and /api/embed as door descriptors.

import type { AnthropicMessagesBody } from "../../providers/translate/anthropic-types.ts";
import type { AnthropicErrorBody } from "../../providers/translate/errors.ts";
import { requestObject } from "../openai-chat/common.ts";
import type { ConversationDoor, DoorRequest, EmbeddingsDoor } from "../types.ts";
import { ollamaEmbedToOpenAI, openAIListToOllamaEmbed } from "./embed.ts";
import { anthropicToOllamaReply, type OllamaEndpoint } from "./reply.ts";
import {
  ollamaChatToAnthropic,
  ollamaGenerateToAnthropic,
  ollamaMaxTokens,
  ollamaStreams,
} from "./request.ts";
import { createAnthropicToOllamaStream } from "./stream.ts";

const NDJSON = "application/x-ndjson";

/** Ollama's error body is one string; the HTTP status carries the kind. */
const renderError = (_status: number, error: AnthropicErrorBody) => ({ error: error.error.message });

function conversationDoor(
  endpoint: OllamaEndpoint,
  toPivot: (json: Record<string, unknown>) => AnthropicMessagesBody,
): ConversationDoor {
  return {
    kind: "conversation",
    protocol: "ollama",
    errors: "ollama",
    parse(json) {
      let pivot: AnthropicMessagesBody | null = null;
      return {
        body: json,
        model: requestObject(json).model,
        stream: ollamaStreams(json),
        maxTokens: ollamaMaxTokens(json),
        pivot: () => (pivot ??= toPivot(json)),
      };
    },
    renderWhole: (message, ctx) => anthropicToOllamaReply(message, { model: ctx.model, endpoint }),
    renderStream(ctx) {
      const t = createAnthropicToOllamaStream({ model: ctx.model, endpoint });
      return {
        push: (b) => t.push(b),
        finish: () => t.finish(),
        keepAlive: () => t.keepAlive(),
        contentType: NDJSON,
      };
    },
    renderError,
  };
}

export const ollamaChatDoor = conversationDoor("chat", ollamaChatToAnthropic);
export const ollamaGenerateDoor = conversationDoor("generate", ollamaGenerateToAnthropic);

export const ollamaEmbedDoor: EmbeddingsDoor = {
  kind: "embeddings",
  protocol: "ollama",
  errors: "ollama",
  parse: (json): DoorRequest => ({
    body: json,
    model: requestObject(json).model,
    stream: false,
    maxTokens: 0,
  }),
  toOpenAI: ollamaEmbedToOpenAI,
  renderList: (list, model) => openAIListToOllamaEmbed(list, model),
  renderError,
};
