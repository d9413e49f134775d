// What each item costs on each tier, from the gateway's price table, under several tier price sets.
import type { Tier } from "../../src/modules/router/index.ts";
import { countTokens } from "../../src/modules/router/tokens.ts";
import { costMicros } from "../../src/pricing/cost.ts";
import { lookupPrice } from "../../src/pricing/prices.ts";
import { emptyUsage } from "../../src/pricing/usage.ts";
import type { LabelledRequest } from "./set/index.ts";

export interface TierSet {
  name: string;
  models: Record<Tier, string>;
}

/**
 * The first set is the gateway's default tiers with Anthropic configured, and the one the main table
 * uses. "Cost vs always-top" depends on how much dearer the top tier is than the others far more
 * than on the router, so the report also prices the same decisions with other tiers: Opus 4.1 at
 * the top (its price, 5× Sonnet, was the top tier's when peers published their savings) and the
 * gateway's OpenAI defaults (whose top model is cheaper per input token than its middle one).
 */
export const TIER_SETS: readonly TierSet[] = [
  {
    name: "Haiku 4.5 / Sonnet 4.5 / Opus 4.5 (default)",
    models: { cheap: "claude-haiku-4-5", middle: "claude-sonnet-4-5", top: "claude-opus-4-5" },
  },
  {
    name: "Haiku 4.5 / Sonnet 4.5 / Opus 4.1",
    models: { cheap: "claude-haiku-4-5", middle: "claude-sonnet-4-5", top: "claude-opus-4-1" },
  },
  {
    name: "GPT-4o mini / GPT-4.1 / GPT-5 (OpenAI default)",
    models: { cheap: "gpt-4o-mini", middle: "gpt-4.1", top: "gpt-5" },
  },
];

/** Prices per tier: `cost(item, tier)` in micro-dollars, with the item's real input tokens. */
export function pricer(items: readonly LabelledRequest[], models: Record<Tier, string>) {
  // Real tokens of each request as sent (o200k_base), with the label's typical answer length.
  const input = new Map(items.map((i) => [i.id, countTokens(JSON.stringify(i.body))]));
  const prices = {
    cheap: lookupPrice(models.cheap),
    middle: lookupPrice(models.middle),
    top: lookupPrice(models.top),
  };
  for (const [tier, p] of Object.entries(prices)) if (!p) throw new Error(`no price for ${tier}`);
  return (item: LabelledRequest, tier: Tier): number => {
    const price = prices[tier];
    if (!price) throw new Error(`no price for ${models[tier]}`);
    return costMicros(
      { ...emptyUsage(), inputTokens: input.get(item.id) ?? 0, outputTokens: item.output },
      price,
    );
  };
}

/** What `tiers` (one per item) cost, as a share of always-top and of the oracle (the labels' tiers). */
export function costShares(
  items: readonly LabelledRequest[],
  tiers: readonly Tier[],
  oracle: readonly Tier[],
  cost: (item: LabelledRequest, tier: Tier) => number,
): { vsTop: number; vsOracle: number } {
  let spent = 0;
  let top = 0;
  let perfect = 0;
  items.forEach((item, i) => {
    spent += cost(item, tiers[i] as Tier);
    top += cost(item, "top");
    perfect += cost(item, oracle[i] as Tier);
  });
  return { vsTop: spent / top, vsOracle: spent / perfect };
}
