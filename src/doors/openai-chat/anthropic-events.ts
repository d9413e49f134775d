// Reads Anthropic Messages SSE bytes (split anywhere) into parsed events, keeping the usage as it goes.

import { emptyUsage, type Usage } from "../../pricing/usage.ts";
import { usageFromMessage } from "../../providers/anthropic/usage.ts";
import { SseDataReader } from "../../providers/translate/lines.ts";
import { isObject, type Json } from "./common.ts";

export type AnthropicEvent = Json & { type: string };
export type OnEvent = (event: AnthropicEvent) => void;

/**
 * Every event of a Messages stream carries its `type` in its data, so only the data lines are read.
 * Usage follows Anthropic's rule that counts are cumulative: message_start gives the input side,
 * message_delta the final output (and, from the gateway's own translators, the real input too); a
 * count present in a later event replaces the earlier one, an absent one keeps it.
 */
export class AnthropicEventReader {
  readonly usage: Usage = emptyUsage();
  readonly #reader = new SseDataReader();
  #on: OnEvent = () => {};
  readonly #onData = (data: string): void => this.#data(data);

  push(chunk: Uint8Array, on: OnEvent): void {
    this.#on = on;
    this.#reader.push(chunk, this.#onData);
  }

  /** The upstream ended: an event that lacked its closing blank line is dispatched. */
  end(on: OnEvent): void {
    this.#on = on;
    this.#reader.end(this.#onData);
  }

  #data(data: string): void {
    let event: unknown;
    try {
      event = JSON.parse(data);
    } catch {
      return; // not JSON: nothing a client could use
    }
    if (!isObject(event) || typeof event.type !== "string") return;
    if (event.type === "message_start" && isObject(event.message)) this.#merge(event.message.usage);
    else if (event.type === "message_delta") this.#merge(event.usage);
    this.#on(event as AnthropicEvent);
  }

  #merge(raw: unknown): void {
    if (!isObject(raw)) return;
    const parsed = usageFromMessage({ usage: raw });
    const has = (key: string): boolean => typeof raw[key] === "number";
    if (has("input_tokens")) this.usage.inputTokens = parsed.inputTokens;
    if (has("output_tokens")) this.usage.outputTokens = parsed.outputTokens;
    if (has("cache_read_input_tokens")) this.usage.cacheReadInputTokens = parsed.cacheReadInputTokens;
    if (has("cache_creation_input_tokens") || isObject(raw.cache_creation)) {
      this.usage.cacheCreationInputTokens = parsed.cacheCreationInputTokens;
      this.usage.cacheCreation1hInputTokens = parsed.cacheCreation1hInputTokens;
    }
  }
}

/** An in-stream Anthropic error event's type and message (defaults when the upstream sent neither). */
export function streamError(event: AnthropicEvent): { type: string; message: string } {
  const error = isObject(event.error) ? event.error : {};
  return {
    type: typeof error.type === "string" ? error.type : "api_error",
    message: typeof error.message === "string" ? error.message : "The upstream reported an error.",
  };
}

/** OpenAI's error `type` for an Anthropic one, as the gateway's own OpenAI error bodies name them. */
export function openAIErrorType(anthropicType: string): string {
  switch (anthropicType) {
    case "invalid_request_error":
    case "authentication_error":
    case "not_found_error":
    case "request_too_large":
      return "invalid_request_error";
    case "permission_error":
      return "permission_error";
    case "billing_error":
      return "insufficient_quota";
    case "rate_limit_error":
      return "rate_limit_exceeded";
    case "timeout_error":
      return "timeout";
    case "overloaded_error":
      return "server_error";
    default:
      return "api_error";
  }
}
