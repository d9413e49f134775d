// The whole labelled set, each item with a stable id, split once into a development and a held-out part.
import { CLAUDE_CODE } from "./claude-code.ts";
import { HARD } from "./hard.ts";
import { MEDIUM } from "./medium.ts";
import { TRIVIAL } from "./trivial.ts";
import type { Label, LabelledRequest } from "./types.ts";

export type { Label, LabelledRequest } from "./types.ts";

/** Output tokens assumed for a plain turn's answer, by label; the same for every method compared. */
const OUTPUT: Record<Label, number> = { trivial: 150, medium: 700, hard: 1_500 };

/** FNV-1a, 32 bits: a stable id and split from an item's own text, so adding items moves no other. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

const turn = (label: Label, text: string): LabelledRequest => ({
  id: `${label}-${fnv1a(text).toString(16).padStart(8, "0")}`,
  label,
  // A plain API call: no system prompt, no tools, a common max_tokens.
  body: { max_tokens: 1024, messages: [{ role: "user", content: text }] },
  note: "last turn",
  output: OUTPUT[label],
});

export const LAST_TURNS: readonly LabelledRequest[] = [
  ...TRIVIAL.map((t) => turn("trivial", t)),
  ...MEDIUM.map((t) => turn("medium", t)),
  ...HARD.map((t) => turn("hard", t)),
];
export { CLAUDE_CODE };

export const ALL: readonly LabelledRequest[] = [...LAST_TURNS, ...CLAUDE_CODE];

/** 40 % of items, chosen by a hash of the id, are held out; tuning only ever looks at the rest. */
export const isHeldOut = (item: LabelledRequest): boolean => fnv1a(`split:${item.id}`) % 10 < 4;
