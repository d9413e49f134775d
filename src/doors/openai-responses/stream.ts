// Anthropic Messages SSE → the OpenAI Responses streaming event sequence, incrementally, with sequence numbers.

import type { Usage } from "../../pricing/usage.ts";
import { EMPTY } from "../../providers/translate/anthropic-sse.ts";
import { type AnthropicEvent, AnthropicEventReader, streamError } from "../openai-chat/anthropic-events.ts";
import { argumentsObject, isObject, type Json } from "../openai-chat/common.ts";
import type { ChatStreamTranslator } from "../openai-chat/stream.ts";
import { encodeThinking, wantsEncryptedReasoning } from "./reasoning.ts";
import {
  incompleteReason,
  itemId,
  messageItem,
  outputText,
  type ResponseOptions,
  reasoningItem,
  responseEnvelope,
  responsesUsageJson,
} from "./reply.ts";
import { callItem, type ToolNames, type ToolTarget, toolNamesOf } from "./tools.ts";

/** Same contract as the Chat stream: bytes in, bytes out, one terminal event, usage for the spend row. */
export type ResponsesStreamTranslator = ChatStreamTranslator;

interface OpenItem {
  kind: "text" | "tool" | "thinking" | "redacted";
  id: string;
  outputIndex: number;
  text: string;
  signature: string;
  callId: string;
  name: string;
  target: ToolTarget;
  summaryOpen: boolean;
}

const encoder = new TextEncoder();

/**
 * Codex reads `response.output_item.done` for whole items and `response.completed` for the end and the
 * usage; the SDK's stream helper also checks every delta against the item it opened. So each Anthropic
 * block opens one output item (message, function/custom/local-shell call, or reasoning for thinking)
 * and closes it with its `.done` events, and the final event carries the whole response. A stream cut
 * by the upstream (or by `error()`) ends in `error` + `response.failed`, never in silence.
 */
class AnthropicToResponsesStream implements ResponsesStreamTranslator {
  readonly #events = new AnthropicEventReader();
  readonly #onEvent = (e: AnthropicEvent): void => this.#event(e);
  readonly #opts: { model: string; id: string; createdAt: number; request?: unknown };
  readonly #names: ToolNames;
  readonly #opaque: boolean;
  readonly #output: Json[] = [];
  readonly #open = new Map<number, OpenItem>();
  #out = "";
  #seq = 0;
  #started = false;
  #stopReason: string | null = null;
  #finished = false;
  #sawError = false;

  constructor(opts: ResponseOptions) {
    this.#opts = {
      model: opts.model,
      id: opts.id ?? itemId("resp_"),
      createdAt: opts.createdAt ?? Math.floor(Date.now() / 1000),
      request: opts.request,
    };
    this.#names = toolNamesOf(opts.request);
    this.#opaque = wantsEncryptedReasoning(opts.request);
  }

  get usage(): Usage {
    return this.#events.usage;
  }

  get finished(): boolean {
    return this.#finished;
  }

  get sawError(): boolean {
    return this.#sawError;
  }

  push(chunk: Uint8Array): Uint8Array {
    if (this.#finished) return EMPTY;
    this.#events.push(chunk, this.#onEvent);
    return this.#take();
  }

  finish(): Uint8Array {
    if (this.#finished) return EMPTY;
    this.#events.end(this.#onEvent);
    if (!this.#finished) {
      if (this.#stopReason !== null) this.#complete();
      else this.#fail("The upstream stream ended before the response was complete.", "server_error");
    }
    return this.#take();
  }

  error(message: string, type: string): Uint8Array {
    if (this.#finished) return EMPTY;
    this.#fail(message, type);
    return this.#take();
  }

  #event(e: AnthropicEvent): void {
    if (this.#finished) return;
    const index = typeof e.index === "number" ? e.index : -1;
    switch (e.type) {
      case "message_start":
        this.#start();
        break;
      case "content_block_start":
        this.#start();
        if (isObject(e.content_block)) this.#blockStart(index, e.content_block);
        break;
      case "content_block_delta": {
        const item = this.#open.get(index);
        if (item && isObject(e.delta)) this.#blockDelta(item, e.delta);
        break;
      }
      case "content_block_stop": {
        const item = this.#open.get(index);
        this.#open.delete(index);
        if (item) this.#blockStop(item);
        break;
      }
      case "message_delta":
        if (isObject(e.delta) && typeof e.delta.stop_reason === "string")
          this.#stopReason = e.delta.stop_reason;
        break;
      case "message_stop":
        this.#complete();
        break;
      case "error": {
        const { type, message } = streamError(e);
        this.#fail(message, errorCode(type, message));
        break;
      }
      default:
        break; // ping and future events change nothing for the client
    }
  }

  #start(): void {
    if (this.#started) return;
    this.#started = true;
    const response = responseEnvelope(this.#opts, "in_progress", [], null);
    this.#emit("response.created", { response });
    this.#emit("response.in_progress", { response });
  }

  #blockStart(index: number, block: Json): void {
    const outputIndex = this.#output.length + this.#open.size;
    const base = { outputIndex, text: "", signature: "", callId: "", name: "", summaryOpen: false };
    const fn: ToolTarget = { kind: "function", name: "" };
    if (block.type === "text") {
      const item: OpenItem = { ...base, kind: "text", id: itemId("msg_"), target: fn };
      this.#open.set(index, item);
      this.#emit("response.output_item.added", {
        output_index: outputIndex,
        item: messageItem(item.id, "", "in_progress"),
      });
      this.#emit("response.content_part.added", {
        ...this.#at(item),
        content_index: 0,
        part: outputText(""),
      });
      if (typeof block.text === "string" && block.text !== "")
        this.#blockDelta(item, { type: "text_delta", text: block.text });
    } else if (block.type === "tool_use" && typeof block.id === "string" && typeof block.name === "string") {
      const target = this.#names.get(block.name) ?? { kind: "function", name: block.name };
      const item: OpenItem = {
        ...base,
        kind: "tool",
        id: itemId("fc_"),
        callId: block.id,
        name: block.name,
        target,
      };
      this.#open.set(index, item);
      const added: Json = {
        ...callItem(item.id, item.callId, item.name, {}, this.#names),
        status: "in_progress",
      };
      if (added.type === "function_call") added.arguments = "";
      if (added.type === "custom_tool_call") added.input = "";
      this.#emit("response.output_item.added", { output_index: outputIndex, item: added });
    } else if (block.type === "thinking" || block.type === "redacted_thinking") {
      const kind = block.type === "thinking" ? "thinking" : "redacted";
      const item: OpenItem = { ...base, kind, id: itemId("rs_"), target: fn };
      if (kind === "redacted" && typeof block.data === "string") item.signature = block.data;
      this.#open.set(index, item);
      this.#emit("response.output_item.added", {
        output_index: outputIndex,
        item: reasoningItem(item.id, "", null),
      });
    }
  }

  #blockDelta(item: OpenItem, delta: Json): void {
    if (
      item.kind === "text" &&
      delta.type === "text_delta" &&
      typeof delta.text === "string" &&
      delta.text !== ""
    ) {
      item.text += delta.text;
      this.#emit("response.output_text.delta", {
        ...this.#at(item),
        content_index: 0,
        delta: delta.text,
        logprobs: [],
      });
    } else if (
      item.kind === "tool" &&
      delta.type === "input_json_delta" &&
      typeof delta.partial_json === "string"
    ) {
      item.text += delta.partial_json;
      // Custom tools take a raw string, which only exists once the JSON around it is whole (see #blockStop).
      if (item.target.kind === "function" && delta.partial_json !== "") {
        this.#emit("response.function_call_arguments.delta", {
          ...this.#at(item),
          delta: delta.partial_json,
        });
      }
    } else if (
      item.kind === "thinking" &&
      delta.type === "thinking_delta" &&
      typeof delta.thinking === "string"
    ) {
      if (!item.summaryOpen) {
        item.summaryOpen = true;
        const part = { type: "summary_text", text: "" };
        this.#emit("response.reasoning_summary_part.added", { ...this.#at(item), summary_index: 0, part });
      }
      item.text += delta.thinking;
      this.#emit("response.reasoning_summary_text.delta", {
        ...this.#at(item),
        summary_index: 0,
        delta: delta.thinking,
      });
    } else if (
      item.kind === "thinking" &&
      delta.type === "signature_delta" &&
      typeof delta.signature === "string"
    ) {
      item.signature += delta.signature;
    }
  }

  #blockStop(item: OpenItem): void {
    const at = this.#at(item);
    let done: Json;
    if (item.kind === "text") {
      this.#emit("response.output_text.done", { ...at, content_index: 0, text: item.text, logprobs: [] });
      this.#emit("response.content_part.done", { ...at, content_index: 0, part: outputText(item.text) });
      done = messageItem(item.id, item.text, "completed");
    } else if (item.kind === "tool") {
      done = callItem(item.id, item.callId, item.name, argumentsObject(item.text), this.#names);
      if (done.type === "function_call") {
        // The streamed text itself, so `.done` equals the deltas joined (an empty input is `{}`).
        const args = item.text.trim() === "" ? "{}" : item.text;
        done.arguments = args;
        this.#emit("response.function_call_arguments.done", { ...at, name: done.name, arguments: args });
      } else if (done.type === "custom_tool_call") {
        this.#emit("response.custom_tool_call_input.delta", { ...at, delta: done.input });
        this.#emit("response.custom_tool_call_input.done", { ...at, input: done.input });
      }
    } else {
      if (item.summaryOpen) {
        this.#emit("response.reasoning_summary_text.done", { ...at, summary_index: 0, text: item.text });
        const part = { type: "summary_text", text: item.text };
        this.#emit("response.reasoning_summary_part.done", { ...at, summary_index: 0, part });
      }
      const blob =
        item.kind === "thinking"
          ? encodeThinking({ thinking: item.text, signature: item.signature })
          : encodeThinking({ data: item.signature });
      done = reasoningItem(item.id, item.text, this.#opaque ? blob : null);
    }
    this.#output.push(done);
    this.#emit("response.output_item.done", { output_index: item.outputIndex, item: done });
  }

  #complete(): void {
    this.#start();
    for (const [index, item] of [...this.#open]) {
      this.#open.delete(index);
      this.#blockStop(item);
    }
    const incomplete = incompleteReason(this.#stopReason);
    const response = responseEnvelope(
      this.#opts,
      incomplete ? "incomplete" : "completed",
      this.#output,
      responsesUsageJson(this.usage),
      { incomplete },
    );
    this.#emit(incomplete ? "response.incomplete" : "response.completed", { response });
    this.#finished = true;
  }

  #fail(message: string, code: string): void {
    this.#start();
    this.#emit("error", { code, message, param: null });
    const error = { code, message };
    const response = responseEnvelope(this.#opts, "failed", this.#output, responsesUsageJson(this.usage), {
      error,
    });
    this.#emit("response.failed", { response });
    this.#finished = true;
    this.#sawError = true;
  }

  #at(item: OpenItem): { item_id: string; output_index: number } {
    return { item_id: item.id, output_index: item.outputIndex };
  }

  #emit(type: string, fields: Json): void {
    const data = JSON.stringify({ type, ...fields, sequence_number: this.#seq++ });
    this.#out += `event: ${type}\ndata: ${data}\n\n`;
  }

  #take(): Uint8Array {
    if (this.#out === "") return EMPTY;
    const bytes = encoder.encode(this.#out);
    this.#out = "";
    return bytes;
  }
}

/**
 * The error codes Responses clients act on (Codex retries `server_is_overloaded` and
 * `rate_limit_exceeded`, stops on `context_length_exceeded` and `insufficient_quota`).
 */
export function errorCode(anthropicType: string, message: string): string {
  switch (anthropicType) {
    case "overloaded_error":
      return "server_is_overloaded";
    case "rate_limit_error":
      return "rate_limit_exceeded";
    case "billing_error":
      return "insufficient_quota";
    case "invalid_request_error":
      return /prompt is too long|context/i.test(message)
        ? "context_length_exceeded"
        : "invalid_request_error";
    default:
      return "server_error";
  }
}

export function createAnthropicToResponsesStream(opts: ResponseOptions): ResponsesStreamTranslator {
  return new AnthropicToResponsesStream(opts);
}
