// Reads the top-level `usage` object of a whole JSON answer without parsing the rest of it.
import { safeJson } from "./read-whole.ts";

const decoder = new TextDecoder();
const KEY = Buffer.from('"usage"');
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN = 0x7b;
const CLOSE = 0x7d;

/**
 * Anthropic, OpenAI chat and embeddings answers end with their `usage` object, after content that can
 * be megabytes long (and nothing after it can hold an object keyed "usage"). The last `"usage": {…}`
 * key in the bytes is then the top-level one; only it is decoded and parsed. Returns `{ usage }` (the shape the usage readers take), or the whole
 * parsed body when the slice cannot be found or read (then the readers see exactly what they would).
 */
export function usageOf(bytes: Uint8Array): unknown {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = buf.lastIndexOf(KEY);
  // A key follows `{` or `,`; inside a string the quotes would be escaped, so `"usage"` there is not one.
  while (at > 0 && !followsObjectStart(buf, at)) at = buf.lastIndexOf(KEY, at - 1);
  if (at <= 0) return safeJson(bytes);
  let i = at + KEY.length;
  while (i < buf.length && isSpace(buf[i])) i++;
  if (buf[i] !== 0x3a) return safeJson(bytes); // not a key
  i++;
  while (i < buf.length && buf[i] !== OPEN) {
    if (!isSpace(buf[i])) return safeJson(bytes);
    i++;
  }
  const end = objectEnd(buf, i);
  if (end < 0) return safeJson(bytes);
  try {
    return { usage: JSON.parse(decoder.decode(buf.subarray(i, end + 1))) };
  } catch {
    return safeJson(bytes);
  }
}

function followsObjectStart(buf: Buffer, at: number): boolean {
  let i = at - 1;
  while (i >= 0 && isSpace(buf[i])) i--;
  return buf[i] === 0x2c || buf[i] === OPEN;
}

const isSpace = (c: number | undefined) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** Index of the `}` closing the object that opens at `start`, skipping strings; -1 if unterminated. */
function objectEnd(buf: Buffer, start: number): number {
  let depth = 0;
  for (let i = start; i < buf.length; i++) {
    const c = buf[i];
    if (c === QUOTE) {
      for (i++; i < buf.length && buf[i] !== QUOTE; i++) if (buf[i] === BACKSLASH) i++;
    } else if (c === OPEN) depth++;
    else if (c === CLOSE && --depth === 0) return i;
  }
  return -1;
}
