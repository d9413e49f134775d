// Routing: how requests for model "auto" were routed — share per tier and per rule, day by day.
import { html } from "htm/preact";
import { get } from "../api.ts";
import { dayAxis, day as dayLong, int, money, pct } from "../format.ts";
import type { RoutingDailyReport, RoutingReport } from "../types.ts";
import { BarList, Columns } from "../ui/charts.ts";
import { Empty, ErrorNote, Kpi, Loading } from "../ui/parts.ts";
import { useResource } from "../ui/resource.ts";
import { daysOf, RangePicker, rangeOf, Section, type TabProps, TeamPicker } from "./common.ts";
import { RoutingMethods } from "./routing-methods.ts";

const TIERS = ["cheap", "middle", "top"];

export function RoutingTab({ principal, params }: TabProps) {
  const range = rangeOf(params);
  const teamId = principal.kind === "team" ? principal.team.id : (params.get("team") ?? "");
  const query = { from: range.from, to: range.to, team_id: teamId || undefined };
  const key = JSON.stringify(query);
  const summary = useResource(`routing${key}`, (s) =>
    get<RoutingReport>("/admin/analytics/routing", query, s),
  );
  const daily = useResource(`routing-daily${key}`, (s) =>
    get<RoutingDailyReport>("/admin/analytics/routing/daily", query, s),
  );
  const error = summary.error ?? daily.error;
  const s = summary.data;
  const d = daily.data;

  let body: unknown;
  if (error)
    body = html`<${ErrorNote} error=${error} retry=${() => {
      summary.reload();
      daily.reload();
    }} />`;
  else if (!s || !d) body = html`<${Loading} />`;
  else if (s.routed_requests === 0)
    body = html`<${Empty}>
      No request in this range used <code>"model": "auto"</code>. With <code>SNODUS_ROUTER_ENABLED=true</code> the gateway picks a
      cheap, middle or top model for each such request by the routing rules, and this page shows how.
    <//>`;
  else {
    const days = daysOf(range);
    const tiers = [
      ...TIERS,
      ...new Set(d.data.map((r) => r.tier ?? "other").filter((t) => !TIERS.includes(t))),
    ];
    const rules = [...new Set(d.data.map((r) => r.rule))];
    const ruleTotals = rules
      .map((rule) => ({
        rule,
        requests: d.data.filter((r) => r.rule === rule).reduce((n, r) => n + r.requests, 0),
        tier: d.data.find((r) => r.rule === rule)?.tier ?? "",
      }))
      .sort((a, b) => b.requests - a.requests);
    const per = (pick: (r: RoutingDailyReport["data"][number]) => string, series: string[]) =>
      days.map((dayId) => {
        const rows = d.data.filter((r) => r.day === dayId);
        return {
          label: `${dayLong(dayId)} · ${int(rows.reduce((n, r) => n + r.requests, 0))} routed requests`,
          axis: dayAxis(dayId),
          segments: series.map((name) => ({
            name,
            value: rows.filter((r) => pick(r) === name).reduce((n, r) => n + r.requests, 0),
          })),
        };
      });
    const routedCost = s.data.reduce((n, r) => n + r.cost_micros, 0);
    const modelByTier = new Map<string, Set<string>>();
    for (const r of d.data) {
      const tier = r.tier ?? "other";
      if (!modelByTier.has(tier)) modelByTier.set(tier, new Set());
      modelByTier.get(tier)?.add(r.model);
    }
    body = html`
      <div class="kpis">
        <${Kpi} testId="routed" label="Routed requests" value=${int(s.routed_requests)} detail=${`${pct(s.requests ? s.routed_requests / s.requests : 0)} of ${int(s.requests)} requests`} />
        <${Kpi} testId="routed-cost" label="Spend on routed requests" value=${money(routedCost)} detail=${s.routed_requests ? `${money(routedCost / s.routed_requests)} per request` : ""} />
        ${TIERS.map((tier) => {
          const n = d.data.filter((r) => r.tier === tier).reduce((x, r) => x + r.requests, 0);
          return html`<${Kpi} label=${`${tier[0]?.toUpperCase()}${tier.slice(1)} tier`} value=${pct(s.routed_requests ? n / s.routed_requests : 0)} detail=${`${int(n)} requests · ${[...(modelByTier.get(tier) ?? [])].join(", ") || "no model"}`} />`;
        })}
      </div>
      <${RoutingMethods} query=${query} />
      <${Section} title="Routed requests per day, by tier" id="tier-daily">
        <${Columns} counts label="Routed requests per day by tier" series=${tiers} format=${int} columns=${per((r) => r.tier ?? "other", tiers)} />
      <//>
      <div class="grid-2">
        <${Section} title="Why: routing rules" id="rules">
          <${BarList}
            label="Routed requests by rule"
            format=${(n: number) => `${int(n)} · ${pct(n / s.routed_requests)}`}
            rows=${ruleTotals.map((r) => ({ label: r.rule, sub: r.tier ? `${r.tier} tier` : "", value: r.requests }))}
          />
        <//>
        <${Section} title="Chosen models" id="routed-models">
          <div class="table-wrap">
            <table class="data cards">
              <thead><tr><th scope="col">Model</th><th scope="col">From</th><th scope="col">Method</th><th scope="col" class="num">Requests</th><th scope="col" class="num">Cost</th></tr></thead>
              <tbody>
                ${s.data.map(
                  (r) => html`<tr>
                    <td><code>${r.model}</code></td>
                    <td data-label="From">${r.routed_from}</td>
                    <td data-label="Method">${r.routing_method ?? "—"}</td>
                    <td data-label="Requests" class="num">${int(r.requests)}</td>
                    <td data-label="Cost" class="num">${money(r.cost_micros)}</td>
                  </tr>`,
                )}
              </tbody>
            </table>
          </div>
        <//>
      </div>
      <${Section} title="Routed requests per day, by rule" id="rules-daily">
        <${Columns} counts label="Routed requests per day by rule" series=${rules} format=${int} columns=${per((r) => r.rule, rules)} />
      <//>`;
  }

  return html`<div class="tab">
    <div class="toolbar">
      <h1>Routing</h1>
      <div class="toolbar-controls">
        <${TeamPicker} tab="routing" principal=${principal} teamId=${teamId} />
        <${RangePicker} tab="routing" range=${range} />
      </div>
    </div>
    ${body}
  </div>`;
}
