// OpenAI clients talking to OpenAI: the bytes pass through while usage is read from them.

import { embeddingsUsage } from "../../doors/embeddings/embeddings.ts";
import { decodeThinking } from "../../doors/openai-responses/reasoning.ts";
import { createResponsesStreamMeter, responsesUsage } from "../../doors/openai-responses/usage.ts";
import { upstreamRequestHeaders } from "../../http/headers.ts";
import { rewriteModel } from "../../modules/proxy/rewrite-model.ts";
import { emptyUsage } from "../../pricing/usage.ts";
import type { PassthroughRoute, ProviderTarget } from "../types.ts";
import { createOpenAIStreamMeter, ensureIncludeUsage } from "./stream-usage.ts";
import { openAIUsage } from "./to-anthropic.ts";
import type { OpenAIUsage } from "./types.ts";

const encoder = new TextEncoder();

/** The client's end-to-end headers with the gateway's own key; billing is the gateway's to decide. */
export function openAIHeaders(target: ProviderTarget, incoming: Headers): Headers {
  const headers = upstreamRequestHeaders(incoming);
  for (const name of [...headers.keys()]) if (name.startsWith("anthropic-")) headers.delete(name);
  if (target.apiKey) headers.set("authorization", `Bearer ${target.apiKey.reveal()}`);
  headers.set("content-type", "application/json");
  return headers;
}

/**
 * OpenAI sends no in-stream error event of its own for a broken connection; the client gets the same
 * `{"error": …}` object OpenAI uses for errors, as a last data line, so it fails loudly instead of hanging.
 */
export function openAIErrorChunk(kind: string, message: string): Uint8Array {
  const type = kind === "timeout_error" ? "timeout" : "server_error";
  return encoder.encode(`data: ${JSON.stringify({ error: { message, type, param: null, code: null } })}\n\n`);
}

export const chatPassthrough: PassthroughRoute = {
  path: () => "/v1/chat/completions",
  headers: openAIHeaders,
  body(json, bytes, text, model) {
    // Exact accounting needs the final usage chunk; it is asked for here and hidden again if the client did not.
    const { body, injected } = ensureIncludeUsage(json);
    if (!injected && model === json.model) return { bytes, injected };
    if (!injected) return { bytes: rewriteModel(text, json, model), injected };
    return { bytes: encoder.encode(JSON.stringify({ ...body, model })), injected };
  },
  usage: (json) => openAIUsage((json as { usage?: OpenAIUsage } | null)?.usage),
  usageLast: true,
  meter({ injected }) {
    const meter = createOpenAIStreamMeter({ stripUsageChunk: injected });
    return {
      push: (chunk) => meter.push(chunk),
      end: () => meter.end(),
      get usage() {
        return meter.usage;
      },
      endedCleanly: () => meter.sawDone,
      sawError: () => false,
    };
  },
  failureTail: openAIErrorChunk,
};

/**
 * Responses clients (Codex) read `response.failed` and its `error.code`; a bare `error` event is
 * ignored by some. A broken upstream therefore ends with a response.failed of the gateway's own.
 */
export function responsesFailedEvent(kind: string, message: string): Uint8Array {
  const code = kind === "overloaded_error" ? "server_is_overloaded" : "server_error";
  const response = {
    id: "resp_gateway",
    object: "response",
    status: "failed",
    error: { code, message },
    output: [],
  };
  return encoder.encode(
    `event: response.failed\ndata: ${JSON.stringify({ type: "response.failed", response })}\n\n`,
  );
}

/** The prefix of the reasoning blobs the Responses door writes for Claude's thinking (reasoning.ts). */
const GATEWAY_REASONING = "snodus.thinking.v1:";
const isReasoning = (item: unknown) =>
  typeof item === "object" && item !== null && (item as { type?: unknown }).type === "reasoning";

export const responsesPassthrough: PassthroughRoute = {
  path: () => "/v1/responses",
  headers: openAIHeaders,
  // The Responses API always reports usage in its terminal event: nothing to switch on.
  body(json, bytes, text, model) {
    // Reasoning items the gateway minted for a Claude model earlier in the conversation mean nothing
    // to OpenAI (it would refuse their encrypted_content): they are left out when the model changes.
    if (text.includes(GATEWAY_REASONING) && Array.isArray(json.input)) {
      const input = json.input.filter(
        (item) =>
          !(isReasoning(item) && decodeThinking((item as { encrypted_content?: unknown }).encrypted_content)),
      );
      return { bytes: encoder.encode(JSON.stringify({ ...json, input, model })), injected: false };
    }
    return { bytes: model === json.model ? bytes : rewriteModel(text, json, model), injected: false };
  },
  usage: responsesUsage,
  meter() {
    const meter = createResponsesStreamMeter();
    return {
      push(chunk) {
        meter.push(chunk);
        return chunk;
      },
      end() {
        meter.end();
        return new Uint8Array(0);
      },
      get usage() {
        return meter.usage;
      },
      endedCleanly: () => meter.status !== null,
      sawError: () => meter.status === "failed",
    };
  },
  failureTail: responsesFailedEvent,
};

export const embeddingsPassthrough: PassthroughRoute = {
  path: () => "/v1/embeddings",
  headers: openAIHeaders,
  body: (json, bytes, text, model) => ({
    bytes: model === json.model ? bytes : rewriteModel(text, json, model),
    injected: false,
  }),
  usage: embeddingsUsage,
  usageLast: true,
  // Embeddings are never streamed; a meter is still required by the route's shape.
  meter: () => ({
    push: (chunk) => chunk,
    end: () => new Uint8Array(0),
    usage: emptyUsage(),
    endedCleanly: () => true,
    sawError: () => false,
  }),
  failureTail: () => null,
};
