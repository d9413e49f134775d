// What both OpenAI front doors share when they build the pivot (Anthropic) request: checks, images, effort.

import { parseToolArguments } from "../../providers/openai/to-anthropic.ts";
import type {
  AnthropicContentBlock,
  AnthropicImageBlock,
  AnthropicMessageParam,
  AnthropicMessagesBody,
  AnthropicThinkingConfig,
} from "../../providers/translate/anthropic-types.ts";
import { TranslationError } from "../../providers/translate/content.ts";

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** A 400 naming the field at fault, in the style of OpenAI's own messages (`messages[2].content: …`). */
export function invalid(field: string, message: string): TranslationError {
  return new TranslationError(`${field}: ${message}`);
}

/** The request body as an object with a string `model`; anything else cannot be a request. */
export function requestObject(body: unknown): Json & { model: string } {
  if (!isObject(body)) throw invalid("body", "must be a JSON object");
  if (typeof body.model !== "string" || body.model === "")
    throw invalid("model", "must be a non-empty string");
  return body as Json & { model: string };
}

export function optionalNumber(body: Json, key: string, min: number, max: number): number | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max) {
    throw invalid(key, `must be a number between ${min} and ${max}`);
  }
  return v;
}

/** A positive integer token limit (OpenAI's `max_tokens`, `max_completion_tokens`, `max_output_tokens`). */
export function optionalTokenLimit(body: Json, key: string): number | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1)
    throw invalid(key, "must be a positive integer");
  return v;
}

export function optionalBoolean(body: Json, key: string): boolean | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "boolean") throw invalid(key, "must be a boolean");
  return v;
}

/**
 * OpenAI's temperature runs 0–2, Anthropic's 0–1. Values above 1 are clamped to 1 rather than halved:
 * a client asking for 0.7 gets 0.7, which is what it tuned against, and "very random" stays the most
 * random Anthropic offers.
 */
export function temperatureOf(body: Json): number | undefined {
  const t = optionalNumber(body, "temperature", 0, 2);
  return t === undefined ? undefined : Math.min(t, 1);
}

const DATA_URL = /^data:([^;,]+)(?:;[^,]*)?;base64,(.*)$/s;

/** An OpenAI image URL (https or a base64 data URL) as an Anthropic image block. */
export function imageBlock(url: unknown, field: string): AnthropicImageBlock {
  if (typeof url !== "string" || url === "") throw invalid(field, "must be a URL string");
  const data = DATA_URL.exec(url);
  if (data?.[1] && data[2] !== undefined) {
    return { type: "image", source: { type: "base64", media_type: data[1], data: data[2] } };
  }
  if (url.startsWith("data:")) throw invalid(field, "data URLs must be base64-encoded");
  if (!/^https?:\/\//.test(url)) throw invalid(field, "must be an http(s) URL or a base64 data URL");
  return { type: "image", source: { type: "url", url } };
}

/** A base64 data-URL file (PDFs) as an Anthropic document block; file ids live in OpenAI's storage. */
export function documentBlock(fileData: unknown, field: string): AnthropicContentBlock {
  if (typeof fileData !== "string") throw invalid(field, "only inline base64 data URLs are supported");
  const data = DATA_URL.exec(fileData);
  if (!data?.[1] || data[2] === undefined) throw invalid(field, "must be a base64 data URL");
  return { type: "document", source: { type: "base64", media_type: data[1], data: data[2] } };
}

/** `stop` as a string or a list of strings → stop_sequences; Anthropic refuses whitespace-only ones (400). */
export function stopSequences(stop: unknown, field: string): string[] | undefined {
  if (stop === undefined || stop === null) return undefined;
  const list = typeof stop === "string" ? [stop] : stop;
  if (!Array.isArray(list) || list.some((s) => typeof s !== "string")) {
    throw invalid(field, "must be a string or a list of strings");
  }
  const out = (list as string[]).filter((s) => s.trim() !== "");
  return out.length > 0 ? out : undefined;
}

/**
 * OpenAI's reasoning effort as an Anthropic thinking budget. The budgets sit on the steps the OpenAI
 * provider adapter maps back (≤ 4 096 low, ≤ 16 384 medium, above high), so a request that crosses
 * the pivot twice keeps its effort. "none" and "minimal" mean no visible reasoning: no thinking
 * (Anthropic's smallest budget is 1 024, more than "minimal" asks for). "xhigh" is capped at the
 * "high" budget, which every thinking-capable Claude model's output limit leaves room for.
 */
const THINKING_BUDGET: Record<string, number | null> = {
  none: null,
  minimal: null,
  low: 4_096,
  medium: 12_288,
  high: 24_576,
  xhigh: 24_576,
};
const MIN_THINKING_BUDGET = 1_024;

/**
 * Sets `thinking` for an effort, or leaves the body without it when Anthropic would refuse the combination:
 * - the budget must stay below max_tokens (OpenAI's limit also includes reasoning, so it is clamped, and
 *   dropped when fewer than 1 024 tokens remain);
 * - a forced tool choice (`any`/`tool`) cannot be combined with thinking;
 * - a tool loop in progress whose last assistant turn has no thinking block (OpenAI-speaking clients
 *   cannot hand Anthropic's signed blocks back, unless the Responses door round-tripped them) would be
 *   refused with "a final assistant message must start with a thinking block".
 * With thinking on, temperature and top_p are removed: Anthropic rejects them next to thinking, and
 * OpenAI's reasoning models ignore them the same way.
 */
export function applyEffort(out: AnthropicMessagesBody, effort: unknown, field: string): void {
  if (effort === undefined || effort === null) return;
  if (typeof effort !== "string" || !(effort in THINKING_BUDGET)) {
    throw invalid(field, `must be one of ${Object.keys(THINKING_BUDGET).join(", ")}`);
  }
  let budget = THINKING_BUDGET[effort] ?? null;
  if (budget === null) return;
  if (out.max_tokens !== undefined) budget = Math.min(budget, out.max_tokens - 1);
  if (budget < MIN_THINKING_BUDGET) return;
  const choice = out.tool_choice?.type;
  if (choice === "any" || choice === "tool") return;
  if (!thinkingFitsHistory(out.messages)) return;
  const thinking: AnthropicThinkingConfig = { type: "enabled", budget_tokens: budget };
  out.thinking = thinking;
  delete out.temperature;
  delete out.top_p;
}

function thinkingFitsHistory(messages: readonly AnthropicMessageParam[]): boolean {
  const last = messages.at(-1);
  if (last?.role !== "user" || typeof last.content === "string") return true;
  if (!last.content.some((b) => b.type === "tool_result")) return true;
  const assistant = messages.findLast((m) => m.role === "assistant");
  if (!assistant || typeof assistant.content === "string") return false;
  const first = assistant.content[0]?.type;
  return first === "thinking" || first === "redacted_thinking";
}

/**
 * Appends a turn, merging it into the previous one when the role repeats: tool results that OpenAI
 * sends as separate `tool` messages must reach Anthropic as one user turn, right after the tool calls.
 */
export function pushTurn(
  messages: AnthropicMessageParam[],
  role: "user" | "assistant",
  blocks: AnthropicContentBlock[],
): void {
  if (blocks.length === 0) return;
  const prev = messages.at(-1);
  if (prev?.role === role && Array.isArray(prev.content)) {
    prev.content.push(...blocks);
    return;
  }
  messages.push({ role, content: blocks });
}

/** Text parts or a string, as one string (system prompts, tool outputs). */
export function textOf(content: unknown, field: string, partTypes: readonly string[]): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) throw invalid(field, "must be a string or a list of text parts");
  const texts: string[] = [];
  for (const [i, part] of content.entries()) {
    if (!isObject(part) || !partTypes.includes(String(part.type)) || typeof part.text !== "string") {
      throw invalid(`${field}[${i}]`, `must be a part of type ${partTypes.join(" or ")} with a text`);
    }
    texts.push(part.text);
  }
  return texts.join("\n\n");
}

/** `{}` for arguments that are not a JSON object: Anthropic's tool input is always an object. */
export const argumentsObject = (args: unknown): Record<string, unknown> =>
  parseToolArguments(typeof args === "string" ? args : undefined);

/** A tool's JSON schema for Anthropic, which requires an object schema; none means "no arguments". */
export function inputSchema(parameters: unknown, field: string): Record<string, unknown> {
  if (parameters === undefined || parameters === null) return { type: "object", properties: {} };
  if (!isObject(parameters)) throw invalid(field, "must be a JSON schema object");
  return parameters.type === undefined ? { type: "object", ...parameters } : parameters;
}

/** A JSON-mode request without a schema: Anthropic has no such switch, so the model is told plainly. */
export const JSON_OBJECT_INSTRUCTION =
  "Respond with a single valid JSON object and nothing else: no prose, no Markdown code fences.";

/** Adds a system instruction after the client's own. */
export function appendSystem(out: AnthropicMessagesBody, text: string): void {
  if (out.system === undefined) out.system = text;
  else if (typeof out.system === "string") out.system = `${out.system}\n\n${text}`;
  else out.system = [...out.system, { type: "text", text }];
}
