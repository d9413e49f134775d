// The two breakdowns the dashboard draws beyond the spec's reports: spend per key, and routed requests per day and rule.
import type { Store } from "../../store/types.ts";
import { costliestFirst, envelope, figures, filterOf, type Range } from "./service.ts";

export async function byKey(store: Store, r: Range) {
  const groups = (await store.spend.groupBy(["apiKeyId"], filterOf(r))).sort(costliestFirst);
  const ids = groups.map((g) => g.dims.apiKeyId ?? "").filter(Boolean);
  const keys = new Map((await store.keys.labels(ids)).map((k) => [k.id, k]));
  return {
    ...envelope(r),
    data: groups.map((g) => {
      const key = keys.get(g.dims.apiKeyId ?? "");
      return {
        api_key_id: g.dims.apiKeyId ?? "",
        name: key?.name ?? null,
        key_prefix: key?.keyPrefix ?? null,
        user_id: key?.userId ?? null,
        ...figures(g),
      };
    }),
  };
}

/** The router records reasons as "<tier> tier: <rule> (<figures>)"; the store groups by the part before " (". */
export const TIERED = /^(\w+) tier: (.+)$/;

export async function routingDaily(store: Store, r: Range) {
  const groups = await store.spend.groupBy(["day", "routingRule", "model"], filterOf(r));
  return {
    ...envelope(r),
    data: groups
      .filter((g) => g.dims.routingRule)
      .map((g) => {
        const rule = g.dims.routingRule ?? "";
        const m = TIERED.exec(rule);
        return {
          day: g.dims.day ?? "",
          tier: m?.[1] ?? null,
          rule: m?.[2] ?? rule,
          model: g.dims.model ?? "",
          ...figures(g),
        };
      })
      .sort((a, b) => a.day.localeCompare(b.day) || b.requests - a.requests),
  };
}
