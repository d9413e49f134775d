// Ollama /api/chat and /api/generate requests → the Anthropic pivot: messages, images, tools, options, format.

import type {
  AnthropicContentBlock,
  AnthropicImageBlock,
  AnthropicMessageParam,
  AnthropicMessagesBody,
  AnthropicTool,
} from "../../providers/translate/anthropic-types.ts";
import {
  appendSystem,
  inputSchema,
  invalid,
  isObject,
  JSON_OBJECT_INSTRUCTION,
  type Json,
  pushTurn,
  requestObject,
  stopSequences,
} from "../openai-chat/common.ts";

/** Ollama streams unless told `"stream": false`. */
export const ollamaStreams = (json: Json): boolean => json.stream !== false;

/** `options.num_predict`, Ollama's output cap (-1 and -2 mean "no limit" and "fill the context"). */
export function ollamaMaxTokens(json: Json): number | null {
  const n = isObject(json.options) ? json.options.num_predict : undefined;
  return typeof n === "number" && Number.isInteger(n) && n > 0 ? n : null;
}

/**
 * Decisions worth knowing:
 * - Ollama gives tool calls no ids: each call gets one here (`call_<turn>_<n>`), and a `tool` message is
 *   matched to the earliest unanswered call of its `tool_name` (or the earliest unanswered call at all).
 * - Images are bare base64; the media type is read from the bytes' signature (PNG when unknown).
 * - `format: "json"` becomes a system instruction; a schema becomes structured output.
 * - `think`, `keep_alive` and Ollama-only options (seed, num_ctx, …) have no Anthropic counterpart.
 */
export function ollamaChatToAnthropic(body: unknown): AnthropicMessagesBody {
  const req = requestObject(body);
  if (!Array.isArray(req.messages)) throw invalid("messages", "must be a list of messages");
  const messages: AnthropicMessageParam[] = [];
  const systems: string[] = [];
  const pending: { id: string; name: string }[] = [];
  for (const [i, raw] of req.messages.entries()) {
    const field = `messages[${i}]`;
    if (!isObject(raw)) throw invalid(field, "must be an object");
    const content = raw.content ?? "";
    if (typeof content !== "string") throw invalid(`${field}.content`, "must be a string");
    switch (raw.role) {
      case "system":
        if (content !== "") systems.push(content);
        break;
      case "user":
        pushTurn(messages, "user", [...imagesOf(raw.images, field), ...textBlock(content)]);
        break;
      case "assistant": {
        const blocks: AnthropicContentBlock[] = [...textBlock(content)];
        for (const [n, call] of toolCalls(raw.tool_calls, field).entries()) {
          const id = call.id ?? `call_${i}_${n}`;
          pending.push({ id, name: call.name });
          blocks.push({ type: "tool_use", id, name: call.name, input: call.arguments });
        }
        pushTurn(messages, "assistant", blocks);
        break;
      }
      case "tool": {
        const name = typeof raw.tool_name === "string" ? raw.tool_name : undefined;
        const at = pending.findIndex((p) => name === undefined || p.name === name);
        const match = pending.splice(at === -1 ? 0 : at, 1)[0];
        if (!match) throw invalid(field, "a tool result must follow an assistant message with tool_calls");
        pushTurn(messages, "user", [{ type: "tool_result", tool_use_id: match.id, content }]);
        break;
      }
      default:
        throw invalid(`${field}.role`, 'must be "system", "user", "assistant" or "tool"');
    }
  }
  const out: AnthropicMessagesBody = { model: req.model, messages };
  if (systems.length > 0) out.system = systems.join("\n\n");
  const tools = toolsOf(req.tools);
  if (tools.length > 0) out.tools = tools;
  applyCommon(out, req);
  return out;
}

/**
 * /api/generate as one user turn. `raw` and `template` ask Ollama to skip or replace the model's
 * prompt template, which only a local model has; elsewhere the prompt is sent as it is.
 * `context` (tokens of an earlier generate call) cannot be replayed on another model and is ignored.
 */
export function ollamaGenerateToAnthropic(body: unknown): AnthropicMessagesBody {
  const req = requestObject(body);
  const prompt = req.prompt ?? "";
  if (typeof prompt !== "string") throw invalid("prompt", "must be a string");
  if (req.suffix !== undefined && req.suffix !== null && req.suffix !== "")
    throw invalid("suffix", "fill-in-the-middle is only available on local models");
  const blocks = [...imagesOf(req.images, "body"), ...textBlock(prompt)];
  // An empty prompt only loads the model in Ollama; Anthropic needs some content.
  const out: AnthropicMessagesBody = {
    model: req.model,
    messages: [{ role: "user", content: blocks.length > 0 ? blocks : [{ type: "text", text: "." }] }],
  };
  if (req.system !== undefined && req.system !== null) {
    if (typeof req.system !== "string") throw invalid("system", "must be a string");
    if (req.system !== "") out.system = req.system;
  }
  applyCommon(out, req);
  return out;
}

/** `options`, `format` and `stream`, which both endpoints share. */
function applyCommon(out: AnthropicMessagesBody, req: Json): void {
  out.stream = ollamaStreams(req);
  const options = req.options ?? {};
  if (!isObject(options)) throw invalid("options", "must be an object");
  const max = ollamaMaxTokens(req);
  if (max !== null) out.max_tokens = max;
  const num = (key: string, min: number, max: number): number | undefined => {
    const v = options[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max)
      throw invalid(`options.${key}`, `must be a number between ${min} and ${max}`);
    return v;
  };
  const temperature = num("temperature", 0, 2);
  // Anthropic's temperature runs 0–1; above that the most random it offers is the closest.
  if (temperature !== undefined) out.temperature = Math.min(temperature, 1);
  const topP = num("top_p", 0, 1);
  if (topP !== undefined) out.top_p = topP;
  const topK = num("top_k", 0, 1_000_000);
  if (topK !== undefined && topK > 0) out.top_k = Math.floor(topK);
  const stop = stopSequences(options.stop, "options.stop");
  if (stop) out.stop_sequences = stop;
  const format = req.format;
  if (format === "json") appendSystem(out, JSON_OBJECT_INSTRUCTION);
  else if (isObject(format)) out.output_config = { format: { type: "json_schema", schema: format } };
  else if (format !== undefined && format !== null && format !== "")
    throw invalid("format", 'must be "json" or a JSON schema object');
}

function textBlock(text: string): AnthropicContentBlock[] {
  return text === "" ? [] : [{ type: "text", text }];
}

/** Base64 signatures of the image types Anthropic accepts. */
const SIGNATURES: [string, string][] = [
  ["iVBORw0KGgo", "image/png"],
  ["/9j/", "image/jpeg"],
  ["R0lGOD", "image/gif"],
  ["UklGR", "image/webp"],
];

function imagesOf(images: unknown, field: string): AnthropicImageBlock[] {
  if (images === undefined || images === null) return [];
  if (!Array.isArray(images)) throw invalid(`${field}.images`, "must be a list of base64 strings");
  return images.map((data, n) => {
    if (typeof data !== "string" || data === "")
      throw invalid(`${field}.images[${n}]`, "must be a base64 string");
    const media = SIGNATURES.find(([prefix]) => data.startsWith(prefix))?.[1] ?? "image/png";
    return { type: "image", source: { type: "base64", media_type: media, data } };
  });
}

interface Call {
  id?: string;
  name: string;
  arguments: Record<string, unknown>;
}

function toolCalls(calls: unknown, field: string): Call[] {
  if (calls === undefined || calls === null) return [];
  if (!Array.isArray(calls)) throw invalid(`${field}.tool_calls`, "must be a list");
  return calls.map((call, n) => {
    const f = isObject(call) && isObject(call.function) ? call.function : null;
    if (!f || typeof f.name !== "string" || f.name === "")
      throw invalid(`${field}.tool_calls[${n}].function.name`, "must be a non-empty string");
    // Ollama sends arguments as an object; a JSON string is accepted too, as some clients send it.
    let args: unknown = f.arguments ?? {};
    if (typeof args === "string") {
      try {
        args = JSON.parse(args);
      } catch {
        args = {};
      }
    }
    const id = isObject(call) && typeof call.id === "string" && call.id !== "" ? call.id : undefined;
    return { ...(id ? { id } : {}), name: f.name, arguments: isObject(args) ? args : {} };
  });
}

function toolsOf(tools: unknown): AnthropicTool[] {
  if (tools === undefined || tools === null) return [];
  if (!Array.isArray(tools)) throw invalid("tools", "must be a list");
  return tools.map((tool, n) => {
    const f = isObject(tool) && isObject(tool.function) ? tool.function : null;
    if (!f || typeof f.name !== "string" || f.name === "")
      throw invalid(`tools[${n}].function.name`, "must be a non-empty string");
    return {
      name: f.name,
      ...(typeof f.description === "string" ? { description: f.description } : {}),
      input_schema: inputSchema(f.parameters, `tools[${n}].function.parameters`),
    };
  });
}
