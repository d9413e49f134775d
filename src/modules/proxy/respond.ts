// Turns an upstream's answer into the client's: byte passthrough for same-protocol pairs, pivot rendering otherwise.
import type { OpenAIEmbeddingList } from "../../doors/embeddings/embeddings.ts";
import type { ConversationDoor, DoorRequest, EmbeddingsDoor } from "../../doors/types.ts";
import { clientResponseHeaders } from "../../http/headers.ts";
import { emptyUsage } from "../../pricing/usage.ts";
import type { Provider } from "../../providers/index.ts";
import { EMPTY } from "../../providers/translate/anthropic-sse.ts";
import type { AnthropicMessagesBody } from "../../providers/translate/anthropic-types.ts";
import { estimateInputTokens } from "../../providers/translate/models.ts";
import type { EmbeddingsCodec, PassthroughRoute } from "../../providers/types.ts";
import { type Attempt, streamStatus } from "./attempt.ts";
import type { ProxyContext } from "./context.ts";
import type { StreamOutcome } from "./metered-stream.ts";
import { safeJson } from "./read-whole.ts";
import { usageOf } from "./usage-slice.ts";

/** Anthropic sends `ping` about every 15 s; translated streams keep the connection alive the same way. */
const KEEP_ALIVE_EVERY_MS = 10_000;

interface RespondInput {
  ctx: ProxyContext;
  attempt: Attempt;
  upstream: Response;
  provider: Provider;
  parsed: DoorRequest;
  requestId: string;
}

/** Embeddings from a provider with its own API: translated whole (they are never streamed). */
export function respondEmbeddings(
  input: RespondInput & { door: EmbeddingsDoor; codec: EmbeddingsCodec; body: Record<string, unknown> },
): Promise<Response> {
  const { attempt, upstream, provider, door, codec, requestId } = input;
  return attempt.whole(upstream, (bytes) => {
    const json = safeJson(bytes);
    const headers = new Headers({ "content-type": "application/json" });
    if (!upstream.ok) {
      const body = JSON.stringify(
        door.renderError(upstream.status, provider.pivot.error(upstream.status, json), requestId),
      );
      return { body, usage: emptyUsage(), status: upstream.status, headers };
    }
    const answer = codec.answer(json, attempt.model, input.body);
    const list = door.renderList(answer.body as OpenAIEmbeddingList, attempt.model);
    return { body: JSON.stringify(list), usage: answer.usage, status: 200, headers };
  });
}

/** What the client is told when the upstream breaks off a stream, per cause. */
function failure(outcome: "upstream_failed" | "upstream_timeout" | "shutdown", provider: string) {
  if (outcome === "upstream_timeout")
    return {
      kind: "timeout_error",
      message: `${provider} stopped sending before the message was complete`,
    } as const;
  if (outcome === "shutdown")
    return {
      kind: "overloaded_error",
      message: "The gateway is shutting down; the answer was cut short",
    } as const;
  return {
    kind: "api_error",
    message: `The ${provider} connection failed before the message was complete`,
  } as const;
}

/** Server-sent events, or Ollama's newline-delimited JSON. */
const isStream = (res: Response) =>
  /text\/event-stream|application\/x-ndjson/.test(res.headers.get("content-type") ?? "") && res.body !== null;

export function respondPassthrough(
  input: RespondInput & { route: PassthroughRoute; injected: boolean },
): Promise<Response> | Response {
  const { attempt, upstream, route, provider } = input;
  const headers = clientResponseHeaders(upstream.headers);
  if (!isStream(upstream)) {
    return attempt.whole(upstream, (bytes) => ({
      body: bytes,
      usage: upstream.ok ? route.usage(route.usageLast ? usageOf(bytes) : safeJson(bytes)) : emptyUsage(),
      status: upstream.status,
      headers,
    }));
  }
  const meter = route.meter({ injected: input.injected });
  return attempt.stream(
    upstream.body as ReadableStream<Uint8Array>,
    {
      onChunk: (chunk) => meter.push(chunk),
      flush: () => meter.end(),
      endedCleanly: () => meter.endedCleanly(),
      // When the upstream sent its own error event the client already knows what went wrong.
      failureTail: (outcome) => {
        if (meter.sawError()) return null;
        const { kind, message } = failure(outcome, provider.name);
        return route.failureTail(kind, message);
      },
      usage: () => meter.usage,
      status: (outcome: StreamOutcome) => streamStatus(upstream.status, outcome, meter.sawError()),
    },
    upstream.status,
    headers,
  );
}

export function respondPivot(
  input: RespondInput & { door: ConversationDoor; pivot: AnthropicMessagesBody },
): Promise<Response> | Response {
  const { attempt, upstream, provider, door, parsed, requestId } = input;
  const render = { model: attempt.model, requestId, request: parsed };
  if (!upstream.ok || !parsed.stream || !upstream.body) {
    return attempt.whole(upstream, (bytes) => {
      const json = safeJson(bytes);
      const headers = new Headers({ "content-type": "application/json" });
      if (!upstream.ok) {
        const error = provider.pivot.error(upstream.status, json);
        const body = JSON.stringify(door.renderError(upstream.status, error, requestId));
        return { body, usage: emptyUsage(), status: upstream.status, headers };
      }
      const { message, usage } = provider.pivot.answer(json, attempt.model);
      return { body: JSON.stringify(door.renderWhole(message, render)), usage, status: 200, headers };
    });
  }
  const translator = provider.pivot.stream(attempt.model, estimateInputTokens(input.pivot));
  const renderer = door.renderStream(render);
  // Checked before finish(): afterwards a cut-off stream looks finished too.
  const cleanEnd = () => translator.finished && translator.stopReason !== null;
  return attempt.stream(
    upstream.body as ReadableStream<Uint8Array>,
    {
      onChunk: (chunk) => renderer.push(translator.push(chunk)),
      flush: () => concat(renderer.push(translator.finish()), renderer.finish()),
      keepAlive: {
        everyMs: KEEP_ALIVE_EVERY_MS,
        bytes: () => (translator.finished ? EMPTY : renderer.keepAlive()),
      },
      endedCleanly: cleanEnd,
      failureTail: (outcome) => {
        const { kind, message } = failure(outcome, provider.name);
        return renderer.push(translator.error(kind, message));
      },
      usage: () => translator.usage,
      status: (outcome: StreamOutcome) =>
        streamStatus(200, outcome, translator.finished && translator.stopReason === null),
    },
    200,
    new Headers({ "content-type": renderer.contentType ?? "text/event-stream; charset=utf-8" }),
  );
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (!b.byteLength) return a;
  if (!a.byteLength) return b;
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a);
  out.set(b, a.byteLength);
  return out;
}
