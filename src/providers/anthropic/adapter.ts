// Anthropic as an upstream: where requests go, which key they carry, and its stream error event.
import type { Secret } from "../../config/secret.ts";
import { upstreamRequestHeaders } from "../../http/headers.ts";

export interface AnthropicTarget {
  baseUrl: string;
  apiKey: Secret | null;
}

/** Headers for Anthropic: the client's end-to-end headers, the real key in place of the virtual one. */
export function anthropicHeaders(incoming: Headers, target: AnthropicTarget): Headers {
  const headers = upstreamRequestHeaders(incoming);
  if (target.apiKey) headers.set("x-api-key", target.apiKey.reveal());
  if (!headers.has("anthropic-version")) headers.set("anthropic-version", "2023-06-01");
  if (!headers.has("content-type")) headers.set("content-type", "application/json");
  return headers;
}

const encoder = new TextEncoder();

/** The SSE event Anthropic itself sends when a stream fails part-way. */
export function anthropicErrorEvent(type: string, message: string): Uint8Array {
  const data = JSON.stringify({ type: "error", error: { type, message } });
  return encoder.encode(`event: error\ndata: ${data}\n\n`);
}
