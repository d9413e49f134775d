// OpenAI Chat Completions request (what the client sent) → Anthropic Messages body (the gateway's pivot).

import type {
  AnthropicContentBlock,
  AnthropicMessageParam,
  AnthropicMessagesBody,
  AnthropicTextBlock,
  AnthropicTool,
  AnthropicToolChoice,
} from "../../providers/translate/anthropic-types.ts";
import {
  appendSystem,
  applyEffort,
  argumentsObject,
  documentBlock,
  imageBlock,
  inputSchema,
  invalid,
  isObject,
  JSON_OBJECT_INSTRUCTION,
  type Json,
  optionalBoolean,
  optionalNumber,
  optionalTokenLimit,
  pushTurn,
  requestObject,
  stopSequences,
  temperatureOf,
  textOf,
} from "./common.ts";
import { repairToolPairs } from "./pairing.ts";

/**
 * Decisions worth knowing:
 * - system and developer messages, wherever they stand, become the top-level `system` (one block
 *   each, in order): Anthropic has no system turns between user turns.
 * - consecutive `tool` messages become one user turn of tool_result blocks, and a user message right
 *   after them joins that turn, so the turn after the tool calls starts with their results; calls and
 *   results that do not pair up are repaired (see `repairToolPairs`).
 * - `reasoning_effort` becomes a thinking budget (see `applyEffort`).
 * - `response_format` json_schema becomes Anthropic's structured output (`output_config.format`), which
 *   the OpenAI provider adapter maps back to `response_format`; json_object has no Anthropic switch
 *   and becomes a system instruction to answer with one JSON object.
 * - Fields with no Anthropic meaning that do not change what the client gets back are ignored:
 *   seed, penalties, logit_bias, store, metadata, service_tier, prompt_cache_key,
 *   verbosity, prediction, web_search_options. Those that would (n > 1, logprobs, audio output,
 *   legacy `functions`) are refused with a 400 naming the field.
 * - `max_tokens` stays unset when the client gives no limit; the pipeline fills in the model's maximum.
 */
export function chatRequestToAnthropic(body: unknown): AnthropicMessagesBody {
  const req = requestObject(body);
  refuseUnsupported(req);
  if (!Array.isArray(req.messages) || req.messages.length === 0) {
    throw invalid("messages", "must be a non-empty list");
  }
  const system: AnthropicTextBlock[] = [];
  const messages: AnthropicMessageParam[] = [];
  for (const [i, m] of req.messages.entries()) {
    const field = `messages[${i}]`;
    if (!isObject(m)) throw invalid(field, "must be an object");
    switch (m.role) {
      case "system":
      case "developer": {
        const text = textOf(m.content, `${field}.content`, ["text"]);
        if (text !== "") system.push({ type: "text", text });
        break;
      }
      case "user":
        pushTurn(messages, "user", userBlocks(m.content, `${field}.content`));
        break;
      case "assistant":
        pushTurn(messages, "assistant", assistantBlocks(m, field));
        break;
      case "tool":
        pushTurn(messages, "user", [toolResult(m, field)]);
        break;
      default:
        throw invalid(`${field}.role`, "must be one of system, developer, user, assistant, tool");
    }
  }
  if (messages.length === 0) throw invalid("messages", "must contain at least one user or assistant message");
  repairToolPairs(messages);

  const out: AnthropicMessagesBody = { model: req.model, messages };
  if (system.length === 1 && system[0]) out.system = system[0].text;
  else if (system.length > 1) out.system = system;
  const maxTokens = optionalTokenLimit(req, "max_completion_tokens") ?? optionalTokenLimit(req, "max_tokens");
  if (maxTokens !== undefined) out.max_tokens = maxTokens;
  const temperature = temperatureOf(req);
  if (temperature !== undefined) out.temperature = temperature;
  const topP = optionalNumber(req, "top_p", 0, 1);
  if (topP !== undefined) out.top_p = topP;
  const stop = stopSequences(req.stop, "stop");
  if (stop) out.stop_sequences = stop;
  if (optionalBoolean(req, "stream") === true) out.stream = true;
  // OpenAI's newer `safety_identifier` replaces `user`; either names the end user to Anthropic.
  const user = req.safety_identifier ?? req.user;
  if (typeof user === "string" && user !== "") out.metadata = { user_id: user };

  const tools = chatTools(req.tools);
  if (tools.length > 0) out.tools = tools;
  const choice = toolChoice(req.tool_choice, optionalBoolean(req, "parallel_tool_calls"));
  if (choice && tools.length > 0) out.tool_choice = choice;
  responseFormat(req.response_format, out);
  applyEffort(out, req.reasoning_effort, "reasoning_effort");
  return out;
}

/** Whether a streamed request asked for the usage chunk (`stream_options.include_usage`). */
export function chatIncludeUsage(body: unknown): boolean {
  return isObject(body) && isObject(body.stream_options) && body.stream_options.include_usage === true;
}

function refuseUnsupported(req: Json): void {
  if (req.n !== undefined && req.n !== null && req.n !== 1) throw invalid("n", "only 1 is supported");
  if (req.logprobs === true) throw invalid("logprobs", "is not supported for this model");
  if (Array.isArray(req.modalities) && req.modalities.includes("audio")) {
    throw invalid("modalities", "audio output is not supported for this model");
  }
  if (req.functions !== undefined || req.function_call !== undefined) {
    throw invalid("functions", "the legacy functions API is not supported; use tools");
  }
}

function userBlocks(content: unknown, field: string): AnthropicContentBlock[] {
  if (typeof content === "string") return content === "" ? [] : [{ type: "text", text: content }];
  if (!Array.isArray(content)) throw invalid(field, "must be a string or a list of content parts");
  return content.map((part, i): AnthropicContentBlock => {
    const at = `${field}[${i}]`;
    if (!isObject(part)) throw invalid(at, "must be an object");
    switch (part.type) {
      case "text":
        if (typeof part.text !== "string") throw invalid(`${at}.text`, "must be a string");
        return { type: "text", text: part.text };
      case "image_url": {
        const image = part.image_url;
        return imageBlock(isObject(image) ? image.url : image, `${at}.image_url.url`);
      }
      case "file":
        return documentBlock(isObject(part.file) ? part.file.file_data : undefined, `${at}.file.file_data`);
      default:
        throw invalid(`${at}.type`, `"${String(part.type)}" is not supported for this model`);
    }
  });
}

function assistantBlocks(m: Json, field: string): AnthropicContentBlock[] {
  const blocks: AnthropicContentBlock[] = [];
  const content = m.content;
  if (typeof content === "string") {
    if (content !== "") blocks.push({ type: "text", text: content });
  } else if (Array.isArray(content)) {
    const text = textOf(
      content.map((p) => (isObject(p) && p.type === "refusal" ? { type: "text", text: p.refusal } : p)),
      `${field}.content`,
      ["text"],
    );
    if (text !== "") blocks.push({ type: "text", text });
  } else if (content !== null && content !== undefined) {
    throw invalid(`${field}.content`, "must be a string, a list of text parts or null");
  }
  const calls = m.tool_calls;
  if (calls === undefined || calls === null) return blocks;
  if (!Array.isArray(calls)) throw invalid(`${field}.tool_calls`, "must be a list");
  for (const [i, call] of calls.entries()) {
    const at = `${field}.tool_calls[${i}]`;
    if (!isObject(call) || typeof call.id !== "string" || !isObject(call.function)) {
      throw invalid(at, "must have an id and a function");
    }
    if (typeof call.function.name !== "string") throw invalid(`${at}.function.name`, "must be a string");
    blocks.push({
      type: "tool_use",
      id: call.id,
      name: call.function.name,
      input: argumentsObject(call.function.arguments),
    });
  }
  return blocks;
}

function toolResult(m: Json, field: string): AnthropicContentBlock {
  if (typeof m.tool_call_id !== "string" || m.tool_call_id === "") {
    throw invalid(`${field}.tool_call_id`, "must be a non-empty string");
  }
  return {
    type: "tool_result",
    tool_use_id: m.tool_call_id,
    content: textOf(m.content, `${field}.content`, ["text"]),
  };
}

function chatTools(tools: unknown): AnthropicTool[] {
  if (tools === undefined || tools === null) return [];
  if (!Array.isArray(tools)) throw invalid("tools", "must be a list");
  return tools.map((t, i): AnthropicTool => {
    const at = `tools[${i}]`;
    if (!isObject(t) || t.type !== "function" || !isObject(t.function)) {
      throw invalid(at, 'only tools of type "function" are supported for this model');
    }
    const fn = t.function;
    if (typeof fn.name !== "string" || fn.name === "")
      throw invalid(`${at}.function.name`, "must be a string");
    const tool: AnthropicTool = {
      name: fn.name,
      input_schema: inputSchema(fn.parameters, `${at}.function.parameters`),
    };
    if (typeof fn.description === "string") tool.description = fn.description;
    return tool;
  });
}

/** OpenAI's tool_choice (+ parallel_tool_calls) as Anthropic's; undefined when the default applies. */
export function toolChoice(choice: unknown, parallel: boolean | undefined): AnthropicToolChoice | undefined {
  const serial = parallel === false ? { disable_parallel_tool_use: true } : {};
  if (choice === undefined || choice === null)
    return parallel === false ? { type: "auto", ...serial } : undefined;
  if (choice === "none") return { type: "none" };
  if (choice === "auto") return { type: "auto", ...serial };
  if (choice === "required") return { type: "any", ...serial };
  if (isObject(choice) && choice.type === "function") {
    // Chat nests the name under `function`; the Responses API puts it on the choice itself.
    const name = isObject(choice.function) ? choice.function.name : choice.name;
    if (typeof name === "string" && name !== "") return { type: "tool", name, ...serial };
  }
  throw invalid("tool_choice", 'must be "none", "auto", "required" or a named function');
}

function responseFormat(format: unknown, out: AnthropicMessagesBody): void {
  if (format === undefined || format === null) return;
  if (!isObject(format)) throw invalid("response_format", "must be an object");
  if (format.type === "text") return;
  if (format.type === "json_object") {
    appendSystem(out, JSON_OBJECT_INSTRUCTION);
    return;
  }
  if (format.type === "json_schema" && isObject(format.json_schema) && isObject(format.json_schema.schema)) {
    out.output_config = { format: { type: "json_schema", schema: format.json_schema.schema } };
    return;
  }
  throw invalid("response_format", 'must be of type "text", "json_object" or "json_schema" with a schema');
}
