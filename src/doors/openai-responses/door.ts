// POST /v1/responses: OpenAI's Responses API (Codex CLI's protocol) in front of every provider.
import type { AnthropicMessagesBody } from "../../providers/translate/anthropic-types.ts";
import { openAIError, openAIMaxTokens } from "../openai-chat/door.ts";
import type { ConversationDoor } from "../types.ts";
import { anthropicMessageToResponse } from "./reply.ts";
import { responsesRequestToAnthropic } from "./request.ts";
import { createAnthropicToResponsesStream } from "./stream.ts";

const KEEP_ALIVE = new TextEncoder().encode(": keep-alive\n\n");

export const responsesDoor: ConversationDoor = {
  kind: "conversation",
  protocol: "openai-responses",
  errors: "openai",
  parse(json) {
    let pivot: AnthropicMessagesBody | null = null;
    return {
      body: json,
      model: json.model as string,
      stream: json.stream === true,
      maxTokens: openAIMaxTokens(json, "max_output_tokens"),
      pivot: () => (pivot ??= responsesRequestToAnthropic(json)),
    };
  },
  renderWhole: (message, ctx) =>
    anthropicMessageToResponse(message, { model: ctx.model, request: ctx.request.body }),
  renderStream(ctx) {
    const t = createAnthropicToResponsesStream({ model: ctx.model, request: ctx.request.body });
    return { push: (b) => t.push(b), finish: () => t.finish(), keepAlive: () => KEEP_ALIVE };
  },
  renderError: (status, error) => openAIError(status, error),
};
