// OpenAI Responses request (Codex CLI, the SDK's responses.create) → Anthropic Messages body (the pivot).

import type {
  AnthropicContentBlock,
  AnthropicMessageParam,
  AnthropicMessagesBody,
  AnthropicTextBlock,
} from "../../providers/translate/anthropic-types.ts";
import { TranslationError } from "../../providers/translate/content.ts";
import {
  appendSystem,
  applyEffort,
  argumentsObject,
  documentBlock,
  imageBlock,
  invalid,
  isObject,
  JSON_OBJECT_INSTRUCTION,
  type Json,
  optionalBoolean,
  optionalNumber,
  optionalTokenLimit,
  pushTurn,
  requestObject,
  temperatureOf,
} from "../openai-chat/common.ts";
import { repairToolPairs } from "../openai-chat/pairing.ts";
import { toolChoice } from "../openai-chat/request.ts";
import { decodeThinking } from "./reasoning.ts";
import { namespacedName, responsesTools } from "./tools.ts";

/** `previous_response_id` needs responses kept on the gateway, which it does not keep: a 400 says so. */
export class PreviousResponseError extends TranslationError {
  constructor() {
    super(
      "previous_response_id: this gateway does not store responses; send the whole conversation in `input` " +
        "(with `store: false`, as Codex CLI does)",
    );
    this.name = "PreviousResponseError";
  }
}

/**
 * Decisions worth knowing:
 * - `instructions` and system/developer messages become `system`, in order (Codex sends its prompt
 *   as a developer message and no `instructions`).
 * - function_call / custom_tool_call / local_shell_call items become tool_use blocks with the call_id
 *   as id, their outputs tool_result blocks (paired by call_id, repaired where they do not pair).
 * - reasoning items: ours (see reasoning.ts) become the thinking blocks they carry; OpenAI's are
 *   dropped, since their encrypted content only OpenAI can read and a summary is not the reasoning.
 * - Records of OpenAI-hosted work (web_search_call, image_generation_call, tool search, compaction)
 *   are dropped for the same reason; `item_reference` needs stored items and is refused.
 * - Ignored, since they change nothing a Claude or Ollama model can honour: store, include (read by
 *   the reply side), prompt_cache_key, client_metadata, metadata, safety_identifier, service_tier,
 *   truncation, background, text.verbosity, parallel_tool_calls when true, stream_options.
 * - `max_tokens` stays unset when the client gives no `max_output_tokens`; the pipeline fills it.
 */
export function responsesRequestToAnthropic(body: unknown): AnthropicMessagesBody {
  const req = requestObject(body);
  if (req.previous_response_id !== undefined && req.previous_response_id !== null)
    throw new PreviousResponseError();
  if (req.conversation !== undefined && req.conversation !== null) {
    throw invalid(
      "conversation",
      "this gateway does not store conversations; send the whole history in `input`",
    );
  }
  if (req.background === true) throw invalid("background", "background responses are not supported");
  if (req.prompt !== undefined && req.prompt !== null) {
    throw invalid(
      "prompt",
      "stored prompt templates live in OpenAI's account; send the prompt text as input",
    );
  }
  const system: AnthropicTextBlock[] = [];
  if (typeof req.instructions === "string" && req.instructions !== "") {
    system.push({ type: "text", text: req.instructions });
  } else if (
    req.instructions !== undefined &&
    req.instructions !== null &&
    typeof req.instructions !== "string"
  ) {
    throw invalid("instructions", "must be a string");
  }
  const { tools, names } = responsesTools(req.tools);
  const messages: AnthropicMessageParam[] = [];
  const input = req.input;
  if (typeof input === "string") pushTurn(messages, "user", [{ type: "text", text: input }]);
  else if (Array.isArray(input)) {
    const nameOf = (item: Json): string =>
      typeof item.namespace === "string"
        ? namespacedName(item.namespace, String(item.name))
        : String(item.name);
    for (const [i, item] of input.entries()) inputItem(item, `input[${i}]`, messages, system, nameOf);
  } else throw invalid("input", "must be a string or a list of items");
  if (messages.length === 0) throw invalid("input", "must contain at least one message");
  repairToolPairs(messages);

  const out: AnthropicMessagesBody = { model: req.model, messages };
  if (system.length === 1 && system[0]) out.system = system[0].text;
  else if (system.length > 1) out.system = system;
  const maxTokens = optionalTokenLimit(req, "max_output_tokens");
  if (maxTokens !== undefined) out.max_tokens = maxTokens;
  const temperature = temperatureOf(req);
  if (temperature !== undefined) out.temperature = temperature;
  const topP = optionalNumber(req, "top_p", 0, 1);
  if (topP !== undefined) out.top_p = topP;
  if (optionalBoolean(req, "stream") === true) out.stream = true;
  const user = req.safety_identifier ?? req.user;
  if (typeof user === "string" && user !== "") out.metadata = { user_id: user };
  if (tools.length > 0) {
    out.tools = tools;
    const choice = toolChoice(
      responsesChoice(req.tool_choice, names),
      optionalBoolean(req, "parallel_tool_calls"),
    );
    if (choice) out.tool_choice = choice;
  }
  textFormat(req.text, out);
  const reasoning = req.reasoning;
  if (reasoning !== undefined && reasoning !== null && !isObject(reasoning))
    throw invalid("reasoning", "must be an object");
  applyEffort(out, isObject(reasoning) ? reasoning.effort : undefined, "reasoning.effort");
  return out;
}

/** Responses names a function choice on the object itself; namespaced functions carry their group. */
function responsesChoice(choice: unknown, names: Map<string, unknown>): unknown {
  if (!isObject(choice) || (choice.type !== "function" && choice.type !== "custom")) return choice;
  const name =
    typeof choice.namespace === "string"
      ? namespacedName(choice.namespace, String(choice.name))
      : choice.name;
  if (typeof name !== "string" || !names.has(name))
    throw invalid("tool_choice", `names a tool that is not in tools`);
  return { type: "function", name };
}

function inputItem(
  item: unknown,
  at: string,
  messages: AnthropicMessageParam[],
  system: AnthropicTextBlock[],
  nameOf: (item: Json) => string,
): void {
  if (!isObject(item)) throw invalid(at, "must be an object");
  // A message may omit its type (EasyInputMessage).
  const type = item.type ?? (item.role !== undefined ? "message" : undefined);
  switch (type) {
    case "message":
      message(item, at, messages, system);
      return;
    case "function_call":
    case "custom_tool_call": {
      const callId = callIdOf(item, at);
      if (typeof item.name !== "string" || item.name === "")
        throw invalid(`${at}.name`, "must be a non-empty string");
      const input =
        type === "function_call" ? argumentsObject(item.arguments) : { input: String(item.input ?? "") };
      pushTurn(messages, "assistant", [{ type: "tool_use", id: callId, name: nameOf(item), input }]);
      return;
    }
    case "local_shell_call": {
      const action = isObject(item.action) ? item.action : {};
      const input: Json = { command: Array.isArray(action.command) ? action.command : [] };
      if (typeof action.working_directory === "string") input.workdir = action.working_directory;
      if (typeof action.timeout_ms === "number") input.timeout_ms = action.timeout_ms;
      pushTurn(messages, "assistant", [
        { type: "tool_use", id: callIdOf(item, at), name: "local_shell", input },
      ]);
      return;
    }
    case "function_call_output":
    case "custom_tool_call_output":
    case "local_shell_call_output":
      pushTurn(messages, "user", [
        {
          type: "tool_result",
          tool_use_id: callIdOf(item, at),
          content: toolOutput(item.output, `${at}.output`),
        },
      ]);
      return;
    case "reasoning": {
      const thinking = decodeThinking(item.encrypted_content);
      if (thinking) pushTurn(messages, "assistant", [thinking]);
      return;
    }
    case "web_search_call":
    case "image_generation_call":
    case "tool_search_call":
    case "tool_search_output":
    case "compaction":
    case "compaction_summary":
      return;
    case "item_reference":
      throw invalid(`${at}.type`, "item_reference needs stored items, which this gateway does not keep");
    default:
      throw invalid(`${at}.type`, `"${String(type)}" is not supported for this model`);
  }
}

/** Older clients put the call id in `id` (local shell calls); the Responses API uses `call_id`. */
function callIdOf(item: Json, at: string): string {
  const id = item.call_id ?? item.id;
  if (typeof id !== "string" || id === "") throw invalid(`${at}.call_id`, "must be a non-empty string");
  return id;
}

function message(
  item: Json,
  at: string,
  messages: AnthropicMessageParam[],
  system: AnthropicTextBlock[],
): void {
  const role = item.role;
  if (role === "system" || role === "developer") {
    const blocks = contentBlocks(item.content, `${at}.content`);
    for (const b of blocks) {
      if (b.type !== "text") throw invalid(`${at}.content`, `${role} messages may hold text only`);
      if (b.text !== "") system.push(b);
    }
    return;
  }
  if (role !== "user" && role !== "assistant") {
    throw invalid(`${at}.role`, "must be one of user, assistant, system, developer");
  }
  pushTurn(messages, role, contentBlocks(item.content, `${at}.content`));
}

function contentBlocks(content: unknown, at: string): AnthropicContentBlock[] {
  if (typeof content === "string") return content === "" ? [] : [{ type: "text", text: content }];
  if (!Array.isArray(content)) throw invalid(at, "must be a string or a list of content parts");
  const blocks: AnthropicContentBlock[] = [];
  for (const [i, part] of content.entries()) {
    const pat = `${at}[${i}]`;
    if (!isObject(part)) throw invalid(pat, "must be an object");
    switch (part.type) {
      case "input_text":
      case "output_text":
      case "text":
        if (typeof part.text !== "string") throw invalid(`${pat}.text`, "must be a string");
        if (part.text !== "") blocks.push({ type: "text", text: part.text });
        break;
      case "refusal":
        if (typeof part.refusal === "string" && part.refusal !== "")
          blocks.push({ type: "text", text: part.refusal });
        break;
      case "input_image":
        if (part.file_id !== undefined && part.image_url === undefined) {
          throw invalid(
            `${pat}.file_id`,
            "uploaded files live in OpenAI's storage; send the image as a URL or data URL",
          );
        }
        blocks.push(imageBlock(part.image_url, `${pat}.image_url`));
        break;
      case "input_file":
        blocks.push(documentBlock(part.file_data, `${pat}.file_data`));
        break;
      default:
        throw invalid(`${pat}.type`, `"${String(part.type)}" is not supported for this model`);
    }
  }
  return blocks;
}

/** A tool's output: a string, or content parts (text and images, as Codex sends for view_image). */
function toolOutput(
  output: unknown,
  at: string,
): string | Array<Extract<AnthropicContentBlock, { type: "text" | "image" }>> {
  if (typeof output === "string") return output;
  if (isObject(output) && typeof output.content === "string") return output.content;
  const blocks = contentBlocks(output, at);
  const kept: Array<Extract<AnthropicContentBlock, { type: "text" | "image" }>> = [];
  for (const b of blocks) if (b.type === "text" || b.type === "image") kept.push(b);
  return kept;
}

/** `text.format`: json_schema → structured output; json_object → an instruction; text → nothing. */
function textFormat(text: unknown, out: AnthropicMessagesBody): void {
  if (!isObject(text) || text.format === undefined || text.format === null) return;
  const format = text.format;
  if (!isObject(format)) throw invalid("text.format", "must be an object");
  if (format.type === "text") return;
  if (format.type === "json_object") appendSystem(out, JSON_OBJECT_INSTRUCTION);
  else if (format.type === "json_schema" && isObject(format.schema)) {
    out.output_config = { format: { type: "json_schema", schema: format.schema } };
  } else throw invalid("text.format", 'must be of type "text", "json_object" or "json_schema" with a schema');
}
