// Where a decision's time goes: each stage of the score method timed alone on the slowest requests.
import { backgroundCall } from "../../src/modules/router/background.ts";
import { createRouter } from "../../src/modules/router/index.ts";
import { shapeOf } from "../../src/modules/router/pivot.ts";
import { scoreShape, typedTokens } from "../../src/modules/router/score.ts";
import { textSignals } from "../../src/modules/router/signals.ts";
import { conversationKey } from "../../src/modules/router/sticky.ts";
import type { LabelledRequest } from "./set/index.ts";
import { type TimingOptions, timeDecisions } from "./timing.ts";

export const STAGES = [
  "request shape",
  "background check",
  "text signals",
  "tokens",
  "score",
  "key",
] as const;

export interface StageRow {
  id: string;
  /** Characters of the typed turn. */
  typed: number;
  decide: number;
  /** Median µs per stage, in STAGES order. */
  stages: number[];
}

/**
 * Times each stage on its own (median of rounds, like the decision itself). "score" includes the
 * text signals and the tokens; what `decide` spends beyond shape, background check, score and key is
 * the stickiness lookup and the reason text.
 */
export function timeStages(items: readonly LabelledRequest[], o: TimingOptions): StageRow[] {
  const router = createRouter();
  const shapes = items.map((i) => shapeOf(i.body));
  const typed = shapes.map((s) => s.typed);
  const medians = (f: (k: number) => unknown) =>
    timeDecisions(
      items.map((_, k) => k),
      f,
      o,
    ).items.map((t) => t.median);
  const decide = medians((k) => router.decide((items[k] as LabelledRequest).body, "score"));
  const columns = [
    medians((k) => shapeOf((items[k] as LabelledRequest).body)),
    medians((k) => backgroundCall(shapes[k] as ReturnType<typeof shapeOf>)),
    medians((k) => textSignals(typed[k] ?? "")),
    medians((k) => typedTokens(typed[k] ?? "")),
    medians((k) => scoreShape(shapes[k] as ReturnType<typeof shapeOf>)),
    medians((k) => conversationKey((shapes[k] as ReturnType<typeof shapeOf>).conversation, "")),
  ];
  return items.map((item, k) => ({
    id: item.id,
    typed: typed[k]?.length ?? 0,
    decide: decide[k] ?? 0,
    stages: columns.map((c) => c[k] ?? 0),
  }));
}
