// Anthropic Messages request → OpenAI Chat Completions request (pure; the model name is decided by the caller).

import type {
  AnthropicContentBlock,
  AnthropicDocumentBlock,
  AnthropicImageBlock,
  AnthropicMessagesBody,
} from "../translate/anthropic-types.ts";
import {
  clientTools,
  documentText,
  flattenToolResult,
  inputObject,
  joinText,
  messagesOf,
  systemPrompt,
  toolParameters,
} from "../translate/content.ts";
import { isOpenAIReasoningModel, openAIMaxOutputTokens } from "./models.ts";
import type {
  OpenAIChatBody,
  OpenAIImagePart,
  OpenAIMessage,
  OpenAIReasoningEffort,
  OpenAIToolCall,
  OpenAIToolChoice,
  OpenAIUserPart,
} from "./types.ts";

export interface OpenAIRequestOptions {
  /** The OpenAI model to call (already stripped of any routing prefix). */
  model: string;
  /** Overrides the built-in output ceiling for the model (e.g. from config). */
  maxOutputTokens?: number;
}

/** OpenAI accepts at most four stop sequences; Anthropic allows more. The first four are kept. */
const MAX_STOP_SEQUENCES = 4;
/** Longer `user` values (Claude Code sends ~160 characters) are hashed to a stable 64-character id. */
const MAX_USER_LENGTH = 64;

/**
 * Decisions worth knowing:
 * - `max_tokens` is clamped to the model's ceiling and sent as `max_completion_tokens` to reasoning
 *   models (which reject `max_tokens`) and as `max_tokens` to the others, which every
 *   OpenAI-compatible server understands.
 * - Reasoning models get no `temperature`, `top_p` or `stop` (OpenAI answers 400 to them); Anthropic's
 *   thinking budget or `output_config.effort` becomes `reasoning_effort` instead.
 * - Signed thinking blocks are dropped: they are Anthropic's to verify and never become text.
 * - Server tools (web search, code execution) and Files-API sources cannot move and are dropped.
 */
export function anthropicToOpenAIRequest(
  body: AnthropicMessagesBody,
  opts: OpenAIRequestOptions,
): OpenAIChatBody {
  const model = opts.model;
  const reasoning = isOpenAIReasoningModel(model);
  const messages: OpenAIMessage[] = [];
  const system = systemPrompt(body);
  if (system !== null) messages.push({ role: "system", content: system });
  for (const m of messagesOf(body)) {
    if (m.role === "assistant") pushAssistant(m.content, messages);
    else if (m.role === "system") {
      const text = joinText(m.content, "\n\n");
      if (text !== "") messages.push({ role: "system", content: text });
    } else pushUser(m.content, messages);
  }

  const out: OpenAIChatBody = { model, messages };
  if (typeof body.max_tokens === "number" && body.max_tokens > 0) {
    const limit = opts.maxOutputTokens ?? openAIMaxOutputTokens(model);
    const n = Math.min(Math.floor(body.max_tokens), limit);
    if (reasoning) out.max_completion_tokens = n;
    else out.max_tokens = n;
  }
  if (reasoning) {
    const effort = reasoningEffort(body);
    if (effort) out.reasoning_effort = effort;
  } else {
    if (typeof body.temperature === "number") out.temperature = body.temperature;
    if (typeof body.top_p === "number") out.top_p = body.top_p;
    if (Array.isArray(body.stop_sequences) && body.stop_sequences.length > 0) {
      out.stop = body.stop_sequences.slice(0, MAX_STOP_SEQUENCES);
    }
  }

  const tools = clientTools(body.tools);
  if (tools.length > 0) {
    out.tools = tools.map((t) => ({
      type: "function",
      function: {
        name: t.name,
        ...(typeof t.description === "string" ? { description: t.description } : {}),
        parameters: toolParameters(t),
      },
    }));
    const choice = body.tool_choice;
    const mapped = choice ? toolChoice(choice) : undefined;
    if (mapped) out.tool_choice = mapped;
    if (choice && choice.type !== "none" && choice.disable_parallel_tool_use === true) {
      out.parallel_tool_calls = false;
    }
  }

  if (body.stream === true) {
    out.stream = true;
    // Without it OpenAI sends no usage at all on a stream, and the request could not be billed.
    out.stream_options = { include_usage: true };
  }
  const userId = body.metadata?.user_id;
  if (typeof userId === "string" && userId !== "") out.user = userLabel(userId);
  const format = body.output_config?.format;
  if (format?.type === "json_schema" && typeof format.schema === "object") {
    out.response_format = { type: "json_schema", json_schema: { name: "output", schema: format.schema } };
  }
  return out;
}

/** Tool results become `tool` messages placed first, since OpenAI wants them right after the tool calls. */
function pushUser(content: string | AnthropicContentBlock[], out: OpenAIMessage[]): void {
  if (typeof content === "string") {
    out.push({ role: "user", content });
    return;
  }
  const parts: OpenAIUserPart[] = [];
  for (const block of content) {
    switch (block?.type) {
      case "text":
        parts.push({ type: "text", text: block.text });
        break;
      case "image": {
        const part = imagePart(block);
        if (part) parts.push(part);
        break;
      }
      case "document": {
        const part = documentPart(block);
        if (part) parts.push(part);
        break;
      }
      case "tool_result": {
        const result = flattenToolResult(block);
        out.push({ role: "tool", tool_call_id: block.tool_use_id, content: result.text });
        // Tool messages are text-only: images a tool returned follow in the user message.
        for (const image of result.images) {
          const part = imagePart(image);
          if (!part) continue;
          parts.push({ type: "text", text: `Image returned by tool call ${block.tool_use_id}:` }, part);
        }
        break;
      }
      default:
        break; // thinking, redacted_thinking, server-tool blocks: nothing OpenAI can use
    }
  }
  if (parts.length === 0) return;
  const only = parts.length === 1 ? parts[0] : undefined;
  out.push({ role: "user", content: only?.type === "text" ? only.text : parts });
}

function pushAssistant(content: string | AnthropicContentBlock[], out: OpenAIMessage[]): void {
  if (typeof content === "string") {
    if (content !== "") out.push({ role: "assistant", content });
    return;
  }
  let text = "";
  const calls: OpenAIToolCall[] = [];
  for (const block of content) {
    if (block?.type === "text") text += block.text;
    else if (block?.type === "tool_use") {
      calls.push({
        id: block.id,
        type: "function",
        function: { name: block.name, arguments: JSON.stringify(inputObject(block.input)) },
      });
    }
    // thinking and redacted_thinking are signed by Anthropic: dropped, never turned into text.
  }
  if (text === "" && calls.length === 0) return;
  out.push(
    calls.length > 0
      ? { role: "assistant", content: text === "" ? null : text, tool_calls: calls }
      : { role: "assistant", content: text },
  );
}

function imagePart(block: AnthropicImageBlock): OpenAIImagePart | null {
  const source = block.source;
  if (source?.type === "base64") {
    return { type: "image_url", image_url: { url: `data:${source.media_type};base64,${source.data}` } };
  }
  if (source?.type === "url") return { type: "image_url", image_url: { url: source.url } };
  return null; // an Anthropic Files API id means nothing to OpenAI
}

function documentPart(block: AnthropicDocumentBlock): OpenAIUserPart | null {
  const source = block.source;
  if (source?.type === "base64") {
    const filename = typeof block.title === "string" && block.title !== "" ? block.title : "document.pdf";
    return { type: "file", file: { filename, file_data: `data:${source.media_type};base64,${source.data}` } };
  }
  const text = documentText(block);
  return text === null ? null : { type: "text", text };
}

function toolChoice(choice: NonNullable<AnthropicMessagesBody["tool_choice"]>): OpenAIToolChoice | undefined {
  switch (choice.type) {
    case "auto":
      return "auto";
    case "any":
      return "required";
    case "none":
      return "none";
    case "tool":
      return { type: "function", function: { name: choice.name } };
    default:
      return undefined;
  }
}

/** Anthropic's effort levels or thinking budget, on OpenAI's three-step scale. */
function reasoningEffort(body: AnthropicMessagesBody): OpenAIReasoningEffort | undefined {
  const effort = body.output_config?.effort;
  if (effort === "low" || effort === "medium" || effort === "high") return effort;
  if (effort === "xhigh" || effort === "max") return "high";
  const thinking = body.thinking;
  if (thinking?.type === "enabled" && typeof thinking.budget_tokens === "number") {
    if (thinking.budget_tokens <= 4_096) return "low";
    return thinking.budget_tokens <= 16_384 ? "medium" : "high";
  }
  if (thinking?.type === "disabled") return "low";
  return undefined;
}

function userLabel(userId: string): string {
  if (userId.length <= MAX_USER_LENGTH) return userId;
  return new Bun.CryptoHasher("sha256").update(userId).digest("hex");
}
