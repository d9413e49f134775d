// Usage metering for passthrough OpenAI streams: reads the usage chunk, optionally hides it from the client.

import { emptyUsage, type Usage } from "../../pricing/usage.ts";
import { EMPTY } from "../translate/anthropic-sse.ts";
import { openAIUsage } from "./to-anthropic.ts";
import type { OpenAIChatChunk } from "./types.ts";

type JsonObject = Record<string, unknown>;
const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * A streamed request must ask for usage or OpenAI sends none and it cannot be billed. When the client
 * did not ask (or asked for `false`), the flag is set on a copy and `injected` says so: the meter should
 * then strip what the client did not ask for. The input object is never modified.
 */
export function ensureIncludeUsage(body: JsonObject): { body: JsonObject; injected: boolean } {
  if (body.stream !== true) return { body, injected: false };
  const options = body.stream_options;
  if (isObject(options) && options.include_usage === true) return { body, injected: false };
  return {
    body: { ...body, stream_options: { ...(isObject(options) ? options : {}), include_usage: true } },
    injected: true,
  };
}

export interface OpenAIStreamMeter {
  /** Upstream bytes as received → the bytes to forward now (the same object when nothing is stripped). */
  push(chunk: Uint8Array): Uint8Array;
  /** The upstream ended: bytes still held back (only when stripping: a last line without its newline). */
  end(): Uint8Array;
  /** From the usage chunk; zeros until it arrives. */
  readonly usage: Usage;
  readonly usageReported: boolean;
  /** `data: [DONE]` was seen: the stream ended cleanly. */
  readonly sawDone: boolean;
}

const LF = 0x0a;
const CR = 0x0d;
const USAGE = Buffer.from('"usage"');
const DONE = Buffer.from("[DONE]");
const DATA = Buffer.from("data:");
const NULL = Buffer.from("null");
/** A usage line is ~0.5 KB; a longer unterminated line is content and not worth keeping to inspect. */
const MAX_INSPECTED_LINE = 1 << 20;
const decoder = new TextDecoder();

const view = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

function concat(pieces: Uint8Array[], total: number): Uint8Array {
  if (pieces.length === 1 && pieces[0]) return pieces[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function bytesAt(buf: Uint8Array, at: number, pattern: Uint8Array): boolean {
  if (at + pattern.length > buf.length) return false;
  for (let i = 0; i < pattern.length; i++) if (buf[at + i] !== pattern[i]) return false;
  return true;
}

/** Index just past `"usage"`, optional spaces, `:` and spaces, or -1 when `at` is not the key. */
function afterUsageKey(line: Buffer, at: number): number {
  if (at > 0 && line[at - 1] === 0x5c) return -1; // \"usage\" inside a string value
  let i = at + USAGE.length;
  while (line[i] === 0x20) i++;
  if (line[i] !== 0x3a) return -1;
  i++;
  while (line[i] === 0x20) i++;
  return i;
}

/**
 * Reads usage without parsing every chunk: it looks natively for `"usage"` and `[DONE]` and parses
 * only the line that carries a usage object. Lines end in LF (CRLF works too).
 *
 * With `stripUsageChunk` (include_usage was injected) the client gets what it would have got without
 * include_usage: the usage-only chunk and its blank line are removed, and so is the `"usage":null`
 * OpenAI adds to every other chunk in that mode. That needs whole lines, so an unterminated line is
 * held until its newline arrives; OpenAI writes whole events, so in practice nothing waits.
 */
class Meter implements OpenAIStreamMeter {
  #reported: Usage | null = null;
  #sawDone = false;
  /** The unterminated last line of the previous chunk (copied: the caller may reuse its buffer). */
  #partial: Uint8Array | null = null;
  #partialOverflow = false;
  /** A usage chunk was dropped: its blank line ("line") or the LF of that line's CRLF ("lf") comes next. */
  #dropBlank: "no" | "line" | "lf" = "no";

  constructor(private readonly strip: boolean) {}

  get usage(): Usage {
    return this.#reported ?? emptyUsage();
  }

  get usageReported(): boolean {
    return this.#reported !== null;
  }

  get sawDone(): boolean {
    return this.#sawDone;
  }

  push(chunk: Uint8Array): Uint8Array {
    if (chunk.length === 0) return chunk;
    const buf = view(chunk);
    const pieces: Uint8Array[] = [];
    let total = 0;
    const keep = (bytes: Uint8Array): void => {
      if (bytes.length === 0) return;
      pieces.push(bytes);
      total += bytes.length;
    };
    let pos = this.#partial === null ? this.#skipBlank(buf, 0) : 0;
    if (this.#partial !== null) {
      const lf = buf.indexOf(LF);
      if (lf === -1) {
        this.#hold(buf);
        return this.strip ? EMPTY : chunk;
      }
      const partial = this.#partial;
      const overflow = this.#partialOverflow;
      this.#partial = null;
      this.#partialOverflow = false;
      if (!overflow) {
        const line = view(concat([partial, buf.subarray(0, lf + 1)], partial.length + lf + 1));
        this.#line(line, 0, line.length - 1, keep);
      }
      pos = this.#skipBlank(buf, lf + 1);
    }

    const lastLF = buf.lastIndexOf(LF);
    let cursor = pos;
    if (lastLF >= pos) {
      let usageAt = buf.indexOf(USAGE, pos);
      let doneAt = buf.indexOf(DONE, pos);
      while (pos <= lastLF) {
        if (usageAt !== -1 && usageAt < pos) usageAt = buf.indexOf(USAGE, pos);
        if (doneAt !== -1 && doneAt < pos) doneAt = buf.indexOf(DONE, pos);
        const hit = usageAt === -1 ? doneAt : doneAt === -1 ? usageAt : Math.min(usageAt, doneAt);
        if (hit === -1 || hit > lastLF) break;
        const start = buf.lastIndexOf(LF, hit) + 1;
        const end = buf.indexOf(LF, hit);
        if (this.strip) keep(buf.subarray(cursor, start));
        cursor = this.#skipBlank(buf, this.#line(buf, start, end, keep));
        pos = cursor;
      }
    }
    if (!this.strip) {
      if (lastLF + 1 < buf.length) this.#hold(buf.subarray(Math.max(lastLF + 1, cursor)));
      return chunk;
    }
    keep(buf.subarray(cursor, lastLF + 1));
    if (lastLF + 1 < buf.length) this.#hold(buf.subarray(Math.max(lastLF + 1, cursor)));
    return total === 0 ? EMPTY : concat(pieces, total);
  }

  end(): Uint8Array {
    const partial = this.#partial;
    this.#partial = null;
    if (partial === null) return EMPTY;
    const pieces: Uint8Array[] = [];
    let total = 0;
    const line = view(partial);
    this.#line(line, 0, line.length, (bytes) => {
      pieces.push(bytes);
      total += bytes.length;
    });
    return this.strip ? concat(pieces, total) : EMPTY;
  }

  /** Past the blank line that ended a dropped usage chunk, when it starts at `pos` (its CRLF may be cut). */
  #skipBlank(buf: Buffer, pos: number): number {
    if (this.#dropBlank === "no" || pos >= buf.length) return pos;
    const state = this.#dropBlank;
    this.#dropBlank = "no";
    if (buf[pos] === LF) return pos + 1;
    if (state === "line" && buf[pos] === CR) {
      if (pos + 1 === buf.length) this.#dropBlank = "lf";
      return buf[pos + 1] === LF ? pos + 2 : pos + 1;
    }
    return pos;
  }

  #hold(bytes: Uint8Array): void {
    if (this.#partialOverflow || bytes.length === 0) return;
    const length = (this.#partial?.length ?? 0) + bytes.length;
    if (!this.strip && length > MAX_INSPECTED_LINE) {
      this.#partial = new Uint8Array(0);
      this.#partialOverflow = true;
      return;
    }
    this.#partial = this.#partial === null ? bytes.slice() : concat([this.#partial, bytes], length);
  }

  /**
   * Inspects the line buf[start, end) whose LF (if any) is at `end`; in strip mode passes its bytes on,
   * rewritten if needed. Returns the index past its LF; dropping the usage chunk also sets #dropBlank.
   */
  #line(buf: Buffer, start: number, end: number, keep: (bytes: Uint8Array) => void): number {
    const next = end < buf.length ? end + 1 : end;
    let stop = end;
    if (stop > start && buf[stop - 1] === CR) stop--;
    let value = start;
    if (bytesAt(buf, start, DATA)) {
      value = start + DATA.length;
      if (buf[value] === 0x20) value++;
    } else {
      if (this.strip) keep(buf.subarray(start, next));
      return next;
    }
    if (stop - value === DONE.length && bytesAt(buf, value, DONE)) {
      this.#sawDone = true;
      if (this.strip) keep(buf.subarray(start, next));
      return next;
    }
    let nullAt = -1;
    for (let at = buf.indexOf(USAGE, value); at !== -1 && at < stop; at = buf.indexOf(USAGE, at + 1)) {
      const v = afterUsageKey(buf, at);
      if (v === -1) continue;
      if (buf[v] === 0x7b) {
        if (this.#readUsage(buf.subarray(value, stop)) && this.strip) {
          // The usage-only chunk: dropped, and with it the blank line that ends its event.
          this.#dropBlank = "line";
          return next;
        }
        break;
      }
      if (bytesAt(buf, v, NULL)) {
        nullAt = at;
        break;
      }
    }
    if (!this.strip) return next;
    if (nullAt === -1) {
      keep(buf.subarray(start, next));
      return next;
    }
    // Remove `"usage":null` together with the comma that joins it to its neighbour.
    let cutStart = nullAt;
    let cutEnd = afterUsageKey(buf, nullAt) + NULL.length;
    if (buf[cutStart - 1] === 0x2c) cutStart--;
    else if (buf[cutEnd] === 0x2c) cutEnd++;
    keep(buf.subarray(start, cutStart));
    keep(buf.subarray(cutEnd, next));
    return next;
  }

  /** Parses one data line; true when it is the usage-only chunk (empty `choices`). */
  #readUsage(data: Uint8Array): boolean {
    let chunk: OpenAIChatChunk;
    try {
      chunk = JSON.parse(decoder.decode(data));
    } catch {
      return false;
    }
    if (!isObject(chunk) || !isObject(chunk.usage)) return false;
    this.#reported = openAIUsage(chunk.usage);
    return Array.isArray(chunk.choices) && chunk.choices.length === 0;
  }
}

export function createOpenAIStreamMeter(opts: { stripUsageChunk: boolean }): OpenAIStreamMeter {
  return new Meter(opts.stripUsageChunk);
}
