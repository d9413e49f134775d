// Routing tab, per method: the tier mix each method produced and what it saved against sending everything to the top tier.
import { html } from "htm/preact";
import { get } from "../api.ts";
import { int, money, pct, short } from "../format.ts";
import type { RoutingMethodsReport } from "../types.ts";
import { ErrorNote, Loading } from "../ui/parts.ts";
import { useResource } from "../ui/resource.ts";
import { Section } from "./common.ts";

const TIERS = ["cheap", "middle", "top"] as const;

export function RoutingMethods({ query }: { query: { from: string; to: string; team_id?: string } }) {
  const report = useResource(`routing-methods${JSON.stringify(query)}`, (s) =>
    get<RoutingMethodsReport>("/admin/analytics/routing/methods", query, s),
  );
  const r = report.data;
  let body: unknown;
  if (report.error) body = html`<${ErrorNote} error=${report.error} retry=${report.reload} />`;
  else if (!r) body = html`<${Loading} />`;
  else
    body = html`
      <div class="table-wrap">
        <table class="data cards">
          <thead>
            <tr>
              <th scope="col">Method</th>
              <th scope="col" class="num">Requests</th>
              ${TIERS.map((t) => html`<th scope="col" class="num">${t[0]?.toUpperCase()}${t.slice(1)}</th>`)}
              <th scope="col" class="num">Spend</th>
              <th scope="col" class="num">Always-top estimate</th>
              <th scope="col" class="num">Saving</th>
              <th scope="col" class="num">Sticky (cache reads kept)</th>
              <th scope="col" class="num">Background calls</th>
            </tr>
          </thead>
          <tbody>
            ${r.data.map(
              (m) => html`<tr data-method=${m.method}>
                <td><code>${m.method}</code></td>
                <td data-label="Requests" class="num">${int(m.requests)}</td>
                ${TIERS.map(
                  (t) =>
                    html`<td data-label=${t} data-tier=${t} class="num">${pct(m.requests ? m.tiers[t] / m.requests : 0)}</td>`,
                )}
                <td data-label="Spend" class="num">${money(m.cost_micros)}</td>
                <td data-label="Always-top estimate" class="num">${m.always_top_micros === null ? "—" : money(m.always_top_micros)}</td>
                <td data-label="Saving" class="num" data-saving>
                  ${
                    m.saving_micros === null || !m.always_top_micros
                      ? "—"
                      : `${money(m.saving_micros)} · ${pct(m.saving_micros / m.always_top_micros)}`
                  }
                </td>
                <td data-label="Sticky" class="num">${int(m.sticky_requests)} · ${short(m.sticky_cache_read_tokens)} tokens</td>
                <td data-label="Background calls" class="num">${int(m.background_requests)}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
      <p class="muted">
        ${"Always-top prices the same tokens (input, output, cache writes and reads) at the price table's rates of "}
        ${r.top_model ? html`<code>${r.top_model}</code>` : "the top tier's model"}${". "}
        Sticky requests stayed on their conversation's tier to keep its cached prefix; their cache reads are what switching
        models would have thrown away.
      </p>`;
  return html`<${Section} title="By routing method" id="routing-methods">${body}<//>`;
}
