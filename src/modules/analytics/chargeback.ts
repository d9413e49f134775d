// The monthly chargeback export: spend per UTC month and team (or key), with names, as RFC 4180 CSV.
import type { SpendGroup, Store } from "../../store/types.ts";
import { csvLine } from "./csv.ts";
import type { Range } from "./service.ts";

export type ChargebackBy = "team" | "key";

const FIGURES = [
  "requests",
  "input_tokens",
  "output_tokens",
  "cache_creation_input_tokens",
  "cache_read_input_tokens",
  "cost_micros",
  "cost_cents",
] as const;

export const CHARGEBACK_COLUMNS: Record<ChargebackBy, readonly string[]> = {
  team: ["month", "team_id", "team_name", ...FIGURES],
  key: ["month", "team_id", "team_name", "api_key_id", "key_name", "user_id", "user_email", ...FIGURES],
};

const figures = (g: SpendGroup) => [
  g.requests,
  g.inputTokens,
  g.outputTokens,
  g.cacheCreationInputTokens,
  g.cacheReadInputTokens,
  g.costMicros,
  g.costMicros / 10_000,
];

/**
 * One row per month and team (or key) with traffic in the range: as many rows as months × teams or
 * keys, never as many as requests, so it is built whole. Ordered by month, then team and key name.
 */
export async function chargebackCsv(store: Store, r: Range, by: ChargebackBy): Promise<string> {
  const dims = by === "team" ? (["month", "teamId"] as const) : (["month", "teamId", "apiKeyId"] as const);
  const groups = await store.spend.groupBy([...dims], { from: r.from, to: r.to, teamId: r.teamId });
  const teamIds = [...new Set(groups.map((g) => g.dims.teamId ?? ""))].filter(Boolean);
  const teams = new Map<string, string>();
  for (const id of teamIds) {
    const team = await store.teams.get(id);
    if (team) teams.set(id, team.name);
  }
  const keyIds = by === "key" ? [...new Set(groups.map((g) => g.dims.apiKeyId ?? ""))].filter(Boolean) : [];
  const keys = new Map((await store.keys.identitiesByIds(keyIds)).map((i) => [i.key.id, i]));
  const rows = groups.map((g) => {
    const teamId = g.dims.teamId ?? "";
    const head: (string | number | null)[] = [g.dims.month ?? "", teamId, teams.get(teamId) ?? null];
    if (by === "key") {
      const id = g.dims.apiKeyId ?? "";
      const k = keys.get(id);
      head.push(id, k?.key.name ?? null, k?.user.id ?? null, k?.user.email ?? null);
    }
    return [...head, ...figures(g)];
  });
  const text = (v: string | number | null | undefined) => String(v ?? "");
  rows.sort(
    (a, b) =>
      text(a[0]).localeCompare(text(b[0])) ||
      text(a[2]).localeCompare(text(b[2])) ||
      text(a[4]).localeCompare(text(b[4])) ||
      text(a[1]).localeCompare(text(b[1])) ||
      text(a[3]).localeCompare(text(b[3])),
  );
  return [csvLine([...CHARGEBACK_COLUMNS[by]]), ...rows.map((row) => csvLine(row))].join("");
}
