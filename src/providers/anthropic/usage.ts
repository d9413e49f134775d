// Token usage from Anthropic Messages responses: whole JSON bodies and raw SSE byte streams, never throwing.

import { emptyUsage, type Usage } from "../../pricing/usage.ts";

export interface StreamError {
  type: string;
  message: string;
}

export interface SseUsageTracker {
  /** Feed upstream bytes exactly as received; chunk boundaries may fall anywhere. */
  push(chunk: Uint8Array): void;
  /** The stream ended: dispatch an event left without its closing blank line. */
  end(): void;
  readonly usage: Usage;
  readonly model: string | null;
  readonly stopReason: string | null;
  readonly sawMessageStop: boolean;
  readonly error: StreamError | null;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** A token count, or undefined when absent, null or nonsense, so it never overwrites a good value. */
function tokenCount(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) && v >= 0 ? Math.floor(v) : undefined;
}

/**
 * Copy the fields present in an Anthropic `usage` object onto `target`. Every count Anthropic
 * reports, in `message_start` and in `message_delta` alike, is cumulative: overwrite, never add.
 */
function applyUsage(target: Usage, usage: unknown): void {
  if (!isObject(usage)) return;
  const input = tokenCount(usage.input_tokens);
  if (input !== undefined) target.inputTokens = input;
  const output = tokenCount(usage.output_tokens);
  if (output !== undefined) target.outputTokens = output;
  const writes = tokenCount(usage.cache_creation_input_tokens);
  if (writes !== undefined) target.cacheCreationInputTokens = writes;
  const reads = tokenCount(usage.cache_read_input_tokens);
  if (reads !== undefined) target.cacheReadInputTokens = reads;
  const byTtl = usage.cache_creation;
  if (isObject(byTtl)) {
    const writes1h = tokenCount(byTtl.ephemeral_1h_input_tokens);
    if (writes1h !== undefined) target.cacheCreation1hInputTokens = writes1h;
    // Older responses lack the flat total but may carry the TTL breakdown.
    if (writes === undefined) {
      const writes5m = tokenCount(byTtl.ephemeral_5m_input_tokens);
      if (writes5m !== undefined || writes1h !== undefined) {
        target.cacheCreationInputTokens = (writes5m ?? 0) + (writes1h ?? 0);
      }
    }
  }
  if (target.cacheCreation1hInputTokens > target.cacheCreationInputTokens) {
    target.cacheCreation1hInputTokens = target.cacheCreationInputTokens;
  }
}

/** Usage of a non-streaming Messages response (the parsed body); zeros for anything unrecognisable. */
export function usageFromMessage(json: unknown): Usage {
  const usage = emptyUsage();
  if (isObject(json)) applyUsage(usage, json.usage);
  return usage;
}

function parseJson(text: string): Json | null {
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : null;
  } catch {
    return null;
  }
}

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const EVENT_FIELD = [0x65, 0x76, 0x65, 0x6e, 0x74, COLON]; // "event:"
const DATA_FIELD = [0x64, 0x61, 0x74, 0x61, COLON]; // "data:"

/** Events whose data we decode and parse; every other event is skipped byte by byte. */
const PARSED_EVENTS = new Set(["message_start", "message_delta", "error"]);

// An interesting event's data is a few hundred bytes; past this it is garbage we refuse to buffer.
const MAX_KEPT_BYTES = 1 << 20;

const decoder = new TextDecoder();

/** 1 = `bytes` starts with `field`, 0 = too short to tell yet, -1 = it does not. */
function startsWith(bytes: Uint8Array, length: number, field: readonly number[]): 1 | 0 | -1 {
  const n = Math.min(length, field.length);
  for (let i = 0; i < n; i++) if (bytes[i] !== field[i]) return -1;
  return length >= field.length ? 1 : 0;
}

/** Names compared as bytes, so the event line of every content delta is classified without decoding it. */
const KNOWN_EVENTS = ["message_start", "message_delta", "message_stop", "error"].map((name) => ({
  name,
  bytes: new TextEncoder().encode(name),
}));
/** Stands for any event we ignore; unlike "" (no event line yet) it stops the event's data being kept. */
const OTHER_EVENT = "\u0000other";

/** The event name of an `event:` line, as one of KNOWN_EVENTS or OTHER_EVENT. */
function eventNameOf(line: Uint8Array): string {
  let start = EVENT_FIELD.length;
  if (line[start] === 0x20) start++;
  const length = line.length - start;
  for (const known of KNOWN_EVENTS) {
    if (known.bytes.length !== length) continue;
    let i = 0;
    while (i < length && line[start + i] === known.bytes[i]) i++;
    if (i === length) return known.name;
  }
  return OTHER_EVENT;
}

/** Anthropic writes "type" first; this reads it without parsing when an event came without its name. */
const TYPE_SNIFF = /^\s*\{\s*"type"\s*:\s*"([a-z_]+)"/;

class Tracker implements SseUsageTracker {
  usage: Usage = emptyUsage();
  model: string | null = null;
  stopReason: string | null = null;
  sawMessageStop = false;
  error: StreamError | null = null;

  // Current event, per the SSE spec: fields accumulate until a blank line dispatches them.
  private eventName = "";
  private data = "";
  private hasData = false;
  private dataTooLarge = false;

  // Bytes of the line in progress when a chunk ends mid-line.
  private pending: Uint8Array[] = [];
  private pendingLength = 0;
  /** The pending line is known to be one we keep. */
  private pendingKept = false;
  /** The rest of the current line is irrelevant (a content delta, a comment, `id:`): drop it unread. */
  private skipping = false;
  /** The last chunk ended in CR; a LF opening the next one belongs to the same line break. */
  private afterCR = false;

  push(chunk: Uint8Array): void {
    try {
      this.consume(chunk);
    } catch {
      // Usage tracking must never break the proxied stream; a parser bug only costs accuracy.
      this.reset();
    }
  }

  end(): void {
    try {
      if (this.pendingLength > 0 && !this.skipping) this.line(this.takePending());
      this.reset();
      this.dispatch();
    } catch {
      this.reset();
    }
  }

  private reset(): void {
    this.pending = [];
    this.pendingLength = 0;
    this.pendingKept = false;
    this.skipping = false;
    this.afterCR = false;
  }

  private consume(chunk: Uint8Array): void {
    const n = chunk.length;
    if (n === 0) return; // and keep afterCR for the chunk that does come next
    let i = 0;
    if (this.afterCR) {
      this.afterCR = false;
      if (chunk[0] === LF) i = 1;
    }
    // Next LF / CR at or after i; -2 = not searched yet, -1 = none left in this chunk.
    let nextLF = -2;
    let nextCR = -2;
    while (i < n) {
      if (nextLF !== -1 && nextLF < i) nextLF = chunk.indexOf(LF, i);
      if (nextCR !== -1 && nextCR < i) nextCR = chunk.indexOf(CR, i);
      const end = nextLF === -1 ? nextCR : nextCR === -1 ? nextLF : Math.min(nextLF, nextCR);
      if (end === -1) {
        this.partial(chunk.subarray(i));
        return;
      }
      this.lineEnd(chunk.subarray(i, end));
      if (chunk[end] === LF) {
        i = end + 1;
      } else if (end + 1 === n) {
        this.afterCR = true;
        return;
      } else {
        i = chunk[end + 1] === LF ? end + 2 : end + 1;
      }
    }
  }

  /** A piece of a line whose end is in a later chunk. */
  private partial(piece: Uint8Array): void {
    if (this.skipping || piece.length === 0) return;
    // Copy: the caller may reuse the chunk's buffer once push returns.
    this.pending.push(piece.slice());
    this.pendingLength += piece.length;
    if (this.pendingLength > MAX_KEPT_BYTES) {
      this.dataTooLarge = true;
      this.skip();
      return;
    }
    // Decide from the first bytes whether the line is worth keeping; once it is, stop asking.
    if (this.pendingKept) return;
    const head = this.peekPending();
    const keep = this.keepLine(head, head.length);
    if (keep === false) this.skip();
    else if (keep === true) this.pendingKept = true;
  }

  private skip(): void {
    this.skipping = true;
    this.pending = [];
    this.pendingLength = 0;
    this.pendingKept = false;
  }

  private lineEnd(tail: Uint8Array): void {
    if (this.skipping) {
      this.skipping = false;
      return;
    }
    if (this.pendingLength === 0) {
      this.line(tail);
      return;
    }
    if (tail.length > 0) {
      this.pending.push(tail);
      this.pendingLength += tail.length;
    }
    this.line(this.takePending());
  }

  private takePending(): Uint8Array {
    const whole = this.peekPending();
    this.pending = [];
    this.pendingLength = 0;
    this.pendingKept = false;
    return whole;
  }

  private peekPending(): Uint8Array {
    if (this.pending.length === 1) return this.pending[0] ?? new Uint8Array();
    const whole = new Uint8Array(this.pendingLength);
    let at = 0;
    for (const piece of this.pending) {
      whole.set(piece, at);
      at += piece.length;
    }
    this.pending = [whole];
    return whole;
  }

  /** Whether a line starting with these bytes matters: true / false, or undefined if too short to tell. */
  private keepLine(bytes: Uint8Array, length: number): boolean | undefined {
    const isEvent = startsWith(bytes, length, EVENT_FIELD);
    if (isEvent === 1) return true;
    const isData = startsWith(bytes, length, DATA_FIELD);
    if (isData === 1) return this.eventName === "" || PARSED_EVENTS.has(this.eventName);
    if (isEvent === 0 || isData === 0) return undefined;
    return false; // comments, id:, retry:, unknown fields
  }

  /** One complete line, terminator removed. */
  private line(bytes: Uint8Array): void {
    if (bytes.length === 0) {
      this.dispatch();
      return;
    }
    if (this.keepLine(bytes, bytes.length) !== true) return;
    if (bytes[0] === EVENT_FIELD[0]) {
      this.eventName = eventNameOf(bytes);
      return;
    }
    let value = decoder.decode(bytes.subarray(DATA_FIELD.length));
    if (value.startsWith(" ")) value = value.slice(1);
    if (this.hasData) {
      this.appendData(`\n${value}`);
    } else {
      this.hasData = true;
      this.appendData(value);
    }
  }

  private appendData(text: string): void {
    if (this.data.length + text.length > MAX_KEPT_BYTES) this.dataTooLarge = true;
    else this.data += text;
  }

  private dispatch(): void {
    const data = this.data;
    const tooLarge = this.dataTooLarge;
    let name = this.eventName;
    this.eventName = "";
    this.data = "";
    this.hasData = false;
    this.dataTooLarge = false;

    if (name === "") name = TYPE_SNIFF.exec(data.slice(0, 64))?.[1] ?? "";
    if (name === "message_stop") {
      this.sawMessageStop = true;
      return;
    }
    if (!PARSED_EVENTS.has(name)) return;
    const json = tooLarge ? null : parseJson(data);

    if (name === "error") {
      const err = json?.error;
      this.error = isObject(err)
        ? {
            type: typeof err.type === "string" ? err.type : "error",
            message: typeof err.message === "string" ? err.message : "",
          }
        : // An error event is an error even when its payload is unreadable.
          { type: "error", message: data.slice(0, 200) };
      return;
    }
    if (!json) return;
    if (name === "message_start") {
      const message = json.message;
      if (!isObject(message)) return;
      if (typeof message.model === "string") this.model = message.model;
      applyUsage(this.usage, message.usage);
    } else {
      const delta = json.delta;
      if (isObject(delta) && typeof delta.stop_reason === "string") this.stopReason = delta.stop_reason;
      applyUsage(this.usage, json.usage);
    }
  }
}

/** A tracker for one streamed Messages response. */
export function createSseUsageTracker(): SseUsageTracker {
  return new Tracker();
}
