// One request's attempts side by side: routing decision, fallbacks and deployments, tokens by kind, cost.
import { html } from "htm/preact";
import { get } from "../api.ts";
import { duration, int, money, stamp } from "../format.ts";
import type { RecentReport, SpendRow } from "../types.ts";
import { Modal } from "../ui/dialog.ts";
import { ErrorNote, Loading } from "../ui/parts.ts";
import { useResource } from "../ui/resource.ts";

/** Every spend row of one request id (one per attempt: a fallback or another deployment adds one). */
export function RequestDetail({
  requestId,
  teamId,
  onClose,
}: {
  requestId: string;
  teamId: string;
  onClose: () => void;
}) {
  const rows = useResource(`request:${requestId}:${teamId}`, (s) =>
    get<RecentReport>(
      "/admin/analytics/recent",
      { request_id: requestId, team_id: teamId || undefined, limit: 50 },
      s,
    ),
  );
  // The report is newest first; attempts read best in the order they were made.
  const attempts = [...(rows.data?.data ?? [])].reverse();
  const first = attempts[0];
  const total = attempts.reduce((sum, r) => sum + r.cost_micros, 0);
  return html`<${Modal} title="Request" onClose=${onClose} wide>
    <div class="modal-body request-detail">
    <p class="fine"><code>${requestId}</code>${first ? ` · ${stamp(first.created_at)}` : ""}</p>
    ${
      rows.error
        ? html`<${ErrorNote} error=${rows.error} retry=${rows.reload} />`
        : !rows.data
          ? html`<${Loading} />`
          : html`
            ${
              first?.routed_from
                ? html`<p><span class="badge route">${first.routed_from}</span> routed by <strong>${first.routing_method ?? "—"}</strong>: ${first.routing_reason ?? ""}</p>`
                : null
            }
            <div class="table-wrap"><table class="data attempts cards">
              <thead><tr>
                <th scope="col">#</th><th scope="col">Model</th><th scope="col">Provider</th><th scope="col">Status</th>
                <th scope="col" class="num">Input</th><th scope="col" class="num">Cache write</th>
                <th scope="col" class="num">Cache read</th><th scope="col" class="num">Output</th>
                <th scope="col" class="num">Cost</th><th scope="col" class="num">Duration</th>
              </tr></thead>
              <tbody>
                ${attempts.map(
                  (r: SpendRow, i: number) => html`<tr key=${r.id}>
                    <td data-label="#">${i + 1}${i > 0 ? html` <span class="muted small">fallback</span>` : ""}</td>
                    <td data-label="Model"><code>${r.model}</code></td>
                    <td data-label="Provider">${r.provider}${r.deployment ? html` <span class="muted small">(${r.deployment})</span>` : ""}</td>
                    <td data-label="Status">${r.status}${r.stream ? html` <span class="muted small">stream</span>` : ""}</td>
                    <td data-label="Input" class="num">${int(r.input_tokens)}</td>
                    <td data-label="Cache write" class="num">${int(r.cache_creation_input_tokens)}</td>
                    <td data-label="Cache read" class="num">${int(r.cache_read_input_tokens)}</td>
                    <td data-label="Output" class="num">${int(r.output_tokens)}</td>
                    <td data-label="Cost" class="num">${money(r.cost_micros)}</td>
                    <td data-label="Duration" class="num">${duration(r.duration_ms)}</td>
                  </tr>`,
                )}
              </tbody>
            </table></div>
            <p class="fine">${attempts.length} attempt${attempts.length === 1 ? "" : "s"}, ${money(total)} in all${
              first?.tags.length ? ` · tags ${first.tags.join(", ")}` : ""
            }${first?.end_user ? ` · end user ${first.end_user}` : ""}.</p>`
    }
    </div>
  <//>`;
}
