// Activity: the latest requests, refreshed live, filtered on the server by key, user, model, provider,
// status, request id, tag and end user.
import { html } from "htm/preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import { ApiError, get } from "../api.ts";
import { ago, duration, int, money, stamp } from "../format.ts";
import { setParams } from "../route.ts";
import type { KeyReport, ModelReport, RecentReport, SpendRow, UserReport } from "../types.ts";
import { Empty, ErrorNote, Loading, Time } from "../ui/parts.ts";
import { useResource } from "../ui/resource.ts";
import { type TabProps, TeamPicker, useNames } from "./common.ts";
import { RequestDetail } from "./request-detail.ts";

const PAGE = 100;
const LIVE_MS = 5000;

/** Status filter values, as the API takes them. */
const STATUSES: [string, string][] = [
  ["2xx", "Succeeded (2xx)"],
  ["4xx", "Refused (4xx)"],
  ["5xx", "Failed (5xx)"],
];

export function ActivityTab({ principal, params }: TabProps) {
  const teamId = principal.kind === "team" ? principal.team.id : (params.get("team") ?? "");
  const filter = {
    key: params.get("key") ?? "",
    user: params.get("user") ?? "",
    model: params.get("model") ?? "",
    provider: params.get("provider") ?? "",
    status: params.get("status") ?? "",
    request: params.get("request") ?? "",
    tag: params.get("tag") ?? "",
    endUser: params.get("end_user") ?? "",
  };
  // Every filter is applied by the server over the whole log, so a filter finds rows that were never
  // loaded here; the cursor pages through the filtered rows.
  const query = {
    limit: PAGE,
    team_id: teamId || undefined,
    api_key_id: filter.key || undefined,
    user_id: filter.user || undefined,
    model: filter.model || undefined,
    provider: filter.provider || undefined,
    status: filter.status || undefined,
    request_id: filter.request.trim() || undefined,
    tag: filter.tag.trim() || undefined,
    end_user: filter.endUser.trim() || undefined,
  };
  const queryKey = JSON.stringify(query);
  const [live, setLive] = useState(true);
  const [detail, setDetail] = useState<string | null>(null);
  const [older, setOlder] = useState<SpendRow[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const [olderError, setOlderError] = useState<ApiError | null>(null);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const names = useNames();
  const [now, setNow] = useState(Date.now());

  const latest = useResource(
    `recent:${queryKey}`,
    (s) => get<RecentReport>("/admin/analytics/recent", query, s),
    {
      pollMs: live ? LIVE_MS : undefined,
    },
  );
  // The choices: every key, user and model with traffic in the last 30 days (not only the rows shown).
  const scope = { team_id: teamId || undefined };
  const keyChoices = useResource(`activity:keys:${teamId}`, (s) =>
    get<KeyReport>("/admin/analytics/keys", scope, s),
  );
  const userChoices = useResource(`activity:users:${teamId}`, (s) =>
    get<UserReport>("/admin/analytics/users", scope, s),
  );
  const modelChoices = useResource(`activity:models:${teamId}`, (s) =>
    get<ModelReport>("/admin/analytics/models", scope, s),
  );
  // Relative times move on between refreshes too.
  useEffect(() => {
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(t);
  }, [latest.data]);
  // Different filters are a different list: forget the older pages.
  useEffect(() => {
    setOlder([]);
    setCursor(undefined);
    setOlderError(null);
  }, [queryKey]);

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
      const page = await get<RecentReport>("/admin/analytics/recent", { ...query, cursor: nextCursor });
      setOlder((o) => [...o, ...page.data]);
      setCursor(page.next_cursor);
    } catch (err) {
      setOlderError(err instanceof ApiError ? err : new ApiError(0, "error", String(err)));
    }
    setLoadingOlder(false);
  };

  const reportKeys = new Map((keyChoices.data?.data ?? []).map((k) => [k.api_key_id, k]));
  const reportUsers = new Map((userChoices.data?.data ?? []).map((u) => [u.user_id, u]));
  const keyLabel = (id: string) => names.key(id)?.name ?? reportKeys.get(id)?.name ?? `${id.slice(0, 8)}…`;
  const keyPrefix = (id: string) => names.key(id)?.prefix ?? reportKeys.get(id)?.key_prefix ?? "";
  const userLabel = (id: string) => names.user(id)?.name ?? reportUsers.get(id)?.name ?? `${id.slice(0, 8)}…`;
  /** The report's values, the loaded rows' and the current choice: a shared link still shows its filter. */
  const options = (fromReport: string[], pick: (r: SpendRow) => string, current: string) =>
    [...new Set([...fromReport, ...rows.map(pick), current])].filter(Boolean).sort();
  const models = modelChoices.data?.data ?? [];
  const set = (name: string) => (e: Event) =>
    setParams("activity", { [name]: (e.currentTarget as HTMLSelectElement).value });
  const filtered = Object.values(filter).some(Boolean);
  const shown = rows;

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
          ${options([...reportKeys.keys()], (r) => r.api_key_id, filter.key).map((id) => html`<option value=${id}>${keyLabel(id)}</option>`)}
        </select>
      </label>
      <label class="inline">User
        <select value=${filter.user} onChange=${set("user")}>
          <option value="">All</option>
          ${options([...reportUsers.keys()], (r) => r.user_id, filter.user).map((id) => html`<option value=${id}>${userLabel(id)}</option>`)}
        </select>
      </label>
      <label class="inline">Model
        <select value=${filter.model} onChange=${set("model")}>
          <option value="">All</option>
          ${options(
            models.map((m) => m.model),
            (r) => r.model,
            filter.model,
          ).map((m) => html`<option value=${m}>${m}</option>`)}
        </select>
      </label>
      <label class="inline">Provider
        <select value=${filter.provider} onChange=${set("provider")}>
          <option value="">All</option>
          ${options(
            models.map((m) => m.provider),
            (r) => r.provider,
            filter.provider,
          ).map((p) => html`<option value=${p}>${p}</option>`)}
        </select>
      </label>
      <label class="inline">Status
        <select value=${filter.status} onChange=${set("status")}>
          <option value="">All</option>
          ${STATUSES.map(([v, label]) => html`<option value=${v}>${label}</option>`)}
        </select>
      </label>
      <label class="inline">Request id
        <input type="search" placeholder="req_…" value=${filter.request} onChange=${set("request")} />
      </label>
      <label class="inline">Tag
        <input name="tag" maxlength="64" size="10" value=${filter.tag} placeholder="any" onChange=${set("tag")} />
      </label>
      <label class="inline">End user
        <input name="end_user" maxlength="256" size="10" value=${filter.endUser} placeholder="any" onChange=${set("end_user")} />
      </label>
      ${
        filtered
          ? html`<button type="button" class="link" onClick=${() => setParams("activity", { key: null, user: null, model: null, provider: null, status: null, request: null, tag: null, end_user: null })}>Clear filters</button>`
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
              ? html`<${Empty}>${filtered ? "No request matches these filters." : "No requests yet. Point a client at the gateway with a virtual key and they appear here."}<//>`
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
                        <th scope="col">Request</th>
                      </tr>
                    </thead>
                    <tbody>
                      ${shown.map(
                        (r) => html`<tr key=${r.id}>
                          <td data-label="Time"><${Time} when=${r.created_at} text=${ago(r.created_at, now)} title=${stamp(r.created_at)} /></td>
                          <td data-label="Key"><span><span class="strong">${keyLabel(r.api_key_id)}</span> <code class="muted">${keyPrefix(r.api_key_id)}</code></span></td>
                          <td data-label="User">${userLabel(r.user_id)}</td>
                          <td data-label="Model"><code>${r.model}</code></td>
                          <td data-label="Provider">${r.provider}</td>
                          <td data-label="Tokens in / out" class="num" title=${cacheTitle(r)}>${int(r.input_tokens)} / ${int(r.output_tokens)}</td>
                          <td data-label="Cost" class="num">${money(r.cost_micros)}</td>
                          <td data-label="Duration" class="num">${duration(r.duration_ms)}</td>
                          <td data-label="Status"><${Status} code=${r.status} stream=${r.stream} /></td>
                          <td data-label="Routed from">${r.routed_from ? html`<span><span class="badge route" title=${r.routing_reason ?? ""}>${r.routed_from}</span> <span class="muted small">${r.routing_reason ?? ""}</span></span>` : html`<span class="muted">—</span>`}</td>
                          <td data-label="Request"><button type="button" class="link" title=${r.request_id} onClick=${() => setDetail(r.request_id)}>Details</button></td>
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
      ${latest.data ? html`<p class="fine">Showing ${int(shown.length)} ${filtered ? "matching " : ""}requests${nextCursor ? " (more below)" : ""}${live ? ` · refreshing every ${LIVE_MS / 1000} s` : ""}.</p>` : null}
    </section>
    ${detail ? html`<${RequestDetail} requestId=${detail} teamId=${teamId} onClose=${() => setDetail(null)} />` : null}
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
