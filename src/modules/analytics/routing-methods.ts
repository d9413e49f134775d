// Per routing method: the tier mix, the spend, and what always-top would have cost (from the price table).
import { costMicros } from "../../pricing/cost.ts";
import { lookupPrice, type Price } from "../../pricing/prices.ts";
import { emptyUsage } from "../../pricing/usage.ts";
import type { SpendGroup, Store } from "../../store/types.ts";
import { TIERED } from "./breakdowns.ts";
import { envelope, type Range } from "./service.ts";

const TIERS = ["cheap", "middle", "top"] as const;

/** What the estimate needs from the configuration, as plain data (it may run in a worker thread). */
export interface RoutingPricing {
  /** Per-MTok rates for a model the price table does not know (SNODUS_DEFAULT_PRICE). */
  defaultPrice: { inputPerMTok: number; outputPerMTok: number };
  /** The configured top tier's model, priced when no routed request reached the top tier. */
  configuredTop: string | null;
}

/** Base rates only: summed groups would cross a long-context threshold no single request crossed. */
function baseRates(model: string, pricing: RoutingPricing): Price {
  const price = lookupPrice(model);
  if (price) return { ...price, longContext: undefined };
  const { inputPerMTok, outputPerMTok } = pricing.defaultPrice;
  const input = Math.round(inputPerMTok * 1_000_000);
  return {
    input,
    output: Math.round(outputPerMTok * 1_000_000),
    cacheWrite5m: input,
    cacheWrite1h: input,
    cacheRead: input,
  };
}

function topModelOf(groups: SpendGroup[], pricing: RoutingPricing): string | null {
  const counts = new Map<string, number>();
  for (const g of groups) {
    const tier = TIERED.exec(g.dims.routingRule ?? "")?.[1];
    if (tier === "top" && g.dims.model)
      counts.set(g.dims.model, (counts.get(g.dims.model) ?? 0) + g.requests);
  }
  const seen = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  return seen ?? pricing.configuredTop;
}

export async function routingMethods(store: Store, pricing: RoutingPricing, r: Range) {
  const groups = (
    await store.spend.groupBy(["routingMethod", "routingRule", "model"], {
      from: r.from,
      to: r.to,
      teamId: r.teamId,
    })
  ).filter((g) => g.dims.routingMethod);
  const topModel = topModelOf(groups, pricing);
  const top = topModel ? baseRates(topModel, pricing) : null;
  const byMethod = new Map<string, ReturnType<typeof emptyRow>>();
  for (const g of groups) {
    const method = g.dims.routingMethod ?? "";
    const row = byMethod.get(method) ?? emptyRow(method, top !== null);
    byMethod.set(method, row);
    const m = TIERED.exec(g.dims.routingRule ?? "");
    const tier = TIERS.find((x) => x === m?.[1]);
    const rule = m?.[2] ?? "";
    row.requests += g.requests;
    row.tiers[tier ?? "other"] += g.requests;
    row.cost_micros += g.costMicros;
    if (top && row.always_top_micros !== null) {
      row.always_top_micros += costMicros(
        {
          ...emptyUsage(),
          inputTokens: g.inputTokens,
          outputTokens: g.outputTokens,
          cacheCreationInputTokens: g.cacheCreationInputTokens,
          cacheReadInputTokens: g.cacheReadInputTokens,
        },
        top,
      );
    }
    if (rule === "sticky") {
      row.sticky_requests += g.requests;
      row.sticky_cache_read_tokens += g.cacheReadInputTokens;
    }
    if (rule.startsWith("background call")) row.background_requests += g.requests;
  }
  return {
    ...envelope(r),
    top_model: topModel,
    data: [...byMethod.values()]
      .map((row) => ({
        ...row,
        saving_micros: row.always_top_micros === null ? null : row.always_top_micros - row.cost_micros,
      }))
      .sort((a, b) => b.requests - a.requests),
  };
}

function emptyRow(method: string, priced: boolean) {
  return {
    method,
    requests: 0,
    tiers: { cheap: 0, middle: 0, top: 0, other: 0 },
    cost_micros: 0,
    always_top_micros: priced ? 0 : (null as number | null),
    sticky_requests: 0,
    sticky_cache_read_tokens: 0,
    background_requests: 0,
  };
}
