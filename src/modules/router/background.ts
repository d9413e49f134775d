// Claude Code's background calls (session titles, summary labels, topic detection, compaction), by shape.

import type { RequestShape } from "./pivot.ts";
import type { Tier } from "./rules.ts";

export interface Background {
  tier: Tier;
  kind: string;
}

// The system prompts Claude Code sends for its own bookkeeping, read from its CLI (2.1.x) and from
// earlier versions (topic detection). They must be recognised whatever the conversation they
// summarise says: a title for a chat that mentions "refactor" is still a five-word answer.
const KNOWN: ReadonlyArray<{ re: RegExp; kind: string; tier: Tier }> = [
  { re: /\bgenerate a concise, sentence-case title\b/i, kind: "session title", tier: "cheap" },
  {
    re: /\bwrite a short summary label describing what these tool calls accomplished/i,
    kind: "tool summary label",
    tier: "cheap",
  },
  {
    re: /\banalyze if this message indicates a new conversation topic\b/i,
    kind: "topic detection",
    tier: "cheap",
  },
  { re: /\bisNewTopic\b/, kind: "topic detection", tier: "cheap" },
  {
    re: /\bsummarize this coding conversation in under \d+ characters\b/i,
    kind: "conversation summary",
    tier: "cheap",
  },
  { re: /\bgenerate a concise, technical issue title\b/i, kind: "issue title", tier: "cheap" },
  // Compaction rewrites a whole long session into the summary the agent continues from: worth a
  // capable model, but it is a summary, not a new problem.
  { re: /\btasked with summarizing conversations\b/i, kind: "conversation compaction", tier: "middle" },
];

const WITH_TOOLS = KNOWN.filter((k) => k.tier !== "cheap");

// Any client's bookkeeping call: asks for a title, label, name or short summary, with no tools and
// room for only a short answer.
const GENERIC = /\b(title|label|summary|summari[sz]e|topic|name for|one-line|one line|commit subject)\b/i;
const SMALL_ANSWER = 512;

/** A background call's tier, or null when the request is a real turn to judge on its content. */
export function backgroundCall(shape: RequestShape): Background | null {
  // These prompts open with their task; the agent's own 20 000-token prompt is never searched whole.
  const head = shape.systemHead;
  if (!head) return null;
  // Compaction may carry the session's tools along; the other calls never have any, so a request
  // with tools (every agent turn) is only checked for compaction.
  for (const k of shape.toolCount === 0 ? KNOWN : WITH_TOOLS) {
    if (k.re.test(head)) return { tier: k.tier, kind: k.kind };
  }
  if (shape.toolCount > 0) return null;
  if (shape.maxTokens !== null && shape.maxTokens <= SMALL_ANSWER && GENERIC.test(head))
    return { tier: "cheap", kind: "short bookkeeping answer" };
  return null;
}
