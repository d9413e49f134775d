// Carries Claude's signed thinking through a Responses client as a reasoning item's `encrypted_content`.

import type { AnthropicContentBlock } from "../../providers/translate/anthropic-types.ts";
import { isObject } from "../openai-chat/common.ts";

/**
 * Stateless Responses clients (Codex with `store: false`) ask for `include: ["reasoning.encrypted_content"]`
 * and send every reasoning item back on the next turn. For a Claude model the opaque part holds the
 * thinking block itself (text and Anthropic's signature), so it returns to Anthropic exactly as it
 * left: a tool loop with thinking on needs that (Anthropic refuses a final assistant turn without
 * its thinking block). The prefix tells our blobs apart from OpenAI's own, which only OpenAI can read.
 */
const PREFIX = "snodus.thinking.v1:";

export function encodeThinking(block: { thinking: string; signature: string } | { data: string }): string {
  const payload = "data" in block ? { r: block.data } : { t: block.thinking, s: block.signature };
  return PREFIX + Buffer.from(JSON.stringify(payload)).toString("base64");
}

/** The thinking block a reasoning item carries, or null (OpenAI's reasoning, or none at all). */
export function decodeThinking(encrypted: unknown): AnthropicContentBlock | null {
  if (typeof encrypted !== "string" || !encrypted.startsWith(PREFIX)) return null;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(encrypted.slice(PREFIX.length), "base64").toString());
  } catch {
    return null;
  }
  if (!isObject(payload)) return null;
  if (typeof payload.r === "string") return { type: "redacted_thinking", data: payload.r };
  if (typeof payload.t === "string" && typeof payload.s === "string") {
    return { type: "thinking", thinking: payload.t, signature: payload.s };
  }
  return null;
}

/** Whether the client asked for the opaque reasoning (Codex always does). */
export function wantsEncryptedReasoning(request: unknown): boolean {
  return (
    isObject(request) &&
    Array.isArray(request.include) &&
    request.include.includes("reasoning.encrypted_content")
  );
}
