// OpenAI chat.completion.chunk SSE → Anthropic Messages SSE, incrementally, with the real final usage.

import type { Usage } from "../../pricing/usage.ts";
import {
  AnthropicSseWriter,
  type AnthropicStreamTranslator,
  EMPTY,
  estimateTokens,
} from "../translate/anthropic-sse.ts";
import type { AnthropicStopReason } from "../translate/anthropic-types.ts";
import { anthropicErrorKindForOpenAIType } from "../translate/errors.ts";
import { newMessageId, newToolUseId } from "../translate/ids.ts";
import { SseDataReader } from "../translate/lines.ts";
import { JsonCompletion } from "./json-completion.ts";
import { mapFinishReason, openAIUsage } from "./to-anthropic.ts";
import type { OpenAIChatChunk, OpenAIToolCallDelta } from "./types.ts";

export interface OpenAIStreamOptions {
  /** The model the client asked for, echoed in message_start. */
  model: string;
  /** Sent in message_start (Anthropic sends the real count there; OpenAI only knows it at the end). */
  inputTokenEstimate: number;
  messageId?: string;
}

interface ToolCall {
  id: string;
  name: string;
  /** Arguments received while the call waited for its turn to become the open block. */
  buffered: string;
  json: JsonCompletion;
  phase: "queued" | "open" | "closed";
}

/**
 * Anthropic streams one block at a time; OpenAI may stream several tool calls by `index`, in
 * principle interleaved. One tool call streams live; the others queue (their arguments buffered) and
 * open, in order of appearance, as soon as the live call's JSON is complete or the message ends.
 * Text arriving while a tool call is open waits until the tool blocks are done.
 *
 * The usage chunk (empty `choices`) follows the finish_reason chunk, so message_delta waits for
 * `data: [DONE]` or finish().
 */
class OpenAIToAnthropicStream implements AnthropicStreamTranslator {
  readonly #writer: AnthropicSseWriter;
  readonly #estimate: number;
  readonly #reader = new SseDataReader();
  readonly #onData = (data: string): void => this.#data(data);
  readonly #calls = new Map<number, ToolCall>();
  #live: ToolCall | null = null;
  #queue: ToolCall[] = [];
  #heldText = "";
  #finishReason: string | null = null;
  #refusal = false;
  #reported: Usage | null = null;
  #outputChars = 0;
  #stopReason: AnthropicStopReason | null = null;

  constructor(opts: OpenAIStreamOptions) {
    this.#writer = new AnthropicSseWriter(opts.model, opts.messageId ?? newMessageId());
    this.#estimate = opts.inputTokenEstimate;
  }

  get usage(): Usage {
    if (this.#reported) return this.#reported;
    return {
      inputTokens: this.#estimate,
      outputTokens: estimateTokens(this.#outputChars),
      cacheCreationInputTokens: 0,
      cacheCreation1hInputTokens: 0,
      cacheReadInputTokens: 0,
    };
  }

  get usageReported(): boolean {
    return this.#reported !== null;
  }

  get finished(): boolean {
    return this.#writer.ended;
  }

  get stopReason(): AnthropicStopReason | null {
    return this.#stopReason;
  }

  push(chunk: Uint8Array): Uint8Array {
    if (this.#writer.ended) return EMPTY;
    this.#writer.start(this.#estimate);
    this.#reader.push(chunk, this.#onData);
    return this.#writer.take();
  }

  finish(): Uint8Array {
    if (this.#writer.ended) return EMPTY;
    this.#writer.start(this.#estimate);
    this.#reader.end(this.#onData);
    this.#end();
    return this.#writer.take();
  }

  error(type: string, message: string): Uint8Array {
    this.#writer.error(type, message);
    return this.#writer.take();
  }

  ping(): Uint8Array {
    this.#writer.ping();
    return this.#writer.take();
  }

  #data(data: string): void {
    if (this.#writer.ended) return;
    if (data === "[DONE]") {
      this.#end();
      return;
    }
    let chunk: OpenAIChatChunk;
    try {
      chunk = JSON.parse(data);
    } catch {
      return; // not JSON: nothing a client could use
    }
    if (typeof chunk !== "object" || chunk === null) return;
    if (typeof chunk.error === "object" && chunk.error !== null) {
      const kind = anthropicErrorKindForOpenAIType(chunk.error.type);
      this.#writer.error(kind, chunk.error.message ?? "The upstream reported an error.");
      return;
    }
    if (typeof chunk.usage === "object" && chunk.usage !== null) this.#reported = openAIUsage(chunk.usage);
    const choices = chunk.choices;
    if (!Array.isArray(choices) || choices.length === 0) return;
    // Only the first choice: an Anthropic message has exactly one.
    const choice = choices.find((c) => (c?.index ?? 0) === 0);
    if (!choice) return;
    const delta = choice.delta;
    if (typeof delta === "object" && delta !== null) {
      if (typeof delta.content === "string" && delta.content !== "") this.#text(delta.content);
      if (typeof delta.refusal === "string" && delta.refusal !== "") {
        this.#refusal = true;
        this.#text(delta.refusal);
      }
      if (Array.isArray(delta.tool_calls)) {
        for (const call of delta.tool_calls)
          if (typeof call === "object" && call !== null) this.#toolDelta(call);
      }
    }
    if (typeof choice.finish_reason === "string") {
      this.#finishReason = choice.finish_reason;
      this.#closeContent();
    }
  }

  #text(text: string): void {
    this.#outputChars += text.length;
    if (this.#live !== null) this.#heldText += text;
    else this.#writer.text(text);
  }

  #toolDelta(delta: OpenAIToolCallDelta): void {
    const index = typeof delta.index === "number" ? delta.index : 0;
    const name = delta.function?.name;
    const args = typeof delta.function?.arguments === "string" ? delta.function.arguments : "";
    this.#outputChars += args.length;
    let call = this.#calls.get(index);
    if (!call) {
      const id = typeof delta.id === "string" && delta.id !== "" ? delta.id : newToolUseId();
      call = { id, name: name ?? "", buffered: "", json: new JsonCompletion(), phase: "queued" };
      this.#calls.set(index, call);
      this.#queue.push(call);
    } else if (call.name === "" && typeof name === "string") {
      call.name = name;
    }
    // A call whose JSON was complete is closed; whatever follows (whitespace) has nowhere to go.
    if (call.phase === "closed") return;
    call.json.feed(args);
    if (call.phase === "open") {
      this.#writer.toolInput(args);
      if (call.json.complete) this.#closeLive();
    } else {
      call.buffered += args;
    }
    this.#openQueued();
  }

  /** Opens queued calls in order while no incomplete call is open; then lets held-back text out. */
  #openQueued(): void {
    while (this.#live === null) {
      const next = this.#queue.shift();
      if (!next) break;
      this.#writer.toolStart(next.id, next.name);
      this.#writer.toolInput(next.buffered);
      next.buffered = "";
      next.phase = "open";
      this.#live = next;
      if (next.json.complete) this.#closeLive();
    }
    if (this.#live === null && this.#heldText !== "") {
      this.#writer.text(this.#heldText);
      this.#heldText = "";
    }
  }

  #closeLive(): void {
    if (this.#live === null) return;
    this.#writer.closeBlock();
    this.#live.phase = "closed";
    this.#live = null;
  }

  /** The choice finished: every tool block opens and closes now, then any held text, then nothing is open. */
  #closeContent(): void {
    this.#closeLive();
    this.#openQueued();
    while (this.#live !== null) {
      this.#closeLive();
      this.#openQueued();
    }
    this.#writer.closeBlock();
  }

  #end(): void {
    if (this.#writer.ended) return;
    this.#closeContent();
    this.#stopReason = mapFinishReason(this.#finishReason, {
      toolCalls: this.#calls.size > 0,
      refusal: this.#refusal,
    });
    this.#writer.end(this.#stopReason, this.usage);
  }
}

export function createOpenAIToAnthropicStream(opts: OpenAIStreamOptions): AnthropicStreamTranslator {
  return new OpenAIToAnthropicStream(opts);
}
