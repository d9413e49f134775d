// /admin/analytics/routing/methods: per routing method, the tier mix, the spend, and what always-top would have cost.
import { t } from "elysia";
import type { Config } from "../../config/env.ts";
import { costMicros } from "../../pricing/cost.ts";
import { lookupPrice, type Price } from "../../pricing/prices.ts";
import { emptyUsage } from "../../pricing/usage.ts";
import type { SpendGroup, Store } from "../../store/types.ts";
import type { Range } from "../analytics/service.ts";

const TIERS = ["cheap", "middle", "top"] as const;
const TIERED = /^(\w+) tier: (.+)$/;

export const RoutingMethodsReport = t.Object(
  {
    from: t.String({ format: "date-time" }),
    to: t.String({ format: "date-time" }),
    team_id: t.Nullable(t.String({ format: "uuid" })),
    top_model: t.Nullable(
      t.String({
        description:
          "The model the always-top estimate prices: the top tier's most used model, else the configured one",
      }),
    ),
    data: t.Array(
      t.Object({
        method: t.String({ description: "rules or score" }),
        requests: t.Integer(),
        tiers: t.Object({ cheap: t.Integer(), middle: t.Integer(), top: t.Integer(), other: t.Integer() }),
        cost_micros: t.Integer({ description: "What the routed requests cost" }),
        always_top_micros: t.Nullable(
          t.Integer({
            description: "The same tokens at the top model's base rates; null when no top model is known",
          }),
        ),
        saving_micros: t.Nullable(t.Integer({ description: "always_top_micros - cost_micros" })),
        sticky_requests: t.Integer({
          description: "Requests kept on their conversation's tier for its cached prefix",
        }),
        sticky_cache_read_tokens: t.Integer({
          description: "Cache-read tokens of those requests: what switching models would have forfeited",
        }),
        background_requests: t.Integer({
          description: "Recognised background calls (titles, labels, compaction)",
        }),
      }),
    ),
  },
  { description: "Routed requests per routing method: tier mix, spend and the saving against always-top" },
);

/** Base rates only: summed groups would cross a long-context threshold no single request crossed. */
function baseRates(model: string, config: Config): Price {
  const price = lookupPrice(model);
  if (price) return { ...price, longContext: undefined };
  const { inputPerMTok, outputPerMTok } = config.defaultPrice;
  const input = Math.round(inputPerMTok * 1_000_000);
  return {
    input,
    output: Math.round(outputPerMTok * 1_000_000),
    cacheWrite5m: input,
    cacheWrite1h: input,
    cacheRead: input,
  };
}

function topModelOf(groups: SpendGroup[], config: Config): string | null {
  const counts = new Map<string, number>();
  for (const g of groups) {
    const tier = TIERED.exec(g.dims.routingRule ?? "")?.[1];
    if (tier === "top" && g.dims.model)
      counts.set(g.dims.model, (counts.get(g.dims.model) ?? 0) + g.requests);
  }
  const seen = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  return seen ?? config.routerTiers.top;
}

export async function routingMethods(store: Store, config: Config, r: Range) {
  const groups = (
    await store.spend.groupBy(["routingMethod", "routingRule", "model"], {
      from: r.from,
      to: r.to,
      teamId: r.teamId,
    })
  ).filter((g) => g.dims.routingMethod);
  const topModel = topModelOf(groups, config);
  const top = topModel ? baseRates(topModel, config) : null;
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
    from: r.from.toISOString(),
    to: r.to.toISOString(),
    team_id: r.teamId ?? null,
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
