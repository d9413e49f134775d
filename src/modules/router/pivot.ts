// What the router reads from a request: the Anthropic Messages body as parsed JSON, nothing else.
import { latestUserText } from "./rules.ts";

/** The fields of an Anthropic Messages body the router looks at; everything else is ignored. */
export interface RoutingPivot {
  system?: unknown;
  messages?: unknown;
  tools?: unknown;
  max_tokens?: unknown;
  thinking?: unknown;
}

type Block = { type?: unknown; text?: unknown };
type Message = { role?: unknown; content?: unknown };

const messagesOf = (p: RoutingPivot): Message[] =>
  Array.isArray(p.messages) ? (p.messages as Message[]) : [];

/** The text blocks of a string-or-blocks field (a system prompt, a message's content), in order. */
function textsOf(field: unknown): string[] {
  if (typeof field === "string") return [field];
  if (!Array.isArray(field)) return [];
  const out: string[] = [];
  for (const b of field as Array<Block | null>)
    if (b?.type === "text" && typeof b.text === "string") out.push(b.text);
  return out;
}

/** Characters of the system prompt the background-call patterns read: those prompts open with their task. */
export const SYSTEM_HEAD = 2_000;

/**
 * The first `n` characters of `texts` joined with "\n", without joining them all: Claude Code's
 * system prompt is tens of kilobytes and only its opening is ever read.
 */
function headOf(texts: readonly string[], n: number): string {
  let head = "";
  texts.forEach((t, i) => {
    if (head.length < n) head = i === 0 ? t.slice(0, n) : `${head}\n${t.slice(0, n - head.length - 1)}`;
  });
  return head.slice(0, n);
}

/** The length of `texts` joined with "\n". */
const lengthOf = (texts: readonly string[]) =>
  texts.reduce((n, t) => n + t.length, Math.max(0, texts.length - 1));

/** Characters hashed from each end of a long text for a conversation's identity. */
const KEY_ENDS = 256;

/**
 * Folds texts into a running hash: each one's length and its two ends. Two conversations differ in
 * their prompts' openings, endings or sizes; hashing only bounded slices keeps a 100 KB agent prompt
 * as cheap as a short one (a collision would merely share a tier between two conversations).
 */
function foldTexts(texts: readonly string[], seed: bigint): bigint {
  let h = Bun.hash.wyhash(String(texts.length), seed);
  for (const t of texts) {
    h = Bun.hash.wyhash(String(t.length), h);
    if (t.length <= 2 * KEY_ENDS) h = Bun.hash.wyhash(t, h);
    else h = Bun.hash.wyhash(t.slice(-KEY_ENDS), Bun.hash.wyhash(t.slice(0, KEY_ENDS), h));
  }
  return h;
}

/** True when the last message is a user turn made only of tool results: an agent loop in progress. */
export function inAgentLoop(p: RoutingPivot): boolean {
  const last = messagesOf(p).at(-1);
  if (last?.role !== "user" || !Array.isArray(last.content) || last.content.length === 0) return false;
  return (last.content as Block[]).every((b) => b?.type === "tool_result");
}

const ADAPTIVE_THINKING_BUDGET = 4_096;

// Rough sizes of blocks whose text is not at hand, in characters.
const TOOL_USE_CHARS = 400;
const IMAGE_CHARS = 6_000;
const TOOL_SCHEMA_CHARS = 800;

function contentChars(content: unknown): number {
  if (typeof content === "string") return content.length;
  if (!Array.isArray(content)) return 0;
  let n = 0;
  for (const b of content as Array<{ type?: unknown; text?: unknown; content?: unknown } | null>) {
    if (!b) continue;
    if (typeof b.text === "string") n += b.text.length;
    else if (b.type === "tool_result") n += contentChars(b.content);
    else if (b.type === "tool_use") n += TOOL_USE_CHARS;
    else if (b.type === "image" || b.type === "document") n += IMAGE_CHARS;
  }
  return n;
}

/**
 * Tokens of the prefix a prompt cache can hold: tools, system prompt and every message before the
 * last. Characters / 4 is plenty here: the figure is only compared with the 1 024-token minimum an
 * upstream caches and the 20 000-token break-even of a downward move.
 */
function prefixTokens(p: RoutingPivot, systemChars: number, messages: Message[]): number {
  let chars = systemChars;
  if (Array.isArray(p.tools)) {
    for (const t of p.tools as Array<{ description?: unknown } | null>)
      chars += TOOL_SCHEMA_CHARS + (typeof t?.description === "string" ? t.description.length : 0);
  }
  for (let i = 0; i < messages.length - 1; i++) chars += contentChars(messages[i]?.content);
  return Math.round(chars / 4);
}

export interface RequestShape {
  /** The latest turn a person typed; in an agent loop, the instruction that started it. */
  typed: string;
  /** The system prompt's first SYSTEM_HEAD characters ("" without one). */
  systemHead: string;
  /**
   * A hash of the system prompt and the first user turn: both stay fixed as a conversation grows,
   * so together they name it for stickiness.
   */
  conversation: bigint;
  messageCount: number;
  toolCount: number;
  maxTokens: number | null;
  /** 0 when extended thinking is off. */
  thinkingBudget: number;
  agentLoop: boolean;
  /** Estimated tokens before the last message (what a prompt cache holds). */
  prefixTokens: number;
}

export function shapeOf(p: RoutingPivot): RequestShape {
  const messages = messagesOf(p);
  const thinking = p.thinking as { type?: unknown; budget_tokens?: unknown } | undefined;
  let budget = 0;
  if (thinking?.type === "enabled")
    budget =
      typeof thinking.budget_tokens === "number" && thinking.budget_tokens > 0
        ? thinking.budget_tokens
        : 1024;
  // Adaptive thinking lets the model decide how long to think; count it as a moderate budget.
  else if (thinking?.type === "adaptive") budget = ADAPTIVE_THINKING_BUDGET;
  const system = textsOf(p.system);
  const firstUser = messages.find((m) => m?.role === "user");
  return {
    // latestUserText already skips tool-result-only turns and <system-reminder> blocks, so in an
    // agent loop it lands on the instruction that started the loop.
    typed: latestUserText(messages),
    systemHead: headOf(system, SYSTEM_HEAD),
    // Reminders included: they are part of the cached prefix, and they differ between sessions.
    conversation: foldTexts(textsOf(firstUser?.content), foldTexts(system, 0n)),
    messageCount: messages.length,
    toolCount: Array.isArray(p.tools) ? p.tools.length : 0,
    maxTokens: typeof p.max_tokens === "number" && p.max_tokens > 0 ? p.max_tokens : null,
    thinkingBudget: budget,
    agentLoop: inAgentLoop(p),
    prefixTokens: prefixTokens(p, lengthOf(system), messages),
  };
}
