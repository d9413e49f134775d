// POST /v1/messages: the Anthropic protocol is the pivot, so reading and rendering are identities.

import { EMPTY } from "../../providers/translate/anthropic-sse.ts";
import type { AnthropicMessagesBody } from "../../providers/translate/anthropic-types.ts";
import type { ConversationDoor } from "../types.ts";

const PING = new TextEncoder().encode('event: ping\ndata: {"type": "ping"}\n\n');

export const messagesDoor: ConversationDoor = {
  kind: "conversation",
  protocol: "anthropic",
  errors: "anthropic",
  parse(json) {
    const maxTokens =
      typeof json.max_tokens === "number" && json.max_tokens > 0 ? Math.floor(json.max_tokens) : null;
    return {
      body: json,
      model: json.model as string,
      stream: json.stream === true,
      maxTokens,
      pivot: () => json as unknown as AnthropicMessagesBody,
    };
  },
  renderWhole: (message) => message,
  renderStream: () => ({ push: (bytes) => bytes, finish: () => EMPTY, keepAlive: () => PING }),
  renderError: (_status, error, requestId) => ({ ...error, request_id: requestId }),
};
