// Request bodies read with a byte limit and parsed as JSON with a depth limit and strict UTF-8 — the
// rules every JSON body the gateway parses itself follows (admin, sign-in, signup; /v1 through its reader).
import { badRequest, GatewayError, tooLarge } from "../errors.ts";

/** Admin, dashboard sign-in and signup bodies are a few hundred bytes; 1 MiB leaves room for any of them. */
export const MAX_ADMIN_BODY_BYTES = 1024 * 1024;

/** Admin bodies are flat objects; 32 levels is far more than any of them needs. */
export const MAX_JSON_DEPTH = 32;

/**
 * /v1 bodies nest deeper (content blocks, tool input schemas), but nothing real comes near 128 levels.
 * For src/modules/proxy/request-body.ts to pass to parseJsonLimited.
 */
export const MAX_PROXY_JSON_DEPTH = 128;

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

const overLimit = (max: number) => tooLarge(`Request body exceeds ${max} bytes`);

const tooSlow = (ms: number) =>
  new GatewayError(408, "timeout_error", `The request body did not arrive within ${ms} ms`, {
    code: "request_timeout",
  });

/**
 * The body's bytes, refusing with 413 as soon as they pass `max`: a declared Content-Length over the
 * limit is refused before reading anything, and a chunked body stops being read one chunk past it.
 * With `deadlineMs`, a body not complete by then is a 408 (for routes whose connections are exempt
 * from the idle timeout, such as /v1 — see idle.ts).
 */
export async function readBodyLimited(
  request: Request,
  max: number,
  opts: { deadlineMs?: number } = {},
): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (declared > max) throw overLimit(max);
  // A declared length within the limit is read in one piece: Bun stops at that length, and reading
  // through a stream reader costs every small request a ReadableStream's machinery. Even asking for
  // `request.body` builds that stream (bench/alloc.ts counted 10 objects a request), so it is left
  // untouched here.
  if (Number.isFinite(declared)) return readDeclared(request, opts.deadlineMs);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  const { deadlineMs } = opts;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired =
    deadlineMs === undefined
      ? null
      : new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            // Rejected first: cancelling ends the pending read, which must not read as a complete body.
            reject(tooSlow(deadlineMs));
            void reader.cancel().catch(() => {});
          }, deadlineMs);
        });
  expired?.catch(() => {});
  try {
    for (;;) {
      const { done, value } = await (expired ? Promise.race([reader.read(), expired]) : reader.read());
      if (done) break;
      size += value.byteLength;
      if (size > max) {
        void reader.cancel().catch(() => {});
        throw overLimit(max);
      }
      parts.push(value);
    }
  } finally {
    clearTimeout(timer);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

async function readDeclared(
  request: Request,
  deadlineMs: number | undefined,
): Promise<Uint8Array<ArrayBuffer>> {
  if (deadlineMs === undefined) return new Uint8Array(await request.arrayBuffer());
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(tooSlow(deadlineMs)), deadlineMs);
  });
  try {
    return new Uint8Array(await Promise.race([request.arrayBuffer(), expired]));
  } finally {
    clearTimeout(timer);
  }
}

export interface LimitedJson {
  /** The bytes decoded (strict UTF-8). */
  text: string;
  json: unknown;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/**
 * Whether the JSON text nests objects/arrays deeper than `max`, found by one pass over the bytes
 * before anything is parsed (UTF-8 continuation bytes never look like ASCII brackets or quotes).
 */
export function tooDeep(bytes: Uint8Array, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (inString) {
      if (b === BACKSLASH) i++;
      else if (b === QUOTE) inString = false;
    } else if (b === QUOTE) inString = true;
    else if (b === OPEN_BRACE || b === OPEN_BRACKET) {
      if (++depth > max) return true;
    } else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) depth--;
  }
  return false;
}

/**
 * Parses JSON bytes as a client error would be reported: invalid UTF-8, nesting beyond `maxDepth`
 * (deep input is how recursive code downstream is made to overflow its stack) and malformed JSON are
 * each a 400 with its own code.
 */
export function parseJsonLimited(bytes: Uint8Array, maxDepth: number = MAX_JSON_DEPTH): LimitedJson {
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    throw badRequest("The request body is not valid UTF-8", "invalid_utf8");
  }
  if (tooDeep(bytes, maxDepth))
    throw badRequest(`The request body nests JSON deeper than ${maxDepth} levels`, "json_too_deep");
  try {
    return { text, json: JSON.parse(text) };
  } catch {
    throw badRequest("The request body is not valid JSON", "invalid_json");
  }
}

/** True when any string (key or value) in a parsed JSON value holds a NUL, which Postgres text refuses. */
export function hasNul(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === "string") {
      if (v.includes("\0")) return true;
    } else if (Array.isArray(v)) stack.push(...v);
    else if (v && typeof v === "object")
      for (const [k, item] of Object.entries(v)) {
        if (k.includes("\0")) return true;
        stack.push(item);
      }
  }
  return false;
}

/**
 * An admin/signup JSON body: at most MAX_ADMIN_BODY_BYTES, MAX_JSON_DEPTH levels, strict UTF-8, no NUL
 * in any string. An empty body is `null` (routes with a body schema then answer 422).
 */
export async function readAdminJson(request: Request): Promise<unknown> {
  const bytes = await readBodyLimited(request, MAX_ADMIN_BODY_BYTES);
  if (bytes.byteLength === 0) return null;
  const { json } = parseJsonLimited(bytes, MAX_JSON_DEPTH);
  if (hasNul(json))
    throw badRequest("Strings in the request body may not contain NUL characters", "invalid_string");
  return json;
}
