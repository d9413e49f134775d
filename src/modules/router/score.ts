// The score method: weighs the signals of the latest typed turn and what the request asks for.
import type { RequestShape } from "./pivot.ts";
import type { Tier } from "./rules.ts";
import { type Signal, textSignals } from "./signals.ts";
import { routingTokens } from "./tokens.ts";

/** Scores below `middle` go to the cheap tier, from `top` up to the top tier. Tuned on the dev set. */
export const THRESHOLDS = { middle: 0.9, top: 2.8 } as const;

/** Typed turns from this many tokens up count as sizeable / long. */
export const LENGTH_THRESHOLDS = { sizeable: 600, long: 2_000 } as const;

export interface Scored {
  tier: Tier;
  score: number;
  /** Tokens of the typed turn; null when it is too short to reach any length threshold (not counted). */
  tokens: number | null;
  /** The signals that fired, largest contribution first. */
  signals: Signal[];
}

export const tierOf = (score: number): Tier =>
  score >= THRESHOLDS.top ? "top" : score >= THRESHOLDS.middle ? "middle" : "cheap";

// Diminishing returns: a second proof marker says less than the first.
const capped = (n: number, each: number, max: number) => Math.min(n * each, max);

/**
 * Tokens of the typed turn, or null when it is too short to reach the first length threshold. A
 * token is at least one UTF-8 byte, so a turn of fewer bytes cannot reach it and the tokenizer (the
 * costliest step) is skipped; a UTF-16 unit is at most three bytes, which settles most turns before
 * their bytes are counted.
 */
export function typedTokens(text: string): number | null {
  const min = LENGTH_THRESHOLDS.sizeable;
  if (text.length * 3 < min || (text.length < min && Buffer.byteLength(text, "utf8") < min)) return null;
  return routingTokens(text);
}

export function scoreShape(shape: RequestShape): Scored {
  const text = shape.typed;
  const s = textSignals(text);
  const tokens = typedTokens(text);
  const signals: Signal[] = [];
  const add = (name: string, points: number) => {
    if (points !== 0) signals.push({ name, points });
  };

  if (tokens !== null && tokens >= LENGTH_THRESHOLDS.long) add(`long input (${tokens} tokens)`, 1.5);
  else if (tokens !== null && tokens >= LENGTH_THRESHOLDS.sizeable)
    add(`sizeable input (${tokens} tokens)`, 0.8);

  const code = s.fenced || s.codeLines >= 3;
  // A short simple question that names a hard term asks about the term ("What does 'refactor'
  // mean?", "Define 'idempotent'"), not for the hard work itself.
  const aboutTerm = s.definition && s.short && !code;
  const first = (list: string[], lead: number, each: number, max: number) =>
    list.length ? Math.min(lead + (list.length - 1) * each, max) : 0;
  if (aboutTerm && (s.reasoning.length || s.engineering.length))
    signals.push({ name: "asks about a term", points: 0 });
  else {
    if (s.reasoning.length) add(`reasoning "${s.reasoning[0]}"`, first(s.reasoning, 3.0, 0.5, 4.0));
    if (s.engineering.length)
      add(`hard engineering "${s.engineering[0]}"`, first(s.engineering, 2.8, 0.5, 3.6));
  }
  const hard = !aboutTerm && (s.reasoning.length > 0 || s.engineering.length > 0);
  if (s.why) add("asks why", 1.0);
  if (s.situation) add("production situation", 0.6);
  if (s.work.length) add(`task "${s.work[0]}"`, first(s.work, 1.0, 0.4, 1.8));
  if (s.diff) add("diff", 1.2);
  else if (code) add("code", 1.0);
  if (s.constraints >= 2) add(`${s.constraints} constraints`, capped(s.constraints - 1, 0.4, 1.2));
  if (s.listItems >= 3) add(`${s.listItems} steps`, 0.6);
  if (s.questions >= 2) add(`${s.questions} questions`, capped(s.questions - 1, 0.3, 0.9));
  if (s.words >= 50) add(`${s.words} words`, 1.0);
  else if (s.words >= 25) add(`${s.words} words`, 0.5);
  else if (s.words <= 5) add(`${s.words} words`, -0.4);
  // A simple opening only pulls down an ask with nothing hard in it.
  if (s.simpleOpening && !hard && shape.thinkingBudget < 8_000) add("simple ask", -1.5);

  if (shape.thinkingBudget >= 16_000) add(`thinking ${shape.thinkingBudget}`, 3.5);
  else if (shape.thinkingBudget >= 8_000) add(`thinking ${shape.thinkingBudget}`, 2.5);
  else if (shape.thinkingBudget > 0) add(`thinking ${shape.thinkingBudget}`, 1.0);
  if (shape.maxTokens !== null && shape.maxTokens <= 256) add(`max_tokens ${shape.maxTokens}`, -1.0);
  if (shape.agentLoop) add("agent loop", 0.3);

  const score = Math.round(signals.reduce((n, x) => n + x.points, 0) * 100) / 100;
  signals.sort((a, b) => Math.abs(b.points) - Math.abs(a.points));
  return { tier: tierOf(score), score, tokens, signals };
}
