// The contract of a front door: how its protocol's requests are read and its answers, streams and errors written.
import type { Protocol } from "../errors.ts";
import type { AnthropicMessage, AnthropicMessagesBody } from "../providers/translate/anthropic-types.ts";
import type { AnthropicErrorBody } from "../providers/translate/errors.ts";
import type { ClientProtocol } from "../providers/types.ts";
import type { OpenAIEmbeddingList } from "./embeddings/embeddings.ts";

/** The fields of a client's request the pipeline needs, whatever protocol it came in. */
export interface DoorRequest {
  /** The client's body as parsed (passthrough routes send its bytes, renderers echo its fields). */
  body: Record<string, unknown>;
  model: string;
  stream: boolean;
  /** The output cap the client named, or null (admission then reserves the model's maximum). */
  maxTokens: number | null;
  /**
   * The conversation in the gateway's own format (Anthropic Messages), for routing and for providers
   * that speak another protocol. Built on first use; throws TranslationError (→ 400) for input it
   * cannot carry. Absent on doors that are not conversations (embeddings).
   */
  pivot?: () => AnthropicMessagesBody;
}

/** Anthropic SSE bytes in (from the provider's translator), the client's protocol out. */
export interface StreamRenderer {
  push(anthropicSse: Uint8Array): Uint8Array;
  /** The stream ended cleanly: whatever closes it in this protocol (`data: [DONE]`). */
  finish(): Uint8Array;
  /** Bytes that keep an idle connection open in this protocol. */
  keepAlive(): Uint8Array;
  /** The stream's media type; server-sent events unless the protocol says otherwise (NDJSON). */
  readonly contentType?: string;
}

export interface RenderContext {
  model: string;
  requestId: string;
  request: DoorRequest;
}

interface DoorBase {
  /** Which providers answer it byte for byte (a provider's passthrough key). */
  readonly protocol: ClientProtocol;
  /** Whose error envelope its clients expect. */
  readonly errors: Protocol;
  parse(json: Record<string, unknown>): DoorRequest;
  /** An upstream error (as an Anthropic error body) → this protocol's error JSON. */
  renderError(status: number, error: AnthropicErrorBody, requestId: string): unknown;
}

/** A conversation door: other providers are reached through the pivot, and answers rendered from it. */
export interface ConversationDoor extends DoorBase {
  readonly kind: "conversation";
  parse(json: Record<string, unknown>): DoorRequest & { pivot: () => AnthropicMessagesBody };
  /** A whole answer from the pivot (Anthropic message) → the JSON the client expects. */
  renderWhole(message: AnthropicMessage, ctx: RenderContext): unknown;
  renderStream(ctx: RenderContext): StreamRenderer;
}

/**
 * An embeddings door. OpenAI's embeddings API is the embeddings pivot: providers that do not speak the
 * door's protocol get the request as OpenAI's (through their codec or their OpenAI passthrough route),
 * and their answer, as OpenAI's list, is rendered back in the door's shape.
 */
export interface EmbeddingsDoor extends DoorBase {
  readonly kind: "embeddings";
  /** The client's body as an OpenAI embeddings request; throws TranslationError (→ 400). */
  toOpenAI(json: Record<string, unknown>): Record<string, unknown>;
  /** OpenAI's embedding list → the JSON this door's clients expect. */
  renderList(list: OpenAIEmbeddingList, model: string): unknown;
}

export type Door = ConversationDoor | EmbeddingsDoor;
