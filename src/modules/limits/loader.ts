// Rebuilds a month's budget counters from the spend log (at start, on a new month, after a Redis outage).
import type { Store } from "../../store/types.ts";
import { monthRange } from "../account/month.ts";
import type { MonthLoader } from "./memory.ts";
import type { SubjectUsage } from "./types.ts";

export function monthLoader(store: Store): MonthLoader {
  return async (month) => {
    const { from, to } = monthRange(month);
    const [keys, teams] = await Promise.all([
      store.spend.totalsByKey(from, to),
      store.spend.totalsByTeam(from, to),
    ]);
    const convert = (m: Map<string, { costMicros: number; inputTokens: number; outputTokens: number }>) => {
      const out = new Map<string, SubjectUsage>();
      for (const [id, t] of m)
        out.set(id, { spentMicros: t.costMicros, tokens: t.inputTokens + t.outputTokens });
      return out;
    };
    return { byKey: convert(keys), byTeam: convert(teams) };
  };
}
