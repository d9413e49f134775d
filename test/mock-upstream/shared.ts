// Plumbing shared by the three protocol modules: handler context, body templates, streamed bodies, JSON helpers.

import type { ResolvedBehavior } from "./behavior.ts";

/** What a protocol handler gets for one request; `behavior` resolves presets from the request's model. */
export interface HandlerContext {
  method: string;
  path: string;
  headers: Headers;
  bodyText: string;
  behavior(model: string): ResolvedBehavior;
  /** A fresh id suffix, unique within this mock server (request ids, message ids, tool ids). */
  nextId(): string;
}

export type Handler = (ctx: HandlerContext) => Response | Promise<Response>;

export type JsonObject = { [key: string]: unknown };

export function isRecord(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Parses a request body; `undefined` for anything that is not a JSON object (the caller answers 400). */
export function parseJsonObject(text: string): JsonObject | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The behaviour for one request of an agent loop: with `toolUseUntilResult`, a conversation whose last
 * item is a tool result gets a text reply instead of another call. `isResult` knows the protocol.
 */
export function forTurn(
  b: ResolvedBehavior,
  conversation: unknown,
  isResult: (item: JsonObject) => boolean,
): ResolvedBehavior {
  if (!b.toolUse || !b.toolUseUntilResult || !Array.isArray(conversation)) return b;
  const last: unknown = conversation.at(-1);
  if (!isRecord(last) || !isResult(last)) return b;
  // A fresh object: the default behaviour's prebuilt bodies (keyed on the object) stay untouched.
  return { ...b, toolUse: undefined };
}

export function delay(ms: number): Promise<void> | undefined {
  return ms > 0 ? Bun.sleep(ms) : undefined;
}

/**
 * Splits text into (at most) `parts` pieces of similar length. Code points, not UTF-16 units, so a
 * surrogate pair never straddles two deltas (real providers never emit half an emoji either).
 */
export function splitPieces(text: string, parts = 3): string[] {
  const chars = Array.from(text);
  if (chars.length === 0) return [];
  const n = Math.min(parts, chars.length);
  const size = Math.ceil(chars.length / n);
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(""));
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Templates. Bodies are built once with placeholder values, then only the per-request bits (echoed
// model, ids, timestamps) are spliced in. With the default behaviour the built template is cached,
// so the hot path of a benchmark is: parse the request, concatenate a few strings, respond.

/** Placeholder values used while building a template; they survive JSON.stringify untouched. */
export const P_MODEL = "__MOCK_MODEL__";
export const P_ID = "__MOCK_ID__";
export const P_NOW = "__MOCK_NOW__";
/** Numeric slot: written as the string "__MOCK_CREATED__" and replaced together with its quotes. */
export const P_CREATED = "__MOCK_CREATED__";

const SLOT_RE = /__MOCK_MODEL__|__MOCK_ID__|__MOCK_NOW__|"__MOCK_CREATED__"/g;

export interface FillValues {
  /** The model, already escaped for use inside a JSON string. */
  model: string;
  id: string;
  /** ISO timestamp (Ollama `created_at`); computed by the caller only when needed. */
  now: string;
  /** Unix seconds (OpenAI `created`). */
  created: number;
}

export type Template = (v: FillValues) => string;

export function compile(src: string): Template {
  const literals: string[] = [];
  const slots: string[] = [];
  let last = 0;
  for (const m of src.matchAll(SLOT_RE)) {
    literals.push(src.slice(last, m.index));
    slots.push(m[0]);
    last = m.index + m[0].length;
  }
  const tail = src.slice(last);
  if (slots.length === 0) return () => src;
  return (v) => {
    let out = "";
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i];
      out +=
        literals[i] +
        (slot === P_MODEL ? v.model : slot === P_ID ? v.id : slot === P_NOW ? v.now : String(v.created));
    }
    return out + tail;
  };
}

export function escapeJsonString(s: string): string {
  return JSON.stringify(s).slice(1, -1);
}

/** A response body prepared from a behaviour: either one JSON document or the frames of a stream. */
export interface Prepared {
  frames: Template[];
  /** All frames concatenated (for JSON bodies: the single document). */
  whole: Template;
  /** Frame index after which a mid-stream failure happens when the flag is just `true`. */
  defaultCut: number;
  /** Frame sent in place of the rest of the stream on failMidStream (Anthropic/Ollama); none → abort. */
  failFrame?: Template;
}

export function prepare(frames: string[], defaultCut: number, failFrame?: string): Prepared {
  return {
    frames: frames.map(compile),
    whole: compile(frames.join("")),
    defaultCut,
    failFrame: failFrame === undefined ? undefined : compile(failFrame),
  };
}

const cache = new WeakMap<ResolvedBehavior, Map<string, Prepared>>();

/**
 * Memoises `build` per behaviour object and variant. Only the shared default behaviour object lives
 * long enough for this to matter: requests with x-mock or a preset get a fresh object every time.
 */
export function cached(b: ResolvedBehavior, variant: string, build: () => Prepared): Prepared {
  let byVariant = cache.get(b);
  if (!byVariant) {
    byVariant = new Map();
    cache.set(b, byVariant);
  }
  let p = byVariant.get(variant);
  if (!p) {
    p = build();
    byVariant.set(variant, p);
  }
  return p;
}

// ---------------------------------------------------------------------------------------------------
// Streamed bodies.

const encoder = new TextEncoder();

/** How many frames go out before a failure, for `failMidStream`/`abortMidStream` = true or a number. */
export function cutPoint(flag: boolean | number | undefined, p: Prepared): number | undefined {
  if (flag === undefined || flag === false) return undefined;
  const n = flag === true ? p.defaultCut : Math.max(0, Math.floor(flag));
  // Keep at least the last frame back, otherwise the "failure" would be indistinguishable from success.
  return Math.min(n, p.frames.length - 1);
}

export interface StreamPlan {
  frames: Template[];
  values: FillValues;
  delayMs: number;
  /** Send only this many frames, then `failFrame` (if any) and then end as `ending` says. */
  cut?: number;
  failFrame?: Template;
  /** "abort": reset the connection without a clean end of the chunked body. */
  ending: "close" | "abort";
}

/**
 * One frame per pull, so a slow or vanished client applies back-pressure instead of buffering, and
 * nothing is written after the client has gone (Bun cancels the stream; every enqueue is guarded).
 */
export function frameStream(plan: StreamPlan): ReadableStream<Uint8Array> {
  const limit = plan.cut ?? plan.frames.length;
  let i = 0;
  let cancelled = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (i > 0 && plan.delayMs > 0) await Bun.sleep(plan.delayMs);
        if (cancelled) return;
        if (i < limit) {
          const frame = plan.frames[i];
          i++;
          if (frame) controller.enqueue(encoder.encode(frame(plan.values)));
          return;
        }
        if (i === limit && plan.cut !== undefined && plan.failFrame) {
          i++;
          controller.enqueue(encoder.encode(plan.failFrame(plan.values)));
          return;
        }
        if (plan.ending === "abort") {
          // Give the frames already written time to reach the client: reset too early and the peer
          // may drop its unread buffer (or never see headers), and the point is a *mid*-stream death.
          await Bun.sleep(Math.max(plan.delayMs, 10));
          if (!cancelled) controller.error(new Error("mock upstream: connection aborted on purpose"));
          return;
        }
        controller.close();
      } catch {
        // The client disconnected between our check and the write: nothing left to do.
        cancelled = true;
      }
    },
    cancel() {
      cancelled = true;
    },
  });
}

/**
 * Body of a stream (or of a JSON document that must be cut short): a plain string when nothing
 * can go wrong and there is no pacing, which is the fast path benchmarks take.
 */
export function streamBody(
  p: Prepared,
  b: ResolvedBehavior,
  values: FillValues,
  failIsFrame: boolean,
): string | ReadableStream<Uint8Array> {
  const failCut = cutPoint(b.failMidStream, p);
  const abortCut = cutPoint(b.abortMidStream, p);
  if (failCut === undefined && abortCut === undefined && b.chunkDelayMs <= 0) return p.whole(values);
  if (abortCut !== undefined && (failCut === undefined || abortCut <= failCut)) {
    return frameStream({ frames: p.frames, values, delayMs: b.chunkDelayMs, cut: abortCut, ending: "abort" });
  }
  if (failCut !== undefined) {
    const frame = failIsFrame ? p.failFrame : undefined;
    return frameStream({
      frames: p.frames,
      values,
      delayMs: b.chunkDelayMs,
      cut: failCut,
      failFrame: frame,
      ending: frame ? "close" : "abort",
    });
  }
  return frameStream({ frames: p.frames, values, delayMs: b.chunkDelayMs, ending: "close" });
}

/** A JSON body that is cut in half and then reset, for fail/abort flags on non-streaming requests. */
export function truncatedJson(text: string): ReadableStream<Uint8Array> {
  const half = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
  return frameStream({
    frames: [() => half],
    values: { model: "", id: "", now: "", created: 0 },
    delayMs: 0,
    ending: "abort",
  });
}

export function jsonResponse(body: string, status: number, headers: Record<string, string>): Response {
  return new Response(body, { status, headers: { "content-type": "application/json", ...headers } });
}
