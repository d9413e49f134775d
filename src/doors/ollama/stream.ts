// Anthropic SSE (the pivot's stream) → Ollama NDJSON: one line per delta, tool calls whole, a final done line.

import { EMPTY } from "../../providers/translate/anthropic-sse.ts";
import { type AnthropicEvent, AnthropicEventReader, streamError } from "../openai-chat/anthropic-events.ts";
import { isObject } from "../openai-chat/common.ts";
import { countsOfUsage, type OllamaEndpoint, type OllamaToolCallOut, ollamaDoneReason } from "./reply.ts";

const encoder = new TextEncoder();

export interface OllamaStream {
  push(anthropicSse: Uint8Array): Uint8Array;
  finish(): Uint8Array;
  /** NDJSON has no comments: an empty, not-done delta is what keeps the line busy. */
  keepAlive(): Uint8Array;
}

/**
 * Tool calls go out in one line once their arguments are complete, as Ollama sends them (arguments
 * as an object, never a partial string). An in-band error event becomes Ollama's `{"error": …}` line.
 */
export function createAnthropicToOllamaStream(opts: {
  model: string;
  endpoint: OllamaEndpoint;
  now?: () => Date;
}): OllamaStream {
  const reader = new AnthropicEventReader();
  const now = opts.now ?? (() => new Date());
  const tools = new Map<number, { name: string; json: string }>();
  let stopReason: string | null = null;
  let out: string[] = [];

  const line = (fields: Record<string, unknown>): void => {
    out.push(`${JSON.stringify({ model: opts.model, created_at: now().toISOString(), ...fields })}\n`);
  };
  const delta = (part: { content?: string; thinking?: string; tool_calls?: OllamaToolCallOut[] }): void => {
    if (opts.endpoint === "generate") {
      if (part.tool_calls) return; // /api/generate has no tools
      line({
        response: part.content ?? "",
        ...(part.thinking !== undefined ? { thinking: part.thinking } : {}),
        done: false,
      });
      return;
    }
    line({ message: { role: "assistant", content: part.content ?? "", ...part }, done: false });
  };

  const onEvent = (event: AnthropicEvent): void => {
    switch (event.type) {
      case "content_block_start": {
        const block = isObject(event.content_block) ? event.content_block : {};
        if (block.type === "tool_use" && typeof block.name === "string")
          tools.set(Number(event.index), { name: block.name, json: "" });
        break;
      }
      case "content_block_delta": {
        const d = isObject(event.delta) ? event.delta : {};
        if (d.type === "text_delta" && typeof d.text === "string" && d.text !== "")
          delta({ content: d.text });
        else if (d.type === "thinking_delta" && typeof d.thinking === "string")
          delta({ thinking: d.thinking });
        else if (d.type === "input_json_delta" && typeof d.partial_json === "string") {
          const tool = tools.get(Number(event.index));
          if (tool) tool.json += d.partial_json;
        }
        break;
      }
      case "content_block_stop": {
        const tool = tools.get(Number(event.index));
        if (!tool) break;
        tools.delete(Number(event.index));
        delta({ tool_calls: [{ function: { name: tool.name, arguments: parseArguments(tool.json) } }] });
        break;
      }
      case "message_delta": {
        const d = isObject(event.delta) ? event.delta : {};
        if (typeof d.stop_reason === "string") stopReason = d.stop_reason;
        break;
      }
      case "message_stop": {
        const last =
          opts.endpoint === "generate" ? { response: "" } : { message: { role: "assistant", content: "" } };
        line({
          ...last,
          done: true,
          done_reason: ollamaDoneReason(stopReason),
          ...countsOfUsage(reader.usage),
        });
        break;
      }
      case "error":
        out.push(`${JSON.stringify({ error: streamError(event).message })}\n`);
        break;
      default:
        break; // message_start, ping, signature deltas
    }
  };

  const drain = (): Uint8Array => {
    if (out.length === 0) return EMPTY;
    const bytes = encoder.encode(out.join(""));
    out = [];
    return bytes;
  };

  return {
    push(chunk) {
      reader.push(chunk, onEvent);
      return drain();
    },
    finish() {
      reader.end(onEvent);
      return drain();
    },
    keepAlive() {
      if (opts.endpoint === "generate") line({ response: "", done: false });
      else line({ message: { role: "assistant", content: "" }, done: false });
      return drain();
    },
  };
}

function parseArguments(json: string): Record<string, unknown> {
  if (json.trim() === "") return {};
  try {
    const value: unknown = JSON.parse(json);
    return isObject(value) ? value : {};
  } catch {
    return {};
  }
}
