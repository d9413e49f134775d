// Makes translated histories obey Anthropic's tool pairing rule, which OpenAI clients do not always keep.

import type {
  AnthropicContentBlock,
  AnthropicMessageParam,
  AnthropicToolResultBlock,
} from "../../providers/translate/anthropic-types.ts";
import { joinText } from "../../providers/translate/content.ts";

const MISSING_RESULT = "No result was recorded for this tool call.";

/**
 * Anthropic answers 400 unless every tool_use is answered by a tool_result in the very next user turn,
 * and every tool_result answers a tool_use of the turn just before. OpenAI accepts looser histories
 * (an interrupted call with no output, an output whose call was trimmed away), so:
 * - a call left unanswered gets an error result saying no result was recorded;
 * - a result whose call is not in the previous assistant turn becomes plain text, so its content
 *   still reaches the model;
 * - tool results come first in their user turn, as Anthropic requires.
 * The messages are changed in place.
 */
export function repairToolPairs(messages: AnthropicMessageParam[]): void {
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    if (m?.role !== "user" || typeof m.content === "string") continue;
    const prev = messages[i - 1];
    const open = prev?.role === "assistant" ? toolUseIds(prev) : new Set<string>();
    m.content = m.content.map((b) => (b.type === "tool_result" && !open.has(b.tool_use_id) ? asText(b) : b));
  }
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    if (m?.role !== "assistant") continue;
    const ids = toolUseIds(m);
    if (ids.size === 0) continue;
    let next = messages[i + 1];
    if (next?.role !== "user" || typeof next.content === "string") {
      const content: AnthropicContentBlock[] =
        next?.role === "user" && typeof next.content === "string"
          ? [{ type: "text", text: next.content }]
          : [];
      if (next?.role === "user") next.content = content;
      else {
        next = { role: "user", content };
        messages.splice(i + 1, 0, next);
      }
    }
    const blocks = next.content as AnthropicContentBlock[];
    const answered = new Set(blocks.flatMap((b) => (b.type === "tool_result" ? [b.tool_use_id] : [])));
    for (const id of ids) {
      if (!answered.has(id))
        blocks.push({ type: "tool_result", tool_use_id: id, content: MISSING_RESULT, is_error: true });
    }
    next.content = [
      ...blocks.filter((b) => b.type === "tool_result"),
      ...blocks.filter((b) => b.type !== "tool_result"),
    ];
  }
}

function toolUseIds(m: AnthropicMessageParam): Set<string> {
  if (typeof m.content === "string") return new Set();
  return new Set(m.content.flatMap((b) => (b.type === "tool_use" ? [b.id] : [])));
}

function asText(block: AnthropicToolResultBlock): AnthropicContentBlock {
  const content = block.content;
  const text = typeof content === "string" ? content : Array.isArray(content) ? joinText(content, "\n") : "";
  return { type: "text", text: `Result of tool call ${block.tool_use_id}:\n${text}` };
}
