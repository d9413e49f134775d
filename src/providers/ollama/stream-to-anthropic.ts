// Ollama /api/chat NDJSON stream → Anthropic Messages SSE, incrementally, usage from the final line.

import type { Usage } from "../../pricing/usage.ts";
import {
  AnthropicSseWriter,
  type AnthropicStreamTranslator,
  EMPTY,
  estimateTokens,
} from "../translate/anthropic-sse.ts";
import type { AnthropicStopReason } from "../translate/anthropic-types.ts";
import { newMessageId, newToolUseId } from "../translate/ids.ts";
import { LineSplitter } from "../translate/lines.ts";
import { mapDoneReason, ollamaToolInput, ollamaUsage } from "./to-anthropic.ts";
import type { OllamaChatResponse } from "./types.ts";

export interface OllamaStreamOptions {
  /** The model the client asked for, echoed in message_start. */
  model: string;
  /** Sent in message_start; the real count arrives with the final `done` line. */
  inputTokenEstimate: number;
  messageId?: string;
}

/**
 * One JSON object per line. Text arrives in `message.content`; tool calls arrive whole, so each
 * becomes a complete tool_use block (start, one input_json_delta, stop) at once. The `done` line
 * ends the message; an `{"error": …}` line ends it with an Anthropic error event. `message.thinking`
 * is not forwarded: it carries no signature, so it cannot become an Anthropic thinking block.
 */
class OllamaToAnthropicStream implements AnthropicStreamTranslator {
  readonly #writer: AnthropicSseWriter;
  readonly #estimate: number;
  readonly #lines = new LineSplitter();
  readonly #onLine = (line: string): void => this.#line(line);
  #toolCalls = false;
  #reported: Usage | null = null;
  #outputChars = 0;
  #stopReason: AnthropicStopReason | null = null;

  constructor(opts: OllamaStreamOptions) {
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
    this.#lines.push(chunk, this.#onLine);
    return this.#writer.take();
  }

  finish(): Uint8Array {
    if (this.#writer.ended) return EMPTY;
    this.#writer.start(this.#estimate);
    this.#lines.end(this.#onLine);
    this.#end(undefined);
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

  #line(line: string): void {
    if (this.#writer.ended || line.trim() === "") return;
    let json: OllamaChatResponse;
    try {
      json = JSON.parse(line);
    } catch {
      return; // not JSON: nothing a client could use
    }
    if (typeof json !== "object" || json === null) return;
    if (typeof json.error === "string") {
      this.#writer.error("api_error", json.error);
      return;
    }
    const message = json.message;
    if (typeof message?.content === "string" && message.content !== "") {
      this.#outputChars += message.content.length;
      this.#writer.text(message.content);
    }
    if (Array.isArray(message?.tool_calls)) {
      for (const call of message.tool_calls) {
        const name = call?.function?.name;
        if (typeof name !== "string") continue;
        const input = JSON.stringify(ollamaToolInput(call.function?.arguments));
        this.#outputChars += input.length;
        this.#toolCalls = true;
        this.#writer.toolStart(newToolUseId(), name);
        this.#writer.toolInput(input);
        this.#writer.closeBlock();
      }
    }
    if (json.done === true) {
      this.#reported = ollamaUsage(json);
      this.#end(json.done_reason);
    }
  }

  #end(doneReason: string | undefined): void {
    if (this.#writer.ended) return;
    this.#stopReason = mapDoneReason(doneReason, this.#toolCalls);
    this.#writer.end(this.#stopReason, this.usage);
  }
}

export function createOllamaToAnthropicStream(opts: OllamaStreamOptions): AnthropicStreamTranslator {
  return new OllamaToAnthropicStream(opts);
}
