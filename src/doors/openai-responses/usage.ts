// Usage of native (OpenAI-model) Responses answers: whole JSON bodies and raw SSE bytes, never rewritten.

import type { Usage } from "../../pricing/usage.ts";
import { openAIUsage } from "../../providers/openai/to-anthropic.ts";
import { isObject } from "../openai-chat/common.ts";

/**
 * OpenAI's `input_tokens` includes the cached part given in `input_tokens_details.cached_tokens`, as
 * Chat's `prompt_tokens` does; the gateway's `inputTokens` excludes it. The same split as the Chat
 * meter (`openAIUsage`), so both OpenAI doors price a cache hit alike.
 */
export function responsesUsage(json: unknown): Usage {
  const usage = isObject(json) ? json.usage : undefined;
  if (!isObject(usage)) return openAIUsage(null);
  const details = isObject(usage.input_tokens_details) ? usage.input_tokens_details : {};
  return openAIUsage({
    prompt_tokens: typeof usage.input_tokens === "number" ? usage.input_tokens : 0,
    completion_tokens: typeof usage.output_tokens === "number" ? usage.output_tokens : 0,
    prompt_tokens_details: {
      cached_tokens: typeof details.cached_tokens === "number" ? details.cached_tokens : 0,
    },
  });
}

export type TerminalStatus = "completed" | "incomplete" | "failed";

export interface ResponsesStreamMeter {
  /** Upstream bytes exactly as received (split anywhere); they are forwarded unchanged by the caller. */
  push(chunk: Uint8Array): void;
  /** The upstream ended: a last line without its newline is read. */
  end(): void;
  /** From the terminal event; zeros until it arrives. */
  readonly usage: Usage;
  readonly usageReported: boolean;
  /** Which terminal event ended the stream, or null while none has (a cut stream). */
  readonly status: TerminalStatus | null;
}

const LF = 0x0a;
const CR = 0x0d;
const EVENT = Buffer.from("event:");
const DATA = Buffer.from("data:");
const TERMINAL = ["response.completed", "response.incomplete", "response.failed"];
/** OpenAI writes `type` first, so a terminal event's data starts like one of these even without an event line. */
const TERMINAL_DATA = TERMINAL.map((type) => Buffer.from(`{"type":"${type}"`));
/** The terminal event repeats the whole output; past this it is not worth holding to read a usage. */
const MAX_KEPT_LINE = 32 << 20;
const decoder = new TextDecoder();

const view = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

/**
 * Looks at line starts only: an `event:` line names the next event; a `data:` line is decoded and
 * parsed only when it belongs to a terminal event. Every other line (the text deltas) is skipped
 * without being decoded or kept, so the cost is a newline search per chunk.
 */
class Meter implements ResponsesStreamMeter {
  #usage: Usage | null = null;
  #status: TerminalStatus | null = null;
  #terminalEvent = false;
  /** The unterminated last line, kept only while it may be one we read. */
  #partial: Buffer | null = null;
  /** The current line is being skipped until its newline. */
  #skipping = false;

  get usage(): Usage {
    return this.#usage ?? openAIUsage(null);
  }

  get usageReported(): boolean {
    return this.#usage !== null;
  }

  get status(): TerminalStatus | null {
    return this.#status;
  }

  push(chunk: Uint8Array): void {
    const buf = view(chunk);
    let pos = 0;
    while (pos < buf.length) {
      const lf = buf.indexOf(LF, pos);
      const end = lf === -1 ? buf.length : lf;
      if (this.#skipping) {
        if (lf !== -1) this.#skipping = false;
      } else {
        const piece = buf.subarray(pos, end);
        const line = this.#partial === null ? piece : Buffer.concat([this.#partial, piece]);
        this.#partial = null;
        if (lf === -1) this.#hold(line);
        else this.#line(line);
      }
      if (lf === -1) break;
      pos = lf + 1;
    }
  }

  end(): void {
    const partial = this.#partial;
    this.#partial = null;
    if (partial !== null) this.#line(partial);
  }

  /** Keeps an unfinished line if it may be an event name or a terminal event's data. */
  #hold(line: Buffer): void {
    if (line.length > MAX_KEPT_LINE || !this.#mayMatter(line)) {
      this.#skipping = true;
      return;
    }
    this.#partial = Buffer.from(line);
  }

  #mayMatter(line: Buffer): boolean {
    if (startsWith(line, EVENT, false)) return true;
    if (!startsWith(line, DATA, false)) return false;
    if (line.length <= DATA.length || this.#terminalEvent) return true;
    return isTerminalData(dataValue(line), false);
  }

  #line(raw: Buffer): void {
    const line = raw.length > 0 && raw[raw.length - 1] === CR ? raw.subarray(0, raw.length - 1) : raw;
    if (line.length === 0) {
      this.#terminalEvent = false;
      return;
    }
    if (startsWith(line, EVENT, true)) {
      const name = decoder.decode(line.subarray(EVENT.length)).trim();
      this.#terminalEvent = TERMINAL.includes(name);
      return;
    }
    if (!startsWith(line, DATA, true)) return;
    const value = dataValue(line);
    if (!this.#terminalEvent && !isTerminalData(value, true)) return;
    let event: unknown;
    try {
      event = JSON.parse(decoder.decode(value));
    } catch {
      return;
    }
    if (!isObject(event) || typeof event.type !== "string" || !TERMINAL.includes(event.type)) return;
    this.#status = event.type.slice("response.".length) as TerminalStatus;
    if (isObject(event.response) && isObject(event.response.usage))
      this.#usage = responsesUsage(event.response);
  }
}

const dataValue = (line: Buffer): Buffer =>
  line.subarray(line[DATA.length] === 0x20 ? DATA.length + 1 : DATA.length);

const isTerminalData = (value: Buffer, full: boolean): boolean =>
  TERMINAL_DATA.some((prefix) => startsWith(value, prefix, full));

/** `buf` starts with `pattern` (full), or the two agree on their common length (a line still arriving). */
function startsWith(buf: Uint8Array, pattern: Uint8Array, full: boolean): boolean {
  if (full && buf.length < pattern.length) return false;
  const n = Math.min(buf.length, pattern.length);
  for (let i = 0; i < n; i++) if (buf[i] !== pattern[i]) return false;
  return true;
}

export function createResponsesStreamMeter(): ResponsesStreamMeter {
  return new Meter();
}
