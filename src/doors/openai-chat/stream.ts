// Anthropic Messages SSE → OpenAI chat.completion.chunk SSE, incrementally, for Chat Completions clients.

import type { Usage } from "../../pricing/usage.ts";
import { EMPTY } from "../../providers/translate/anthropic-sse.ts";
import {
  type AnthropicEvent,
  AnthropicEventReader,
  openAIErrorType,
  streamError,
} from "./anthropic-events.ts";
import { isObject } from "./common.ts";
import { chatFinishReason, chatUsageJson, newChatId, unixSeconds } from "./reply.ts";

export interface ChatStreamOptions {
  /** The model the client asked for, echoed in every chunk. */
  model: string;
  /** `stream_options.include_usage`: a last chunk with empty `choices` and the usage. */
  includeUsage: boolean;
  id?: string;
  created?: number;
}

/** What the pipeline drives: Anthropic bytes in, OpenAI chunk bytes out. */
export interface ChatStreamTranslator {
  /** Upstream bytes exactly as received (split anywhere) → the SSE bytes to send now, possibly empty. */
  push(chunk: Uint8Array): Uint8Array;
  /** The upstream ended: the finish chunk, the usage chunk and `[DONE]`, unless already sent. */
  finish(): Uint8Array;
  /** An OpenAI error chunk (`data: {"error":…}`), after which nothing more is sent. */
  error(message: string, type: string): Uint8Array;
  /** The usage read from the upstream so far (the spend row's counts). */
  readonly usage: Usage;
  /** `[DONE]` or an error chunk has been sent. */
  readonly finished: boolean;
  /** The stream ended in an error chunk (the upstream's, or one the pipeline asked for). */
  readonly sawError: boolean;
}

const encoder = new TextEncoder();

/**
 * Anthropic's blocks map onto one choice: text deltas become `content`, each tool_use block one
 * `tool_calls` entry (its own `index`, counted from 0; id and name in its first delta, the arguments
 * JSON after it verbatim). Thinking is not shown (Chat Completions has no field for it). An upstream
 * that ends without message_stop has been cut off: the client gets an error chunk, not a clean stop.
 */
class AnthropicToChatStream implements ChatStreamTranslator {
  readonly #events = new AnthropicEventReader();
  readonly #onEvent = (e: AnthropicEvent): void => this.#event(e);
  readonly #prefix: string;
  readonly #includeUsage: boolean;
  readonly #tools = new Map<number, number>();
  #out = "";
  #started = false;
  #stopReason: string | null = null;
  #finished = false;
  #sawError = false;

  constructor(opts: ChatStreamOptions) {
    const id = opts.id ?? newChatId();
    const created = opts.created ?? unixSeconds();
    // Every chunk starts the same way; built once.
    this.#prefix = `{"id":${JSON.stringify(id)},"object":"chat.completion.chunk","created":${created},"model":${JSON.stringify(opts.model)}`;
    this.#includeUsage = opts.includeUsage;
  }

  get usage(): Usage {
    return this.#events.usage;
  }

  get finished(): boolean {
    return this.#finished;
  }

  get sawError(): boolean {
    return this.#sawError;
  }

  push(chunk: Uint8Array): Uint8Array {
    if (this.#finished) return EMPTY;
    this.#events.push(chunk, this.#onEvent);
    return this.#take();
  }

  finish(): Uint8Array {
    if (this.#finished) return EMPTY;
    this.#events.end(this.#onEvent);
    if (!this.#finished) {
      if (this.#stopReason !== null) this.#end();
      else this.#error("The upstream stream ended before the answer was complete.", "api_error");
    }
    return this.#take();
  }

  error(message: string, type: string): Uint8Array {
    if (this.#finished) return EMPTY;
    this.#error(message, type);
    return this.#take();
  }

  #event(e: AnthropicEvent): void {
    if (this.#finished) return;
    switch (e.type) {
      case "message_start":
        this.#start();
        break;
      case "content_block_start":
        this.#blockStart(e);
        break;
      case "content_block_delta":
        this.#blockDelta(e);
        break;
      case "message_delta":
        if (isObject(e.delta) && typeof e.delta.stop_reason === "string")
          this.#stopReason = e.delta.stop_reason;
        break;
      case "message_stop":
        this.#end();
        break;
      case "error": {
        const { type, message } = streamError(e);
        this.#error(message, openAIErrorType(type));
        break;
      }
      default:
        break; // ping, content_block_stop and future events change nothing for the client
    }
  }

  #start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#chunk('{"role":"assistant","content":""}', "null");
  }

  #blockStart(e: AnthropicEvent): void {
    this.#start();
    const block = e.content_block;
    if (!isObject(block) || typeof e.index !== "number") return;
    if (block.type === "text" && typeof block.text === "string" && block.text !== "") {
      this.#chunk(`{"content":${JSON.stringify(block.text)}}`, "null");
    } else if (block.type === "tool_use" && typeof block.id === "string" && typeof block.name === "string") {
      const index = this.#tools.size;
      this.#tools.set(e.index, index);
      const call = { index, id: block.id, type: "function", function: { name: block.name, arguments: "" } };
      this.#chunk(`{"tool_calls":[${JSON.stringify(call)}]}`, "null");
    }
  }

  #blockDelta(e: AnthropicEvent): void {
    const delta = e.delta;
    if (!isObject(delta)) return;
    if (delta.type === "text_delta" && typeof delta.text === "string" && delta.text !== "") {
      this.#start();
      this.#chunk(`{"content":${JSON.stringify(delta.text)}}`, "null");
    } else if (delta.type === "input_json_delta" && typeof delta.partial_json === "string") {
      const index = typeof e.index === "number" ? this.#tools.get(e.index) : undefined;
      if (index === undefined || delta.partial_json === "") return;
      this.#chunk(
        `{"tool_calls":[{"index":${index},"function":{"arguments":${JSON.stringify(delta.partial_json)}}}]}`,
        "null",
      );
    }
  }

  #end(): void {
    this.#start();
    let reason = chatFinishReason(this.#stopReason);
    if (reason === "stop" && this.#tools.size > 0) reason = "tool_calls";
    this.#chunk("{}", JSON.stringify(reason));
    if (this.#includeUsage) {
      this.#out += `data: ${this.#prefix},"choices":[],"usage":${JSON.stringify(chatUsageJson(this.usage))}}\n\n`;
    }
    this.#out += "data: [DONE]\n\n";
    this.#finished = true;
  }

  #error(message: string, type: string): void {
    this.#out += `data: ${JSON.stringify({ error: { message, type, param: null, code: null } })}\n\n`;
    this.#finished = true;
    this.#sawError = true;
  }

  #chunk(delta: string, finishReason: string): void {
    this.#out += `data: ${this.#prefix},"choices":[{"index":0,"delta":${delta},"logprobs":null,"finish_reason":${finishReason}}]}\n\n`;
  }

  #take(): Uint8Array {
    if (this.#out === "") return EMPTY;
    const bytes = encoder.encode(this.#out);
    this.#out = "";
    return bytes;
  }
}

export function createAnthropicToChatStream(opts: ChatStreamOptions): ChatStreamTranslator {
  return new AnthropicToChatStream(opts);
}
