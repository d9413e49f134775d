// Writes Anthropic's streaming event sequence (message_start … message_stop) for translated upstream streams.

import type { Usage } from "../../pricing/usage.ts";
import type { AnthropicStopReason } from "./anthropic-types.ts";

/** What a stream translator offers the proxy: bytes in from the upstream, Anthropic SSE bytes out. */
export interface AnthropicStreamTranslator {
  /** Upstream bytes exactly as received (split anywhere) → the SSE bytes to send now, possibly empty. */
  push(chunk: Uint8Array): Uint8Array;
  /** The upstream ended: closes open blocks and sends message_delta + message_stop unless already sent. */
  finish(): Uint8Array;
  /** An Anthropic `event: error` (e.g. the upstream broke or timed out); nothing follows it. */
  error(type: string, message: string): Uint8Array;
  /** A keep-alive `event: ping` for idle periods; empty once finished. */
  ping(): Uint8Array;
  /** The real usage once the upstream reported it; until then an estimate (see `usageReported`). */
  readonly usage: Usage;
  /** Whether `usage` holds the upstream's own counts rather than the estimate. */
  readonly usageReported: boolean;
  /** message_stop or an error event has been sent. */
  readonly finished: boolean;
  /** The stop reason sent (or to be sent) in message_delta, once known. */
  readonly stopReason: AnthropicStopReason | null;
}

export const EMPTY = new Uint8Array(0);
const encoder = new TextEncoder();

/**
 * Builds one string per `push` and encodes it once. Enforces Anthropic's block discipline: one
 * block open at a time, indexes counting up from 0, every opened block closed before the message
 * ends, and nothing at all after message_stop or an error.
 */
export class AnthropicSseWriter {
  #out = "";
  #next = 0;
  #open: "text" | "tool_use" | null = null;
  #started = false;
  #ended = false;

  constructor(
    private readonly model: string,
    private readonly messageId: string,
  ) {}

  get started(): boolean {
    return this.#started;
  }

  /** message_stop or error written. */
  get ended(): boolean {
    return this.#ended;
  }

  get openBlock(): "text" | "tool_use" | null {
    return this.#open;
  }

  /** message_start; input_tokens is the estimate (the real count comes in message_delta). */
  start(inputTokens: number): void {
    if (this.#started) return;
    this.#started = true;
    const message = {
      id: this.messageId,
      type: "message",
      role: "assistant",
      model: this.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: {
        input_tokens: inputTokens,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        output_tokens: 1,
      },
    };
    this.#event("message_start", JSON.stringify({ type: "message_start", message }));
  }

  /** Text goes into the open text block, or a new one (closing a tool block first). */
  text(text: string): void {
    if (text === "" || this.#ended) return;
    if (this.#open !== "text") {
      this.closeBlock();
      this.#open = "text";
      this.#event(
        "content_block_start",
        `{"type":"content_block_start","index":${this.#next},"content_block":{"type":"text","text":""}}`,
      );
    }
    this.#event(
      "content_block_delta",
      `{"type":"content_block_delta","index":${this.#next},"delta":{"type":"text_delta","text":${JSON.stringify(text)}}}`,
    );
  }

  /** Opens a tool_use block (closing whatever is open); its input arrives through toolInput. */
  toolStart(id: string, name: string): void {
    if (this.#ended) return;
    this.closeBlock();
    this.#open = "tool_use";
    const block = JSON.stringify({ type: "tool_use", id, name, input: {} });
    this.#event(
      "content_block_start",
      `{"type":"content_block_start","index":${this.#next},"content_block":${block}}`,
    );
  }

  /** A piece of the open tool block's input JSON, verbatim. */
  toolInput(partialJson: string): void {
    if (partialJson === "" || this.#open !== "tool_use" || this.#ended) return;
    this.#event(
      "content_block_delta",
      `{"type":"content_block_delta","index":${this.#next},"delta":{"type":"input_json_delta","partial_json":${JSON.stringify(partialJson)}}}`,
    );
  }

  closeBlock(): void {
    if (this.#open === null || this.#ended) return;
    this.#event("content_block_stop", `{"type":"content_block_stop","index":${this.#next}}`);
    this.#open = null;
    this.#next++;
  }

  /** Closes the open block, then message_delta with the final usage and message_stop. */
  end(stopReason: AnthropicStopReason, usage: Usage): void {
    if (this.#ended) return;
    this.closeBlock();
    const delta = {
      type: "message_delta",
      delta: { stop_reason: stopReason, stop_sequence: null },
      usage: {
        input_tokens: usage.inputTokens,
        cache_creation_input_tokens: usage.cacheCreationInputTokens,
        cache_read_input_tokens: usage.cacheReadInputTokens,
        output_tokens: usage.outputTokens,
      },
    };
    this.#event("message_delta", JSON.stringify(delta));
    this.#event("message_stop", '{"type":"message_stop"}');
    this.#ended = true;
  }

  /** Anthropic's in-stream error event. Open blocks stay open, as when Anthropic itself fails mid-stream. */
  error(type: string, message: string): void {
    if (this.#ended) return;
    this.#event("error", JSON.stringify({ type: "error", error: { type, message } }));
    this.#ended = true;
  }

  ping(): void {
    if (!this.#ended) this.#event("ping", '{"type": "ping"}');
  }

  /** Everything written since the last take, as bytes. */
  take(): Uint8Array {
    if (this.#out === "") return EMPTY;
    const bytes = encoder.encode(this.#out);
    this.#out = "";
    return bytes;
  }

  #event(name: string, data: string): void {
    this.#out += `event: ${name}\ndata: ${data}\n\n`;
  }
}

/** A rough token count for text we produced ourselves, used only until the upstream reports usage. */
export const estimateTokens = (chars: number): number => Math.ceil(chars / 4);
