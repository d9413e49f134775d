// The Account tab's provider list: what each upstream is, whether it answers now, and its deployments.
import { html } from "htm/preact";
import { get } from "../api.ts";
import type { ProviderInfo } from "../types.ts";
import { ErrorNote, Loading } from "../ui/parts.ts";
import { useResource } from "../ui/resource.ts";
import { Section } from "./common.ts";

const state = (p: ProviderInfo) =>
  !p.configured
    ? html`<span class="badge">not configured</span>`
    : p.reachable === false
      ? html`<span class="badge off">unreachable</span>`
      : html`<span class="badge ok">reachable</span>`;

/** Model lists can run to dozens of names: a few are shown, the rest counted. */
function models(list: string[]) {
  if (!list.length) return html`<span class="muted">—</span>`;
  const shown = list.slice(0, 6).join(", ");
  return list.length > 6 ? `${shown} and ${list.length - 6} more` : shown;
}

function deployments(p: ProviderInfo) {
  if (!p.deployments.length) return html`<span class="muted">one</span>`;
  return html`<ul class="plain">
    ${p.deployments.map(
      (d) =>
        html`<li>${d.name} ×${d.weight} ${
          !d.healthy
            ? html`<span class="badge warn" title=${d.cooling_until ? `cooling down until ${d.cooling_until}` : ""}>cooling down</span>`
            : d.reachable
              ? html`<span class="badge ok">up</span>`
              : html`<span class="badge off">down</span>`
        }</li>`,
    )}
  </ul>`;
}

export function ProvidersSection() {
  // Reachability is probed by the server at each call, so this list is fetched once per visit.
  const providers = useResource("providers", (s) => get<{ data: ProviderInfo[] }>("/admin/providers", {}, s));
  return html`<${Section} title="Providers" id="providers-title">
    ${
      providers.error
        ? html`<${ErrorNote} error=${providers.error} retry=${providers.reload} />`
        : !providers.data
          ? html`<${Loading} />`
          : html`<div class="table-wrap"><table class="data providers cards">
              <thead><tr><th scope="col">Provider</th><th scope="col">State</th><th scope="col">Upstream</th><th scope="col">Deployments</th><th scope="col">Models</th></tr></thead>
              <tbody>
                ${providers.data.data.map(
                  (p) => html`<tr>
                    <td data-label="Provider"><span class="strong">${p.name}</span></td>
                    <td data-label="State">${state(p)}</td>
                    <td data-label="Upstream"><code>${p.upstream_url ?? "—"}</code></td>
                    <td data-label="Deployments">${deployments(p)}</td>
                    <td data-label="Models">${models(p.models)}</td>
                  </tr>`,
                )}
              </tbody>
            </table></div>`
    }
  <//>`;
}
