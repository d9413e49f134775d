// Anthropic Messages request → Ollama /api/chat request (pure; the model name is decided by the caller).

import type {
  AnthropicContentBlock,
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
import type { OllamaChatRequest, OllamaMessage, OllamaOptions, OllamaToolCall } from "./types.ts";

export interface OllamaRequestOptions {
  /** The Ollama model to call (`llama3.2:latest`), without any routing prefix. */
  model: string;
}

/**
 * Decisions worth knowing:
 * - Ollama has no tool_choice: `none` sends no tools at all; `any`/`tool` cannot be forced and
 *   degrade to the model's own choice.
 * - Images must be bytes: base64 images pass, URL and Files-API images are dropped. Text documents
 *   become text; PDFs are dropped (Ollama reads none).
 * - Tool results carry `tool_name`, looked up from the tool_use blocks earlier in the conversation.
 * - Signed thinking blocks are dropped, never turned into text.
 */
export function anthropicToOllamaRequest(
  body: AnthropicMessagesBody,
  opts: OllamaRequestOptions,
): OllamaChatRequest {
  const messages: OllamaMessage[] = [];
  const system = systemPrompt(body);
  if (system !== null) messages.push({ role: "system", content: system });
  const toolNames = new Map<string, string>();
  for (const m of messagesOf(body)) {
    if (m.role === "assistant") pushAssistant(m.content, messages, toolNames);
    else if (m.role === "system") {
      const text = joinText(m.content, "\n\n");
      if (text !== "") messages.push({ role: "system", content: text });
    } else pushUser(m.content, messages, toolNames);
  }

  const out: OllamaChatRequest = { model: opts.model, messages, stream: body.stream === true };
  const options: OllamaOptions = {};
  if (typeof body.max_tokens === "number" && body.max_tokens > 0)
    options.num_predict = Math.floor(body.max_tokens);
  if (typeof body.temperature === "number") options.temperature = body.temperature;
  if (typeof body.top_p === "number") options.top_p = body.top_p;
  if (typeof body.top_k === "number") options.top_k = body.top_k;
  if (Array.isArray(body.stop_sequences) && body.stop_sequences.length > 0)
    options.stop = body.stop_sequences;
  if (Object.keys(options).length > 0) out.options = options;

  const tools = clientTools(body.tools);
  if (tools.length > 0 && body.tool_choice?.type !== "none") {
    out.tools = tools.map((t) => ({
      type: "function",
      function: {
        name: t.name,
        ...(typeof t.description === "string" ? { description: t.description } : {}),
        parameters: toolParameters(t),
      },
    }));
  }
  const format = body.output_config?.format;
  if (format?.type === "json_schema" && typeof format.schema === "object") out.format = format.schema;
  return out;
}

/** Tool results become `tool` messages placed before the turn's remaining text, right after the calls. */
function pushUser(
  content: string | AnthropicContentBlock[],
  out: OllamaMessage[],
  toolNames: ReadonlyMap<string, string>,
): void {
  if (typeof content === "string") {
    out.push({ role: "user", content });
    return;
  }
  const texts: string[] = [];
  const images: string[] = [];
  for (const block of content) {
    switch (block?.type) {
      case "text":
        texts.push(block.text);
        break;
      case "image":
        pushImage(block, images);
        break;
      case "document": {
        const text = documentText(block);
        if (text !== null) texts.push(text);
        break;
      }
      case "tool_result": {
        const result = flattenToolResult(block);
        const tool: OllamaMessage = { role: "tool", content: result.text };
        const name = toolNames.get(block.tool_use_id);
        if (name !== undefined) tool.tool_name = name;
        out.push(tool);
        // Tool messages carry no images: the ones a tool returned ride on the user message.
        for (const image of result.images) pushImage(image, images);
        break;
      }
      default:
        break; // thinking, redacted_thinking, server-tool blocks
    }
  }
  if (texts.length === 0 && images.length === 0) return;
  const user: OllamaMessage = { role: "user", content: texts.join("\n\n") };
  if (images.length > 0) user.images = images;
  out.push(user);
}

function pushAssistant(
  content: string | AnthropicContentBlock[],
  out: OllamaMessage[],
  toolNames: Map<string, string>,
): void {
  if (typeof content === "string") {
    if (content !== "") out.push({ role: "assistant", content });
    return;
  }
  let text = "";
  const calls: OllamaToolCall[] = [];
  for (const block of content) {
    if (block?.type === "text") text += block.text;
    else if (block?.type === "tool_use") {
      toolNames.set(block.id, block.name);
      calls.push({ function: { name: block.name, arguments: inputObject(block.input) } });
    }
    // thinking and redacted_thinking: dropped, never turned into text.
  }
  if (text === "" && calls.length === 0) return;
  const message: OllamaMessage = { role: "assistant", content: text };
  if (calls.length > 0) message.tool_calls = calls;
  out.push(message);
}

function pushImage(block: AnthropicImageBlock, images: string[]): void {
  if (block.source?.type === "base64" && typeof block.source.data === "string")
    images.push(block.source.data);
}
