// POST /v1/chat/completions: OpenAI's Chat Completions protocol in front of every provider.
import { errorBody, GatewayError } from "../../errors.ts";
import { TranslationError } from "../../providers/translate/content.ts";
import type { Door } from "../types.ts";

/** The output cap the client set, under either of OpenAI's names. */
function maxTokensOf(json: Record<string, unknown>): number | null {
  for (const field of ["max_completion_tokens", "max_tokens"]) {
    const v = json[field];
    if (typeof v === "number" && v > 0) return Math.floor(v);
  }
  return null;
}

export const chatDoor: Door = {
  protocol: "openai-chat",
  errors: "openai",
  parse(json) {
    return {
      model: json.model as string,
      stream: json.stream === true,
      maxTokens: maxTokensOf(json),
      pivot: () => {
        throw new TranslationError("translation of chat completions is not wired yet");
      },
    };
  },
  renderWhole() {
    throw new GatewayError(400, "invalid_request_error", "translation of chat completions is not wired yet");
  },
  renderStream() {
    throw new GatewayError(400, "invalid_request_error", "translation of chat completions is not wired yet");
  },
  renderError: (status, error) =>
    errorBody("openai", new GatewayError(status, error.error.type, error.error.message)),
};
