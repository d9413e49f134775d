// Smart routing for "model": "auto": pick a tier from the latest user turn by the spec's rules.

export type Tier = "cheap" | "middle" | "top";

export interface RouteDecision {
  tier: Tier;
  /** Why, in a few words, for the spend log and the x-snodus-routing-reason header. */
  reason: string;
}

// Whole words only, so "listing" or "debugger" in passing do not count by accident.
const COMPLEX = [
  "refactor",
  "architect",
  "architecture",
  "debug",
  "optimize",
  "optimise",
  "design",
  "migrate",
];
const SIMPLE = [
  "translate",
  "format",
  "list",
  "summarize",
  "summarise",
  "rephrase",
  "spell-check",
  "convert",
];

const wordRegex = (words: string[]) => new RegExp(`\\b(${words.join("|")})\\b`, "i");
const COMPLEX_RE = wordRegex(COMPLEX);
const SIMPLE_RE = wordRegex(SIMPLE);

/** Roughly 4 characters per token for English and code, which is all the spec's thresholds need. */
export const estimateTokens = (text: string) => Math.ceil(text.length / 4);

/**
 * Judges only the latest user turn: a Claude Code request carries a ~20 000-token system prompt and
 * dozens of tools on every call, and counting those would send everything to the top tier.
 */
export function route(text: string): RouteDecision {
  const complex = COMPLEX_RE.exec(text);
  if (complex) return { tier: "top", reason: `complex keyword "${complex[1]?.toLowerCase()}"` };
  const simple = SIMPLE_RE.exec(text);
  if (simple) return { tier: "cheap", reason: `simple keyword "${simple[1]?.toLowerCase()}"` };
  const tokens = estimateTokens(text);
  if (tokens < 200) return { tier: "cheap", reason: `short input (~${tokens} tokens < 200)` };
  if (tokens < 2000) return { tier: "middle", reason: `medium input (~${tokens} tokens < 2000)` };
  return { tier: "top", reason: `long input (~${tokens} tokens ≥ 2000)` };
}

type Block = { type?: unknown; text?: unknown; content?: unknown };

// Claude Code wraps context in <system-reminder> blocks inside the user turn; they are not the ask.
const REMINDER = /^\s*<system-reminder>/;

/**
 * The text of the last user message that a person typed. Tool results are skipped: in an agent
 * loop the last "user" turn is often only a tool_result, and the instruction is further back.
 * An agent loop can be hundreds of messages long, so the blocks are read without copying them.
 */
export function latestUserText(messages: unknown): string {
  if (!Array.isArray(messages)) return "";
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as { role?: unknown; content?: unknown };
    if (m?.role !== "user") continue;
    if (typeof m.content === "string") return m.content;
    if (!Array.isArray(m.content)) continue;
    let typed: string[] | null = null;
    for (const b of m.content as Array<Block | null>) {
      if (b?.type !== "text" || typeof b.text !== "string" || REMINDER.test(b.text)) continue;
      typed ??= [];
      typed.push(b.text);
    }
    if (typed) return typed.length === 1 ? (typed[0] as string) : typed.join("\n");
  }
  return "";
}
