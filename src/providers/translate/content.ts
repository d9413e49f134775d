// Helpers both request translators share: flattening Anthropic content to text, tool results, client tools.

import type {
  AnthropicContentBlock,
  AnthropicDocumentBlock,
  AnthropicImageBlock,
  AnthropicMessagesBody,
  AnthropicTool,
  AnthropicToolResultBlock,
} from "./anthropic-types.ts";

/** The request cannot be expressed for the target provider; the caller answers 400 invalid_request_error. */
export class TranslationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TranslationError";
  }
}

/** The body's `messages`, checked just enough that the translators can walk it without crashing. */
export function messagesOf(body: AnthropicMessagesBody): AnthropicMessagesBody["messages"] {
  if (!Array.isArray(body.messages)) throw new TranslationError("messages: Field required");
  for (const [i, m] of body.messages.entries()) {
    if (typeof m !== "object" || m === null)
      throw new TranslationError(`messages.${i}: Input should be an object`);
    if (typeof m.content !== "string" && !Array.isArray(m.content)) {
      throw new TranslationError(`messages.${i}.content: Input should be a string or a list of blocks`);
    }
  }
  return body.messages;
}

/**
 * Text blocks joined into one string. Blocks are joined without a separator inside one turn (Anthropic
 * concatenates them the same way), but `system` blocks are distinct instructions and get a blank line.
 */
export function joinText(content: string | readonly AnthropicContentBlock[], separator = ""): string {
  if (typeof content === "string") return content;
  let out = "";
  let first = true;
  for (const block of content) {
    if (block?.type !== "text" || typeof block.text !== "string") continue;
    out = first ? block.text : out + separator + block.text;
    first = false;
  }
  return out;
}

/** The top-level `system` prompt as one string, or null when there is none. cache_control is dropped. */
export function systemPrompt(body: AnthropicMessagesBody): string | null {
  if (body.system === undefined || body.system === null) return null;
  if (typeof body.system !== "string" && !Array.isArray(body.system))
    throw new TranslationError("system: must be a string or an array of text blocks");
  const text = joinText(body.system, "\n\n");
  return text === "" ? null : text;
}

/** A document the model can read as text (plain-text or inline-content sources), else null. */
export function documentText(block: AnthropicDocumentBlock): string | null {
  const source = block.source;
  let text: string | null = null;
  if (source?.type === "text" && typeof source.data === "string") text = source.data;
  else if (source?.type === "content") text = joinText(source.content, "\n");
  if (text === null) return null;
  return typeof block.title === "string" && block.title !== "" ? `${block.title}\n\n${text}` : text;
}

export interface FlatToolResult {
  text: string;
  /** Images inside the result; providers whose tool messages are text-only move them to a user turn. */
  images: AnthropicImageBlock[];
}

/** What a tool returned, as text. An error result says so, since the target has no `is_error` flag. */
export function flattenToolResult(block: AnthropicToolResultBlock): FlatToolResult {
  const images: AnthropicImageBlock[] = [];
  let text = "";
  const content = block.content;
  if (typeof content === "string") {
    text = content;
  } else if (Array.isArray(content)) {
    const parts: string[] = [];
    for (const part of content) {
      if (part?.type === "text" && typeof part.text === "string") parts.push(part.text);
      else if (part?.type === "image") images.push(part);
      else if (part?.type === "document") {
        const doc = documentText(part);
        if (doc !== null) parts.push(doc);
      }
    }
    text = parts.join("\n");
  }
  if (block.is_error === true) text = text === "" ? "Error: the tool call failed." : `Error: ${text}`;
  return { text, images };
}

/** Client tools only: server tools (web search, code execution, …) run inside Anthropic and cannot move. */
export function clientTools(tools: readonly AnthropicTool[] | undefined): AnthropicTool[] {
  if (!Array.isArray(tools)) return [];
  return tools.filter(
    (t) =>
      typeof t?.name === "string" &&
      (t.type === undefined || t.type === null || t.type === "custom") &&
      (t.input_schema === undefined || typeof t.input_schema === "object"),
  );
}

/** A tool's parameters schema; Anthropic requires one, a missing one means "no arguments". */
export function toolParameters(tool: AnthropicTool): Record<string, unknown> {
  return tool.input_schema ?? { type: "object", properties: {} };
}

/** A tool_use block's input as a JSON object; anything else becomes `{}`, which is what the model meant. */
export function inputObject(input: unknown): Record<string, unknown> {
  return typeof input === "object" && input !== null && !Array.isArray(input)
    ? (input as Record<string, unknown>)
    : {};
}
