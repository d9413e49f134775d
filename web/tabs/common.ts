// What several tabs share: the tab props, the date range and team pickers, and id → name lookups.
import { html } from "htm/preact";
import type { ComponentChildren } from "preact";
import { useMemo } from "preact/hooks";
import { get } from "../api.ts";
import { isoDay } from "../format.ts";
import { setParams } from "../route.ts";
import type { Key, Paged, Principal, Team, User } from "../types.ts";
import { useResource } from "../ui/resource.ts";

export interface TabProps {
  principal: Principal;
  params: URLSearchParams;
}

const DAY_MS = 86_400_000;

/** A range of whole UTC days, both ends included (the API reads a bare `to` date as the whole day). */
export interface DayRange {
  from: string;
  to: string;
}

interface Preset {
  id: string;
  label: string;
  range: (today: Date) => DayRange;
}

const back = (today: Date, days: number): DayRange => ({
  from: isoDay(new Date(today.getTime() - (days - 1) * DAY_MS)),
  to: isoDay(today),
});

const PRESETS: Preset[] = [
  { id: "7d", label: "7 days", range: (d) => back(d, 7) },
  { id: "30d", label: "30 days", range: (d) => back(d, 30) },
  { id: "90d", label: "90 days", range: (d) => back(d, 90) },
  {
    id: "month",
    label: "This month",
    range: (d) => ({
      from: isoDay(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1))),
      to: isoDay(d),
    }),
  },
  {
    id: "last-month",
    label: "Last month",
    range: (d) => ({
      from: isoDay(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1))),
      to: isoDay(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 0))),
    }),
  },
];

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

/** The range in the URL, or the last 30 days. */
export function rangeOf(params: URLSearchParams, now = new Date()): DayRange {
  const from = params.get("from");
  const to = params.get("to");
  if (from && to && DAY_RE.test(from) && DAY_RE.test(to) && from <= to) return { from, to };
  return back(now, 30);
}

/** Every day of a range, for charts that must show quiet days too. */
export function daysOf(range: DayRange): string[] {
  const out: string[] = [];
  const end = Date.parse(`${range.to}T00:00:00Z`);
  for (let d = Date.parse(`${range.from}T00:00:00Z`); d <= end && out.length < 400; d += DAY_MS)
    out.push(isoDay(new Date(d)));
  return out;
}

export function RangePicker({ tab, range }: { tab: string; range: DayRange }) {
  const today = new Date();
  const active = PRESETS.find((p) => {
    const r = p.range(today);
    return r.from === range.from && r.to === range.to;
  });
  const change = (next: Partial<DayRange>) => {
    const merged = { ...range, ...next };
    if (merged.from && merged.to && merged.from <= merged.to) setParams(tab, merged);
  };
  return html`<fieldset class="range">
    <legend class="sr-only">Date range (UTC days)</legend>
    <div class="segmented presets">
      ${PRESETS.map(
        (p) => html`<button
          type="button"
          aria-pressed=${active?.id === p.id}
          onClick=${() => setParams(tab, { ...p.range(today) })}
        >${p.label}</button>`,
      )}
    </div>
    <label class="inline">From <input type="date" value=${range.from} max=${range.to} onChange=${(e: Event) => change({ from: (e.currentTarget as HTMLInputElement).value })} /></label>
    <label class="inline">To <input type="date" value=${range.to} min=${range.from} onChange=${(e: Event) => change({ to: (e.currentTarget as HTMLInputElement).value })} /></label>
  </fieldset>`;
}

/** Teams the signed-in admin may see (a team admin: their own). */
export function useTeams() {
  return useResource("teams", (signal) => get<Paged<Team>>("/admin/teams", { limit: 500 }, signal));
}

/** The global admin may narrow a view to one team; a team admin is always narrowed by the server. */
export function TeamPicker({
  tab,
  principal,
  teamId,
}: {
  tab: string;
  principal: Principal;
  teamId: string;
}) {
  const teams = useTeams();
  if (principal.kind !== "global") return null;
  return html`<label class="inline">Team
    <select value=${teamId} onChange=${(e: Event) => setParams(tab, { team: (e.currentTarget as HTMLSelectElement).value })}>
      <option value="">All teams</option>
      ${(teams.data?.data ?? []).map((t) => html`<option value=${t.id}>${t.name}</option>`)}
    </select>
  </label>`;
}

export interface Names {
  key: (id: string) => { name: string; prefix: string } | undefined;
  user: (id: string) => User | undefined;
  team: (id: string) => Team | undefined;
}

/** Ids in reports and activity become names; up to 500 of each, which covers a dashboard's view. */
export function useNames(): Names {
  const keys = useResource("names:keys", (s) => get<Paged<Key>>("/admin/keys", { limit: 500 }, s));
  const users = useResource("names:users", (s) => get<Paged<User>>("/admin/users", { limit: 500 }, s));
  const teams = useTeams();
  return useMemo(() => {
    const k = new Map((keys.data?.data ?? []).map((x) => [x.id, { name: x.name, prefix: x.key_prefix }]));
    const u = new Map((users.data?.data ?? []).map((x) => [x.id, x]));
    const t = new Map((teams.data?.data ?? []).map((x) => [x.id, x]));
    return { key: (id) => k.get(id), user: (id) => u.get(id), team: (id) => t.get(id) };
  }, [keys.data, users.data, teams.data]);
}

export function Section({
  title,
  actions,
  children,
  id,
}: {
  title: string;
  actions?: ComponentChildren;
  children: ComponentChildren;
  id?: string;
}) {
  return html`<section class="card section" aria-labelledby=${id}>
    <header class="section-head"><h2 id=${id}>${title}</h2>${actions ?? null}</header>
    ${children}
  </section>`;
}

/**
 * Spend this calendar month (UTC) per key or per user, for the lists' "This month" column: one report
 * over the month, so it costs the same however many rows the list shows.
 */
export function useMonthSpend(kind: "keys" | "users", teamId: string): Map<string, number> | undefined {
  const month = `${new Date().toISOString().slice(0, 7)}-01`;
  const query = { from: month, team_id: teamId || undefined };
  const report = useResource(`month:${kind}:${teamId}:${month}`, (s) =>
    get<{ data: { api_key_id?: string; user_id?: string; cost_micros: number }[] }>(
      `/admin/analytics/${kind}`,
      query,
      s,
    ),
  );
  return useMemo(
    () =>
      report.data
        ? new Map(
            report.data.data.map((r) => [(kind === "keys" ? r.api_key_id : r.user_id) ?? "", r.cost_micros]),
          )
        : undefined,
    [report.data, kind],
  );
}
