// Spend: this month against the budget, the range's requests, tokens and cost, and where the money went.
import { html } from "htm/preact";
import { get, withQuery } from "../api.ts";
import { cents, dayAxis, day as dayLong, int, isoDay, money, short } from "../format.ts";
import type { Account, DailyReport, KeyReport, ModelReport, Paged, Team, UserReport } from "../types.ts";
import { BarList, Columns } from "../ui/charts.ts";
import { Empty, ErrorNote, Kpi, Loading, Progress } from "../ui/parts.ts";
import { type Resource, useResource } from "../ui/resource.ts";
import {
  type DayRange,
  RangePicker,
  rangeOf,
  Section,
  type TabProps,
  TeamPicker,
  useNames,
} from "./common.ts";

const TOP = 8;

export function SpendTab({ principal, params }: TabProps) {
  const range = rangeOf(params);
  const teamId = principal.kind === "team" ? principal.team.id : (params.get("team") ?? "");
  const query = { from: range.from, to: range.to, team_id: teamId || undefined };
  const key = JSON.stringify(query);
  const daily = useResource(`daily${key}`, (s) => get<DailyReport>("/admin/analytics/daily", query, s));
  const models = useResource(`models${key}`, (s) => get<ModelReport>("/admin/analytics/models", query, s));
  const users = useResource(`users${key}`, (s) => get<UserReport>("/admin/analytics/users", query, s));
  const keys = useResource(`keys${key}`, (s) => get<KeyReport>("/admin/analytics/keys", query, s));
  const names = useNames();
  const totals = daily.data?.totals;

  return html`<div class="tab">
    <div class="toolbar">
      <h1>Spend</h1>
      <div class="toolbar-controls">
        <${TeamPicker} tab="spend" principal=${principal} teamId=${teamId} />
        <${RangePicker} tab="spend" range=${range} />
        <a class="button" href=${withQuery("/admin/analytics/export", query)} download>Export CSV</a>
      </div>
    </div>

    <div class="kpis">
      <${MonthKpi} teamId=${teamId} />
      ${
        daily.error
          ? html`<div class="kpi-error"><${ErrorNote} error=${daily.error} retry=${daily.reload} /></div>`
          : html`
            <${Kpi} testId="spend" label="Spend in range" value=${totals ? money(totals.cost_micros) : "…"} detail=${rangeLabel(range)} />
            <${Kpi} testId="requests" label="Requests" value=${totals ? int(totals.requests) : "…"} detail=${rangeLabel(range)} />
            <${Kpi}
              testId="tokens"
              label="Tokens in / out"
              value=${totals ? `${short(totals.input_tokens)} / ${short(totals.output_tokens)}` : "…"}
              detail=${totals ? `${int(totals.input_tokens)} in · ${int(totals.output_tokens)} out` : ""}
            />
            <${Kpi}
              testId="avg"
              label="Average cost per request"
              value=${totals ? (totals.requests ? money(totals.cost_micros / totals.requests) : "—") : "…"}
              detail=${totals?.requests ? `over ${int(totals.requests)} requests` : "no requests in range"}
            />`
      }
    </div>

    <${Section} title="Daily spend" id="daily-spend">
      <${Load} res=${daily} empty=${(d: DailyReport) => d.totals.requests === 0} emptyText="No spend in this range.">
        ${(d: DailyReport) =>
          html`<${Columns}
            label=${`Daily spend from ${dayLong(range.from)} to ${dayLong(range.to)}`}
            series=${["Spend"]}
            format=${money}
            columns=${d.data.map((row) => ({
              label: `${dayLong(row.day)} · ${int(row.requests)} requests`,
              axis: dayAxis(row.day),
              segments: [{ name: "Spend", value: row.cost_micros }],
            }))}
          />`}
      <//>
    <//>

    <div class="grid-3">
      <${Section} title="Spend by model" id="by-model">
        <${Load} res=${models} empty=${(d: ModelReport) => d.data.length === 0} emptyText="No models used in this range.">
          ${(d: ModelReport) =>
            html`<${BarList}
              label="Spend by model"
              format=${money}
              rows=${d.data.slice(0, TOP).map((m) => ({ label: m.model, sub: `${m.provider} · ${int(m.requests)} requests`, value: m.cost_micros }))}
            />`}
        <//>
      <//>
      <${Section} title="Top users" id="top-users">
        <${Load} res=${users} empty=${(d: UserReport) => d.data.length === 0} emptyText="No user made a request in this range.">
          ${(d: UserReport) =>
            html`<${BarList}
              label="Top users by spend"
              format=${money}
              rows=${d.data.slice(0, TOP).map((u) => ({
                label: u.name ?? u.email ?? u.user_id,
                sub: `${u.email ?? ""} · ${int(u.requests)} requests`,
                value: u.cost_micros,
              }))}
            />`}
        <//>
      <//>
      <${Section} title="Top keys" id="top-keys">
        <${Load} res=${keys} empty=${(d: KeyReport) => d.data.length === 0} emptyText="No key was used in this range.">
          ${(d: KeyReport) =>
            html`<${BarList}
              label="Top keys by spend"
              format=${money}
              rows=${d.data.slice(0, TOP).map((k) => ({
                label: k.name ?? "(deleted key)",
                sub: `${k.key_prefix ?? ""} · ${names.user(k.user_id ?? "")?.name ?? "unknown user"} · ${int(k.requests)} requests`,
                value: k.cost_micros,
              }))}
            />`}
        <//>
      <//>
    </div>
  </div>`;
}

const rangeLabel = (r: DayRange) =>
  r.from === r.to ? dayLong(r.from) : `${dayLong(r.from)} – ${dayLong(r.to)}`;

/** Loading, error and empty states around a resource; renders `children(data)` otherwise. */
export function Load<T>({
  res,
  empty,
  emptyText,
  children,
}: {
  res: Resource<T>;
  empty?: (d: T) => boolean;
  emptyText?: string;
  children: (d: T) => unknown;
}) {
  if (res.error) return html`<${ErrorNote} error=${res.error} retry=${res.reload} />`;
  if (res.data === undefined) return html`<${Loading} />`;
  if (empty?.(res.data)) return html`<${Empty}>${emptyText ?? "Nothing here yet."}<//>`;
  return html`<div class=${res.loading ? "reloading" : ""}>${children(res.data)}</div>`;
}

/**
 * This month's spend against the budget: a team's own budget when one team is in view; across all teams
 * the sum of their budgets (teams without a budget are unlimited, so then there is no overall cap).
 */
function MonthKpi({ teamId }: { teamId: string }) {
  const now = new Date();
  const month = {
    from: isoDay(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1))),
    to: isoDay(now),
  };
  const account = useResource(`account:${teamId}`, (s) =>
    teamId ? get<Account>(`/admin/teams/${teamId}/account`, {}, s) : Promise.resolve(null),
  );
  const all = useResource(`month:${teamId}`, (s) =>
    teamId
      ? Promise.resolve(null)
      : Promise.all([
          get<DailyReport>("/admin/analytics/daily", month, s),
          get<Paged<Team>>("/admin/teams", { limit: 500 }, s),
        ]),
  );
  const error = account.error ?? all.error;
  if (error)
    return html`<div class="kpi-error"><${ErrorNote} error=${error} retry=${teamId ? account.reload : all.reload} /></div>`;
  let used: number | undefined;
  let budgetMicros: number | null = null;
  let budgetText = "";
  if (teamId && account.data) {
    used = account.data.spend_micros.used;
    budgetMicros = account.data.spend_micros.limit;
    budgetText = budgetMicros === null ? "No monthly budget" : `of ${cents(budgetMicros / 10_000)} budget`;
  } else if (!teamId && all.data) {
    const [report, teams] = all.data;
    used = report.totals.cost_micros;
    const budgets = teams.data.map((t) => t.budget_monthly_cents);
    const capped = budgets.every((b) => b !== null) && budgets.length > 0;
    budgetMicros = capped ? budgets.reduce<number>((s, b) => s + (b ?? 0), 0) * 10_000 : null;
    budgetText =
      budgets.length === 0
        ? "No teams yet"
        : capped
          ? `of ${cents(budgetMicros === null ? null : budgetMicros / 10_000)} total budget`
          : `${budgets.filter((b) => b !== null).length} of ${budgets.length} teams have a budget`;
  }
  return html`<${Kpi}
    testId="month"
    label="Spend this month"
    value=${used === undefined ? "…" : money(used)}
    detail=${budgetText}
  >
    ${
      used !== undefined && budgetMicros !== null
        ? html`<${Progress} label="Budget used" fraction=${budgetMicros > 0 ? used / budgetMicros : used > 0 ? 1 : 0} text=${`${money(used)} of ${money(budgetMicros)}`} />`
        : null
    }
  <//>`;
}
