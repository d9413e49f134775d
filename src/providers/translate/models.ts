// Which provider family a model name belongs to, and a cheap input-token estimate for a Messages body.

import type { AnthropicMessagesBody } from "./anthropic-types.ts";

/**
 * OpenAI's chat models, including fine-tunes (`ft:gpt-4o-mini:org::id`). `gpt-oss` is OpenAI's
 * open-weight family, which people run locally, so it is left to Ollama.
 */
export function isOpenAIModel(name: string): boolean {
  const n = name.startsWith("ft:") ? name.slice(3) : name;
  if (n.startsWith("gpt-oss")) return false;
  return /^(gpt-|chatgpt-|o1|o3|o4|text-embedding-)/.test(n);
}

/** Claude models, also when written with a provider prefix (`anthropic/claude-sonnet-4-5`). */
export function isAnthropicModel(name: string): boolean {
  return name.startsWith("claude-") || name.startsWith("anthropic/");
}

const OLLAMA_FAMILIES = /^(ollama\/|llama|codellama|llava|qwen|mistral|mixtral|phi|gemma|deepseek|gpt-oss)/i;

/**
 * Open-weight families Ollama serves, and any `name:tag` (Ollama's naming: `llama3.2:latest`).
 * Callers check the Anthropic and OpenAI families first: a fine-tune id also contains colons.
 */
export function isOllamaFamily(name: string): boolean {
  return OLLAMA_FAMILIES.test(name) || name.includes(":");
}

/** The name to send upstream: without the routing prefix (`anthropic/`, `openai/`, `ollama/`) if any. */
export function upstreamModelName(name: string): string {
  const m = /^(anthropic|openai|ollama)\/(.+)$/.exec(name);
  return m?.[2] ?? name;
}

// What an image costs Anthropic at most (~1.15 megapixels at 750 pixels per token); close for OpenAI too.
const IMAGE_TOKENS = 1600;
// A PDF page is ~1.5–3k tokens and a page is a few tens of KB; bytes / 32 is in that range without parsing.
const BASE64_DOC_BYTES_PER_TOKEN = 32;

/**
 * About four characters per token over every string in system, messages and tools. Base64 payloads
 * are not text: images count a flat 1 600 tokens and documents by size, so a photo does not look
 * like a million-token prompt. Walks the parsed body without serialising it.
 */
export function estimateInputTokens(
  body: Pick<AnthropicMessagesBody, "messages" | "system" | "tools">,
): number {
  const acc = { chars: 0, tokens: 0 };
  walk(body.system, acc);
  walk(body.messages, acc);
  walk(body.tools, acc);
  return acc.tokens + Math.ceil(acc.chars / 4);
}

function walk(value: unknown, acc: { chars: number; tokens: number }): void {
  if (typeof value === "string") {
    acc.chars += value.length;
    return;
  }
  if (typeof value !== "object" || value === null) {
    if (value !== undefined) acc.chars += 4; // numbers, booleans, null: a token-ish each
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) walk(item, acc);
    return;
  }
  const obj = value as Record<string, unknown>;
  if (obj.type === "base64" && typeof obj.data === "string") {
    const media = typeof obj.media_type === "string" ? obj.media_type : "";
    acc.tokens += media.startsWith("image/")
      ? IMAGE_TOKENS
      : Math.ceil((obj.data.length * 0.75) / BASE64_DOC_BYTES_PER_TOKEN);
    return;
  }
  for (const key in obj) {
    acc.chars += key.length;
    walk(obj[key], acc);
  }
}
