// OpenAI Responses API imitation: POST /v1/responses, one `response` object or its SSE event sequence.

import type { ResolvedBehavior } from "./behavior.ts";
import {
  errorFromBehavior,
  modelName,
  openaiError,
  responsesUsage,
  unparsableBody,
} from "./openai-errors.ts";
import {
  compile,
  cutPoint,
  delay,
  type FillValues,
  forTurn,
  type HandlerContext,
  isRecord,
  type JsonObject,
  type Prepared,
  parseJsonObject,
  prepare,
  splitPieces,
  streamBody,
  truncatedJson,
} from "./shared.ts";

/** Per-request facts every event needs: ids, the clock, and the request fields a response echoes. */
interface Turn {
  b: ResolvedBehavior;
  id: string;
  model: string;
  createdAt: number;
  body: JsonObject;
  obfuscation: boolean;
}

/**
 * Ids of responses this process answered with `store` on, so `previous_response_id` can point at
 * them as it can at the real API. Bounded: the oldest are forgotten first.
 */
const stored = new Set<string>();
const STORED_MAX = 10_000;

function remember(id: string): void {
  stored.add(id);
  if (stored.size > STORED_MAX) {
    const oldest = stored.values().next().value;
    if (oldest !== undefined) stored.delete(oldest);
  }
}

/** Function tools come back normalised (description and strict filled in); other tools as sent. */
function echoTools(tools: unknown): unknown[] {
  if (!Array.isArray(tools)) return [];
  return tools.map((t: unknown) =>
    isRecord(t) && t.type === "function"
      ? {
          type: "function",
          description: t.description ?? null,
          name: t.name,
          parameters: t.parameters ?? null,
          strict: t.strict ?? true,
        }
      : t,
  );
}

type Status = "in_progress" | "completed" | "incomplete" | "failed";

/** The `response` object, in the API's field order, echoing what the request set. */
function envelope(
  t: Turn,
  status: Status,
  output: JsonObject[],
  extra: { error?: JsonObject; incomplete?: JsonObject } = {},
): JsonObject {
  const r = t.body;
  const done = status === "completed" || status === "incomplete";
  return {
    id: `resp_${t.id}`,
    object: "response",
    created_at: t.createdAt,
    status,
    background: false,
    error: extra.error ?? null,
    incomplete_details: extra.incomplete ?? null,
    instructions: r.instructions ?? null,
    max_output_tokens: r.max_output_tokens ?? null,
    max_tool_calls: r.max_tool_calls ?? null,
    model: t.model,
    output,
    parallel_tool_calls: r.parallel_tool_calls ?? true,
    previous_response_id: r.previous_response_id ?? null,
    prompt_cache_key: r.prompt_cache_key ?? null,
    reasoning: r.reasoning ?? { effort: null, summary: null },
    safety_identifier: r.safety_identifier ?? null,
    service_tier: "default",
    store: r.store ?? true,
    temperature: r.temperature ?? 1,
    text: r.text ?? { format: { type: "text" }, verbosity: "medium" },
    tool_choice: r.tool_choice ?? "auto",
    tools: echoTools(r.tools),
    top_logprobs: r.top_logprobs ?? 0,
    top_p: r.top_p ?? 1,
    truncation: r.truncation ?? "disabled",
    usage: done ? responsesUsage(t.b) : null,
    user: r.user ?? null,
    metadata: r.metadata ?? {},
  };
}

/** `stopReason` picks an incomplete ending: a length cut-off or a content filter; anything else completes. */
function incompleteReason(b: ResolvedBehavior): string | undefined {
  const s = b.stopReason;
  if (s === "max_output_tokens" || s === "max_tokens" || s === "length") return "max_output_tokens";
  if (s === "content_filter") return "content_filter";
  return undefined;
}

function wantsEncryptedReasoning(body: JsonObject): boolean {
  return Array.isArray(body.include) && body.include.includes("reasoning.encrypted_content");
}

interface Items {
  reasoning?: JsonObject;
  message?: JsonObject;
  call?: JsonObject;
}

/** The finished output items, in the order the API emits them: reasoning, message, function call. */
function outputItems(t: Turn): Items {
  const { b, id } = t;
  const items: Items = {};
  if (b.reasoning !== undefined) {
    items.reasoning = {
      id: `rs_${id}`,
      type: "reasoning",
      summary: [{ type: "summary_text", text: b.reasoning }],
    };
    if (wantsEncryptedReasoning(t.body)) {
      items.reasoning.encrypted_content = Buffer.from(`mock-reasoning:${b.reasoning}`).toString("base64");
    }
  }
  if (!b.toolUse || b.textExplicit) {
    items.message = {
      id: `msg_${id}`,
      type: "message",
      status: incompleteReason(b) ? "incomplete" : "completed",
      content: [{ type: "output_text", annotations: [], logprobs: [], text: b.text }],
      role: "assistant",
    };
  }
  if (b.toolUse) {
    items.call = {
      id: `fc_${id}`,
      type: "function_call",
      status: "completed",
      arguments: JSON.stringify(b.toolUse.input),
      call_id: b.toolUse.id ?? `call_${id}`,
      name: b.toolUse.name,
    };
  }
  return items;
}

function finalResponse(t: Turn): JsonObject {
  const items = outputItems(t);
  const output = [items.reasoning, items.message, items.call].filter((i) => i !== undefined);
  const reason = incompleteReason(t.b);
  return envelope(t, reason ? "incomplete" : "completed", output, reason ? { incomplete: { reason } } : {});
}

/** SSE frames with their sequence numbers; `firstDelta` is where a mid-stream failure strikes by default. */
class Events {
  frames: string[] = [];
  firstDelta: number | undefined;
  constructor(private readonly t: Turn) {}

  push(type: string, fields: JsonObject): void {
    const data = { type, sequence_number: this.frames.length, ...fields };
    this.frames.push(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** A delta event; real deltas carry random padding against length side channels unless turned off. */
  delta(type: string, fields: JsonObject): void {
    this.push(type, this.t.obfuscation ? { ...fields, obfuscation: "mOcK" } : fields);
    this.firstDelta ??= this.frames.length;
  }
}

function streamReasoning(ev: Events, item: JsonObject, index: number, text: string): void {
  const at = { item_id: item.id, output_index: index, summary_index: 0 };
  ev.push("response.output_item.added", { output_index: index, item: { ...item, summary: [] } });
  ev.push("response.reasoning_summary_part.added", { ...at, part: { type: "summary_text", text: "" } });
  for (const piece of splitPieces(text))
    ev.delta("response.reasoning_summary_text.delta", { ...at, delta: piece });
  ev.push("response.reasoning_summary_text.done", { ...at, text });
  ev.push("response.reasoning_summary_part.done", { ...at, part: { type: "summary_text", text } });
  ev.push("response.output_item.done", { output_index: index, item });
}

function streamMessage(ev: Events, item: JsonObject, index: number, text: string): void {
  const at = { item_id: item.id, output_index: index, content_index: 0 };
  const part = (s: string) => ({ type: "output_text", annotations: [], logprobs: [], text: s });
  ev.push("response.output_item.added", {
    output_index: index,
    item: { ...item, status: "in_progress", content: [] },
  });
  ev.push("response.content_part.added", { ...at, part: part("") });
  for (const piece of splitPieces(text)) {
    ev.delta("response.output_text.delta", { ...at, delta: piece, logprobs: [] });
  }
  ev.push("response.output_text.done", { ...at, text, logprobs: [] });
  ev.push("response.content_part.done", { ...at, part: part(text) });
  ev.push("response.output_item.done", { output_index: index, item });
}

function streamCall(ev: Events, item: JsonObject, index: number): void {
  const args = String(item.arguments);
  const at = { item_id: item.id, output_index: index };
  ev.push("response.output_item.added", {
    output_index: index,
    item: { ...item, status: "in_progress", arguments: "" },
  });
  for (const piece of splitPieces(args))
    ev.delta("response.function_call_arguments.delta", { ...at, delta: piece });
  ev.push("response.function_call_arguments.done", { ...at, name: item.name, arguments: args });
  ev.push("response.output_item.done", { output_index: index, item });
}

function buildStream(t: Turn): Events {
  const ev = new Events(t);
  const initial = envelope(t, "in_progress", []);
  ev.push("response.created", { response: initial });
  ev.push("response.in_progress", { response: initial });
  const items = outputItems(t);
  let index = 0;
  if (items.reasoning) streamReasoning(ev, items.reasoning, index++, t.b.reasoning ?? "");
  if (items.message) streamMessage(ev, items.message, index++, t.b.text);
  if (items.call) streamCall(ev, items.call, index++);
  const final = finalResponse(t);
  ev.push(final.status === "incomplete" ? "response.incomplete" : "response.completed", { response: final });
  return ev;
}

const SERVER_ERROR_MESSAGE =
  "An error occurred while processing your request. You can retry your request, or contact us through our help center at help.openai.com if the error persists.";

/** What replaces the rest of the stream on failMidStream, numbered where the stream was cut. */
function failFrame(t: Turn, seq: number): string {
  const code = t.b.errorType ?? "server_error";
  const message = t.b.errorMessage ?? `${SERVER_ERROR_MESSAGE} Please include the request ID req_${t.id}.`;
  // The live API nests the fields under `error` (its published schema puts them at the top level).
  const data =
    t.b.failEvent === "error"
      ? { type: "error", sequence_number: seq, error: { type: code, code, message, param: null } }
      : {
          type: "response.failed",
          sequence_number: seq,
          response: envelope(t, "failed", [], { error: { code, message } }),
        };
  return `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** A refusal the real API gives, or undefined when the request is acceptable. */
function invalid(ctx: HandlerContext, body: JsonObject): Response | undefined {
  if (body.model === undefined) {
    return openaiError(400, ctx, {
      message: "Missing required parameter: 'model'.",
      param: "model",
      code: "missing_required_parameter",
    });
  }
  const input = body.input;
  if (input !== undefined && typeof input !== "string" && !Array.isArray(input)) {
    return openaiError(400, ctx, {
      message: `Invalid type for 'input': expected one of a string or array of input items, but got ${input === null ? "null" : typeof input} instead.`,
      param: "input",
      code: "invalid_type",
    });
  }
  const previous = body.previous_response_id;
  if (typeof previous === "string" && !stored.has(previous.replace(/^resp_/, ""))) {
    return openaiError(400, ctx, {
      message: `Previous response with id '${previous}' not found.`,
      param: "previous_response_id",
      code: "previous_response_not_found",
    });
  }
  // Without a stored conversation, every tool output must answer a call made earlier in `input`.
  if (Array.isArray(input) && typeof previous !== "string") {
    const calls = new Set<unknown>();
    for (const item of input) {
      if (!isRecord(item)) continue;
      if (item.type === "function_call" || item.type === "custom_tool_call") calls.add(item.call_id);
      const isOutput = item.type === "function_call_output" || item.type === "custom_tool_call_output";
      if (isOutput && !calls.has(item.call_id)) {
        return openaiError(400, ctx, {
          message: `No tool call found for function call output with call_id ${String(item.call_id)}.`,
          param: "input",
        });
      }
    }
  }
  return undefined;
}

export async function responses(ctx: HandlerContext): Promise<Response> {
  const body = parseJsonObject(ctx.bodyText);
  if (!body) return unparsableBody(ctx);
  const refusal = invalid(ctx, body);
  if (refusal) return refusal;
  const model = modelName(body);
  const b = forTurn(ctx.behavior(model), body.input, (item) => String(item.type).endsWith("_call_output"));
  await delay(b.latencyMs);
  if (b.status !== undefined && b.status >= 400) return errorFromBehavior(b, b.status, ctx);

  const id = ctx.nextId();
  const opts = isRecord(body.stream_options) ? body.stream_options : {};
  const t: Turn = {
    b,
    id,
    model,
    createdAt: Math.floor(Date.now() / 1000),
    body,
    obfuscation: opts.include_obfuscation !== false,
  };
  if (body.store !== false && !b.failMidStream && !b.abortMidStream) remember(id);
  // Bodies are built per request (they echo the request), so they carry no template slots.
  const values: FillValues = { model, id, now: "", created: t.createdAt };
  const headers = { "x-request-id": `req_${id}`, "openai-processing-ms": "1" };
  if (body.stream === true) {
    const ev = buildStream(t);
    let p: Prepared = prepare(ev.frames, ev.firstDelta ?? 2);
    const cut = cutPoint(b.failMidStream, p);
    if (cut !== undefined) p = { ...p, failFrame: compile(failFrame(t, cut)) };
    return new Response(streamBody(p, b, values, true), {
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache",
        ...headers,
      },
    });
  }
  const text = JSON.stringify(finalResponse(t));
  const out = b.failMidStream || b.abortMidStream ? truncatedJson(text) : text;
  return new Response(out, { headers: { "content-type": "application/json", ...headers } });
}
