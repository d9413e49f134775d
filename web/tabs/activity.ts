// Activity: the latest requests, refreshed live, filterable by key, user, model, provider, outcome, tag and end user.
import { html } from "htm/preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import { ApiError, get } from "../api.ts";
import { ago, duration, int, money, stamp } from "../format.ts";
import { setParams } from "../route.ts";
import type { RecentReport, SpendRow } from "../types.ts";
import { Empty, ErrorNote, Loading, Time } from "../ui/parts.ts";
import { useResource } from "../ui/resource.ts";
import { type TabProps, TeamPicker, useNames } from "./common.ts";

const PAGE = 100;
const LIVE_MS = 5000;

type Outcome = "" | "ok" | "error";

export function ActivityTab({ principal, params }: TabProps) {
  const teamId = principal.kind === "team" ? principal.team.id : (params.get("team") ?? "");
  const filter = {
    key: params.get("key") ?? "",
    user: params.get("user") ?? "",
    model: params.get("model") ?? "",
    provider: params.get("provider") ?? "",
    outcome: (params.get("outcome") ?? "") as Outcome,
    // Tag and end user are filtered by the server, so rows never loaded are found too.
    tag: params.get("tag") ?? "",
    endUser: params.get("end_user") ?? "",
  };
  const server = { tag: filter.tag || undefined, end_user: filter.endUser || undefined };
  const [live, setLive] = useState(true);
  const [older, setOlder] = useState<SpendRow[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const [olderError, setOlderError] = useState<ApiError | null>(null);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const names = useNames();
  const [now, setNow] = useState(Date.now());

  const latest = useResource(
    `recent:${teamId}:${filter.tag}:${filter.endUser}`,
    (s) =>
      get<RecentReport>(
        "/admin/analytics/recent",
        { limit: PAGE, team_id: teamId || undefined, ...server },
        s,
      ),
    { pollMs: live ? LIVE_MS : undefined },
  );
  // Relative times move on between refreshes too.
  useEffect(() => {
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(t);
  }, [latest.data]);
  // A different team is a different list: forget the older pages.
  useEffect(() => {
    setOlder([]);
    setCursor(undefined);
  }, [teamId, filter.tag, filter.endUser]);

  // Live refreshes and older pages overlap at their seam; keep each row once.
  const rows = useMemo(() => {
    const seen = new Set<string>();
    const out: SpendRow[] = [];
    for (const r of [...(latest.data?.data ?? []), ...older]) {
      if (seen.has(r.id)) continue;
      seen.add(r.id);
      out.push(r);
    }
    return out;
  }, [latest.data, older]);
  const nextCursor = cursor === undefined ? (latest.data?.next_cursor ?? null) : cursor;

  const loadOlder = async () => {
    if (!nextCursor) return;
    setLoadingOlder(true);
    setOlderError(null);
    try {
      const page = await get<RecentReport>("/admin/analytics/recent", {
        limit: PAGE,
        cursor: nextCursor,
        team_id: teamId || undefined,
        ...server,
      });
      setOlder((o) => [...o, ...page.data]);
      setCursor(page.next_cursor);
    } catch (err) {
      setOlderError(err instanceof ApiError ? err : new ApiError(0, "error", String(err)));
    }
    setLoadingOlder(false);
  };

  const options = (pick: (r: SpendRow) => string) => [...new Set(rows.map(pick))].filter(Boolean).sort();
  const shown = rows.filter(
    (r) =>
      (!filter.key || r.api_key_id === filter.key) &&
      (!filter.user || r.user_id === filter.user) &&
      (!filter.model || r.model === filter.model) &&
      (!filter.provider || r.provider === filter.provider) &&
      (!filter.outcome || (filter.outcome === "ok" ? r.status < 400 : r.status >= 400)),
  );
  const set = (name: string) => (e: Event) =>
    setParams("activity", { [name]: (e.currentTarget as HTMLSelectElement).value });
  const keyLabel = (id: string) => names.key(id)?.name ?? `${id.slice(0, 8)}…`;
  const userLabel = (id: string) => names.user(id)?.name ?? `${id.slice(0, 8)}…`;
  const filtered = Object.values(filter).some(Boolean);

  return html`<div class="tab">
    <div class="toolbar">
      <h1>Activity</h1>
      <div class="toolbar-controls">
        <${TeamPicker} tab="activity" principal=${principal} teamId=${teamId} />
        <label class="inline switch">
          <input type="checkbox" checked=${live} onChange=${(e: Event) => setLive((e.currentTarget as HTMLInputElement).checked)} />
          Live
          <span class=${live ? "pulse on" : "pulse"} aria-hidden="true"></span>
        </label>
        <button type="button" onClick=${latest.reload} disabled=${latest.loading}>Refresh</button>
      </div>
    </div>

    <fieldset class="filters">
      <legend class="sr-only">Filters</legend>
      <label class="inline">Key
        <select value=${filter.key} onChange=${set("key")}>
          <option value="">All</option>
          ${options((r) => r.api_key_id).map((id) => html`<option value=${id}>${keyLabel(id)}</option>`)}
        </select>
      </label>
      <label class="inline">User
        <select value=${filter.user} onChange=${set("user")}>
          <option value="">All</option>
          ${options((r) => r.user_id).map((id) => html`<option value=${id}>${userLabel(id)}</option>`)}
        </select>
      </label>
      <label class="inline">Model
        <select value=${filter.model} onChange=${set("model")}>
          <option value="">All</option>
          ${options((r) => r.model).map((m) => html`<option value=${m}>${m}</option>`)}
        </select>
      </label>
      <label class="inline">Provider
        <select value=${filter.provider} onChange=${set("provider")}>
          <option value="">All</option>
          ${options((r) => r.provider).map((p) => html`<option value=${p}>${p}</option>`)}
        </select>
      </label>
      <label class="inline">Status
        <select value=${filter.outcome} onChange=${set("outcome")}>
          <option value="">All</option>
          <option value="ok">Succeeded</option>
          <option value="error">Failed</option>
        </select>
      </label>
      <label class="inline">Tag
        <input name="tag" maxlength="64" size="10" value=${filter.tag} placeholder="any" onChange=${set("tag")} />
      </label>
      <label class="inline">End user
        <input name="end_user" maxlength="256" size="10" value=${filter.endUser} placeholder="any" onChange=${set("end_user")} />
      </label>
      ${
        filtered
          ? html`<button type="button" class="link" onClick=${() => setParams("activity", { key: null, user: null, model: null, provider: null, outcome: null, tag: null, end_user: null })}>Clear filters</button>`
          : null
      }
    </fieldset>

    <section class="card" aria-label="Recent requests">
      ${
        latest.error
          ? html`<${ErrorNote} error=${latest.error} retry=${latest.reload} />`
          : latest.data === undefined
            ? html`<${Loading} />`
            : shown.length === 0
              ? html`<${Empty}>${rows.length || filtered ? "No request matches these filters." : "No requests yet. Point a client at the gateway with a virtual key and they appear here."}<//>`
              : html`<div class="table-wrap">
                  <table class="data activity cards">
                    <thead>
                      <tr>
                        <th scope="col">Time</th>
                        <th scope="col">Key</th>
                        <th scope="col">User</th>
                        <th scope="col">Model</th>
                        <th scope="col">Provider</th>
                        <th scope="col" class="num">Tokens in / out</th>
                        <th scope="col" class="num">Cost</th>
                        <th scope="col" class="num">Duration</th>
                        <th scope="col">Status</th>
                        <th scope="col">Routed from</th>
                      </tr>
                    </thead>
                    <tbody>
                      ${shown.map(
                        (r) => html`<tr key=${r.id}>
                          <td data-label="Time"><${Time} when=${r.created_at} text=${ago(r.created_at, now)} title=${stamp(r.created_at)} /></td>
                          <td data-label="Key"><span><span class="strong">${keyLabel(r.api_key_id)}</span> <code class="muted">${names.key(r.api_key_id)?.prefix ?? ""}</code></span></td>
                          <td data-label="User">${userLabel(r.user_id)}</td>
                          <td data-label="Model"><code>${r.model}</code></td>
                          <td data-label="Provider">${r.provider}</td>
                          <td data-label="Tokens in / out" class="num" title=${cacheTitle(r)}>${int(r.input_tokens)} / ${int(r.output_tokens)}</td>
                          <td data-label="Cost" class="num">${money(r.cost_micros)}</td>
                          <td data-label="Duration" class="num">${duration(r.duration_ms)}</td>
                          <td data-label="Status"><${Status} code=${r.status} stream=${r.stream} /></td>
                          <td data-label="Routed from">${r.routed_from ? html`<span><span class="badge route" title=${r.routing_reason ?? ""}>${r.routed_from}</span> <span class="muted small">${r.routing_reason ?? ""}</span></span>` : html`<span class="muted">—</span>`}</td>
                        </tr>`,
                      )}
                    </tbody>
                  </table>
                </div>`
      }
      ${olderError ? html`<${ErrorNote} error=${olderError} retry=${loadOlder} />` : null}
      ${
        latest.data && nextCursor
          ? html`<div class="more"><button type="button" onClick=${loadOlder} disabled=${loadingOlder}>${loadingOlder ? "Loading…" : "Load older requests"}</button></div>`
          : null
      }
      ${latest.data ? html`<p class="fine">Showing ${int(shown.length)} of ${int(rows.length)} loaded requests${live ? ` · refreshing every ${LIVE_MS / 1000} s` : ""}.</p>` : null}
    </section>
  </div>`;
}

function cacheTitle(r: SpendRow): string {
  const parts = [`${int(r.input_tokens)} input`, `${int(r.output_tokens)} output`];
  if (r.cache_read_input_tokens) parts.push(`${int(r.cache_read_input_tokens)} cache read`);
  if (r.cache_creation_input_tokens) parts.push(`${int(r.cache_creation_input_tokens)} cache write`);
  return parts.join(" · ");
}

const STATUS_TEXT: Record<number, string> = {
  400: "bad request",
  401: "unauthorized",
  402: "over budget",
  403: "forbidden",
  413: "too large",
  429: "rate limited",
  499: "client left",
  500: "error",
  502: "upstream error",
  504: "timeout",
  529: "overloaded",
};

function Status({ code, stream }: { code: number; stream: boolean }) {
  const cls = code < 400 ? "ok" : code === 499 ? "warn" : "bad";
  return html`<span class=${`status ${cls}`} title=${stream ? "Streamed" : "Not streamed"}>${code}${STATUS_TEXT[code] ? ` ${STATUS_TEXT[code]}` : ""}</span>`;
}
