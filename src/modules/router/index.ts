// The router's one entry point: a request body and a method in, a tier and the reason for it out.
import { backgroundCall } from "./background.ts";
import { type RoutingPivot, shapeOf } from "./pivot.ts";
import { latestUserText, route, type Tier } from "./rules.ts";
import { scoreShape } from "./score.ts";
import { conversationKey, MIN_CACHED_PREFIX, StickyTiers, shouldStay } from "./sticky.ts";

export type { RoutingPivot } from "./pivot.ts";
export type { Tier } from "./rules.ts";

export type RouterMethod = "rules" | "score";

export interface RouterDecision {
  tier: Tier;
  method: RouterMethod;
  /** "<tier> tier: <rule> (<details>)": the spend log groups reports by the part before " (". */
  reason: string;
  /** True when the conversation stayed on its previous tier although the score alone would move it. */
  sticky?: boolean;
  /** The score method's raw score. */
  score?: number;
  /** The tier this conversation was on before, when the decision moved it (its cached prefix is lost). */
  switchedFrom?: Tier;
  /** With `switchedFrom`: the estimated cached prefix tokens the move gives up. */
  forfeitedPrefixTokens?: number;
  /** Which background call this was, when it was recognised as one. */
  background?: string;
}

export interface RouterOptions {
  now?: () => number;
  /** Conversations remembered for stickiness (default 10 000). */
  capacity?: number;
}

export interface Router {
  /** `partition` (e.g. the key id) keeps two clients with identical prompts apart for stickiness. */
  decide(pivot: RoutingPivot, method: RouterMethod, partition?: string): RouterDecision;
}

export function createRouter(options: RouterOptions = {}): Router {
  const sticky = new StickyTiers(options.now ?? Date.now, options.capacity);
  return {
    decide(pivot, method, partition = "") {
      if (method === "rules") {
        const d = route(latestUserText(pivot.messages));
        return { tier: d.tier, method, reason: `${d.tier} tier: ${d.reason}` };
      }
      const shape = shapeOf(pivot);
      const bg = backgroundCall(shape);
      if (bg) {
        const limit = shape.maxTokens === null ? "" : `, max_tokens ${shape.maxTokens}`;
        return {
          tier: bg.tier,
          method,
          background: bg.kind,
          reason: `${bg.tier} tier: background call, ${bg.kind} (recognised by its system prompt${shape.toolCount ? "" : ", no tools"}${limit})`,
        };
      }
      const scored = scoreShape(shape);
      const [lead, ...rest] = scored.signals.map((x) => x.name);
      const figures = [`score ${scored.score.toFixed(1)}`, ...rest.slice(0, 2)];
      const key = conversationKey(shape.conversation, partition);
      const previous = sticky.previous(key);
      if (previous && shouldStay(previous, scored.tier, scored.score, shape.prefixTokens)) {
        sticky.remember(key, previous);
        return {
          tier: previous,
          method,
          sticky: true,
          score: scored.score,
          reason: `${previous} tier: sticky (kept for ~${shape.prefixTokens} cached prefix tokens; score ${scored.score.toFixed(1)} alone would pick ${scored.tier})`,
        };
      }
      sticky.remember(key, scored.tier);
      // Below the upstream's minimum nothing was cached, so a move forfeits nothing worth naming.
      const switched =
        previous && previous !== scored.tier && shape.prefixTokens >= MIN_CACHED_PREFIX
          ? previous
          : undefined;
      if (switched)
        figures.push(`switched from ${switched}, ~${shape.prefixTokens} cached prefix tokens forfeited`);
      return {
        tier: scored.tier,
        method,
        score: scored.score,
        ...(switched ? { switchedFrom: switched, forfeitedPrefixTokens: shape.prefixTokens } : {}),
        reason: `${scored.tier} tier: ${lead ?? "no signal"} (${figures.join("; ")})`,
      };
    },
  };
}
