// POST /v1/chat/completions: OpenAI's Chat Completions protocol in front of every provider.
import { errorBody, GatewayError } from "../../errors.ts";
import type { AnthropicMessagesBody } from "../../providers/translate/anthropic-types.ts";
import type { ConversationDoor } from "../types.ts";
import { anthropicMessageToChatCompletion } from "./reply.ts";
import { chatIncludeUsage, chatRequestToAnthropic } from "./request.ts";
import { createAnthropicToChatStream } from "./stream.ts";

/** An SSE comment: OpenAI's clients skip it, proxies see traffic. */
const KEEP_ALIVE = new TextEncoder().encode(": keep-alive\n\n");

/** The output cap the client set, under either of OpenAI's names. */
export function openAIMaxTokens(json: Record<string, unknown>, ...fields: string[]): number | null {
  for (const field of fields) {
    const v = json[field];
    if (typeof v === "number" && v > 0) return Math.floor(v);
  }
  return null;
}

/** OpenAI's error body for an upstream error the provider reported in Anthropic's shape. */
export const openAIError = (
  status: number,
  error: { error: { type: GatewayError["kind"]; message: string } },
) => errorBody("openai", new GatewayError(status, error.error.type, error.error.message));

export const chatDoor: ConversationDoor = {
  kind: "conversation",
  protocol: "openai-chat",
  errors: "openai",
  parse(json) {
    let pivot: AnthropicMessagesBody | null = null;
    return {
      body: json,
      model: json.model as string,
      stream: json.stream === true,
      maxTokens: openAIMaxTokens(json, "max_completion_tokens", "max_tokens"),
      pivot: () => (pivot ??= chatRequestToAnthropic(json)),
    };
  },
  renderWhole: (message, ctx) => anthropicMessageToChatCompletion(message, { model: ctx.model }),
  renderStream(ctx) {
    const t = createAnthropicToChatStream({
      model: ctx.model,
      includeUsage: chatIncludeUsage(ctx.request.body),
    });
    return { push: (b) => t.push(b), finish: () => t.finish(), keepAlive: () => KEEP_ALIVE };
  },
  renderError: (status, error) => openAIError(status, error),
};
