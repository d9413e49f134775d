// OpenAI Chat Completions imitation: POST /v1/chat/completions (one JSON document, or SSE ending in [DONE]).

import type { ResolvedBehavior } from "./behavior.ts";
import {
  chatUsage,
  errorFromBehavior,
  missingParameter,
  modelName,
  openaiError,
  unparsableBody,
} from "./openai-errors.ts";
import {
  cached,
  delay,
  escapeJsonString,
  type FillValues,
  forTurn,
  type HandlerContext,
  type JsonObject,
  P_CREATED,
  P_ID,
  P_MODEL,
  type Prepared,
  parseJsonObject,
  prepare,
  splitPieces,
  streamBody,
  truncatedJson,
} from "./shared.ts";

function finishReason(b: ResolvedBehavior): string {
  return b.stopReason ?? (b.toolUse ? "tool_calls" : "stop");
}

function callId(b: ResolvedBehavior): string {
  return b.toolUse?.id ?? `call_${P_ID}`;
}

function buildCompletion(b: ResolvedBehavior): Prepared {
  const tool = b.toolUse;
  const message: JsonObject = {
    role: "assistant",
    content: tool && !b.textExplicit ? null : b.text,
    refusal: null,
    annotations: [],
  };
  if (tool) {
    message.tool_calls = [
      {
        id: callId(b),
        type: "function",
        function: { name: tool.name, arguments: JSON.stringify(tool.input) },
      },
    ];
  }
  const completion = {
    id: `chatcmpl-${P_ID}`,
    object: "chat.completion",
    created: P_CREATED,
    model: P_MODEL,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason(b) }],
    usage: chatUsage(b),
    service_tier: "default",
    system_fingerprint: "fp_mock",
  };
  return prepare([JSON.stringify(completion)], 0);
}

/**
 * Chunks as the API sends them: a role chunk, content/tool-call deltas, a chunk carrying only the
 * finish_reason, then (only with stream_options.include_usage) a usage chunk whose `choices` is
 * empty, then `data: [DONE]`. With include_usage every other chunk carries `"usage": null`.
 */
function buildStream(b: ResolvedBehavior, includeUsage: boolean, obfuscation: boolean): Prepared {
  const frames: string[] = [];
  const chunk = (choices: JsonObject[], usageValue?: JsonObject | null): string => {
    const c: JsonObject = {
      id: `chatcmpl-${P_ID}`,
      object: "chat.completion.chunk",
      created: P_CREATED,
      model: P_MODEL,
      service_tier: "default",
      system_fingerprint: "fp_mock",
      choices,
    };
    if (includeUsage) c.usage = usageValue ?? null;
    // Since mid-2025 the API pads every chunk with random characters against length side channels.
    if (obfuscation) c.obfuscation = "mOcK";
    return `data: ${JSON.stringify(c)}\n\n`;
  };
  const delta = (d: JsonObject, finish: string | null = null): JsonObject[] => [
    { index: 0, delta: d, logprobs: null, finish_reason: finish },
  ];
  const tool = b.toolUse;
  const withText = !tool || b.textExplicit;
  if (withText) {
    frames.push(chunk(delta({ role: "assistant", content: "", refusal: null })));
    for (const piece of splitPieces(b.text)) frames.push(chunk(delta({ content: piece })));
  }
  if (tool) {
    const head = {
      tool_calls: [
        { index: 0, id: callId(b), type: "function", function: { name: tool.name, arguments: "" } },
      ],
    };
    frames.push(chunk(delta(withText ? head : { role: "assistant", content: null, ...head, refusal: null })));
    for (const piece of splitPieces(JSON.stringify(tool.input))) {
      frames.push(chunk(delta({ tool_calls: [{ index: 0, function: { arguments: piece } }] })));
    }
  }
  frames.push(chunk(delta({}, finishReason(b))));
  if (includeUsage) frames.push(chunk([], chatUsage(b)));
  frames.push("data: [DONE]\n\n");
  // Default failure point: right after the first content (or tool argument) delta.
  return prepare(frames, 2);
}

export async function chatCompletions(ctx: HandlerContext): Promise<Response> {
  const body = parseJsonObject(ctx.bodyText);
  if (!body) return unparsableBody(ctx);
  if (body.model === undefined)
    return openaiError(400, ctx, { message: "you must provide a model parameter" });
  if (body.messages === undefined) return missingParameter(ctx, "messages");
  const model = modelName(body);
  const b = forTurn(ctx.behavior(model), body.messages, (m) => m.role === "tool");
  await delay(b.latencyMs);
  if (b.status !== undefined && b.status >= 400) return errorFromBehavior(b, b.status, ctx);

  const id = ctx.nextId();
  const values: FillValues = {
    model: escapeJsonString(model),
    id,
    now: "",
    created: Math.floor(Date.now() / 1000),
  };
  const headers = { "x-request-id": `req_${id}`, "openai-processing-ms": "1" };
  if (body.stream === true) {
    const opts =
      typeof body.stream_options === "object" && body.stream_options !== null ? body.stream_options : {};
    const includeUsage = "include_usage" in opts && opts.include_usage === true;
    const obfuscation = !("include_obfuscation" in opts && opts.include_obfuscation === false);
    const p = cached(b, `openai:stream:${includeUsage}:${obfuscation}`, () =>
      buildStream(b, includeUsage, obfuscation),
    );
    // OpenAI has no in-band error event for chat completions: failures just cut the connection.
    return new Response(streamBody(p, b, values, false), {
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache",
        ...headers,
      },
    });
  }
  const p = cached(b, "openai:json", () => buildCompletion(b));
  const text = p.whole(values);
  const out = b.failMidStream || b.abortMidStream ? truncatedJson(text) : text;
  return new Response(out, { headers: { "content-type": "application/json", ...headers } });
}
