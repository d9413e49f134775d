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

/** The system prompt as text (a string or an array of text blocks). */
export function systemText(p: RoutingPivot): string {
  if (typeof p.system === "string") return p.system;
  if (!Array.isArray(p.system)) return "";
  return (p.system as Block[])
    .filter((b) => b?.type === "text" && typeof b.text === "string")
    .map((b) => b.text as string)
    .join("\n");
}

/** All text blocks of one message, reminders included (for keys, not for judging). */
function messageText(m: Message | undefined): string {
  if (!m) return "";
  if (typeof m.content === "string") return m.content;
  if (!Array.isArray(m.content)) return "";
  return (m.content as Block[])
    .filter((b) => b?.type === "text" && typeof b.text === "string")
    .map((b) => b.text as string)
    .join("\n");
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
function prefixTokens(p: RoutingPivot, system: string, messages: Message[]): number {
  let chars = system.length;
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
  system: string;
  /** The first user turn: with the system prompt, it names a conversation for stickiness. */
  firstUser: string;
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
  const system = systemText(p);
  return {
    // latestUserText already skips tool-result-only turns and <system-reminder> blocks, so in an
    // agent loop it lands on the instruction that started the loop.
    typed: latestUserText(messages),
    system,
    firstUser: messageText(messages.find((m) => m?.role === "user")),
    messageCount: messages.length,
    toolCount: Array.isArray(p.tools) ? p.tools.length : 0,
    maxTokens: typeof p.max_tokens === "number" && p.max_tokens > 0 ? p.max_tokens : null,
    thinkingBudget: budget,
    agentLoop: inAgentLoop(p),
    prefixTokens: prefixTokens(p, system, messages),
  };
}
