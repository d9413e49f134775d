// The contract every provider folder fulfils: one typed descriptor the registry, catalog and pipeline iterate.
import type { Config } from "../config/env.ts";
import type { Secret } from "../config/secret.ts";
import type { Usage } from "../pricing/usage.ts";
import type { AnthropicStreamTranslator } from "./translate/anthropic-sse.ts";
import type { AnthropicMessage, AnthropicMessagesBody } from "./translate/anthropic-types.ts";
import type { AnthropicErrorBody } from "./translate/errors.ts";

/** The wire protocols a client can speak to the gateway (one per front door). */
export type ClientProtocol =
  | "anthropic"
  | "openai-chat"
  | "openai-responses"
  | "openai-embeddings"
  | "ollama";

/** Where a configured provider's requests go and the credential they carry. */
export interface ProviderTarget {
  baseUrl: string;
  apiKey: Secret | null;
}

export interface UpstreamRequest {
  url: string;
  headers: Headers;
  body: Uint8Array<ArrayBuffer> | string;
}

/**
 * Talking to a provider in the gateway's own format (Anthropic Messages, the pivot): every front
 * door that does not speak the provider's protocol goes through this.
 */
export interface PivotCodec {
  /**
   * URL, headers and body for the upstream. `incoming` are the client's headers as received: the codec
   * forwards the end-to-end ones (`upstreamRequestHeaders`) and never the client's credentials.
   */
  request(
    target: ProviderTarget,
    body: AnthropicMessagesBody,
    model: string,
    incoming: Headers,
  ): UpstreamRequest;
  /** A whole (non-streamed) upstream answer as an Anthropic message and its usage. */
  answer(json: unknown, model: string): { message: AnthropicMessage; usage: Usage };
  /** Upstream stream bytes → Anthropic SSE bytes, with the usage read on the way. */
  stream(model: string, inputTokenEstimate: number): AnthropicStreamTranslator;
  /** An upstream error reply as an Anthropic error body (the door renders it in its own shape). */
  error(status: number, json: unknown): AnthropicErrorBody;
}

/** Reads usage from a same-protocol stream while its bytes pass through (untouched unless stated). */
export interface PassthroughMeter {
  push(chunk: Uint8Array): Uint8Array;
  /** Bytes still held back when the upstream ends. */
  end(): Uint8Array;
  readonly usage: Usage;
  /** The stream said goodbye in its protocol's way (message_stop, [DONE], response.completed). */
  endedCleanly(): boolean;
  /** The upstream sent its own in-band error event (the client already knows). */
  sawError(): boolean;
}

/** A same-protocol pair: the client's body goes upstream byte for byte (only `model` may change). */
export interface PassthroughRoute {
  /** The upstream path for the client's path (e.g. `/v1/chat/completions`). */
  path(clientPath: string): string;
  headers(target: ProviderTarget, incoming: Headers): Headers;
  /** The bytes to send: the client's, with the model rewritten or usage reporting switched on when needed. */
  body(
    json: Record<string, unknown>,
    bytes: Uint8Array<ArrayBuffer>,
    text: string,
    model: string,
  ): {
    bytes: Uint8Array<ArrayBuffer>;
    /** Usage reporting was switched on for metering and must be hidden from the client again. */
    injected: boolean;
  };
  /** Usage of a whole (non-streamed) answer. */
  usage(json: unknown): Usage;
  /**
   * The answer's top-level `usage` is its last field and nothing after it can hold a "usage" object,
   * so `usage()` may be given just that slice (`{usage}`) instead of the whole parsed body.
   */
  usageLast?: boolean;
  meter(opts: { injected: boolean }): PassthroughMeter;
  /** What the client gets when the upstream breaks mid-stream (its protocol's error event), or null. */
  failureTail(kind: "api_error" | "timeout_error" | "overloaded_error", message: string): Uint8Array | null;
}

/** Embeddings for a provider that does not speak OpenAI's embeddings API (the client's body is OpenAI's). */
export interface EmbeddingsCodec {
  request(
    target: ProviderTarget,
    body: Record<string, unknown>,
    model: string,
    incoming: Headers,
  ): UpstreamRequest;
  /** The upstream's answer as OpenAI's embedding list, and its usage. */
  answer(json: unknown, model: string, body: Record<string, unknown>): { body: unknown; usage: Usage };
}

export interface ProviderDescriptor<N extends string = string> {
  readonly name: N;
  /** The variable(s) an operator sets to enable it, for error messages and `snodus serve`'s warning. */
  readonly setupHint: string;
  /** Where requests go and with which key; null when the provider is not configured. */
  target(config: Config): ProviderTarget | null;
  /** The upstream URL shown in status reports, configured or not. */
  upstreamUrl(config: Config): string | null;
  /** Models it lists when configured (discovered providers list theirs at run time). */
  readonly models: readonly string[];
  /** Whether a model name belongs to this provider's family (before discovery). */
  servesFamily(model: string): boolean;
  /** The most output tokens a model may produce: what admission reserves when the client names no cap. */
  maxOutputTokens(model: string): number;
  /** Local models cost nothing: admission and the spend row both price them at zero. */
  readonly free: boolean;
  /** Discovers the models it serves at run time (Ollama's /api/tags), or undefined. */
  readonly discover?: (target: ProviderTarget, fetchImpl: typeof fetch) => Promise<string[]>;
  readonly pivot: PivotCodec;
  /** Translated embeddings, when the provider has them but not OpenAI's API for them. */
  readonly embeddings?: EmbeddingsCodec;
  /** Front doors whose protocol this provider speaks natively: bytes pass through. */
  readonly passthrough: Partial<Record<ClientProtocol, PassthroughRoute>>;
}
