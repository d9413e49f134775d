// OpenAI clients talking to OpenAI: the bytes pass through while usage is read from them.
import { upstreamRequestHeaders } from "../../http/headers.ts";
import { rewriteModel } from "../../modules/proxy/rewrite-model.ts";
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
