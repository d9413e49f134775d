// Keys: search and page (on the server), create (the secret is shown once), edit name / limits / allowed
// models, rotate, revoke.
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { ApiError, get, request } from "../api.ts";
import { ago, cents, int, money, stamp } from "../format.ts";
import { setParams } from "../route.ts";
import type { Key, KeyCreated, KeyRotated, Paged, Principal, User } from "../types.ts";
import { Confirm, Modal } from "../ui/dialog.ts";
import { Pager, pageParam } from "../ui/pager.ts";
import { Empty, ErrorNote, Loading, Time } from "../ui/parts.ts";
import { useResource } from "../ui/resource.ts";
import { type TabProps, TeamPicker, useMonthSpend, useNames } from "./common.ts";

const PAGE_SIZE = 100;

type Dialog =
  | { kind: "create" }
  | { kind: "edit"; key: Key }
  | { kind: "rotate"; key: Key }
  | { kind: "revoke"; key: Key }
  | { kind: "secret"; created: KeyCreated; rotated?: Key }
  | null;

export function KeysTab({ principal, params }: TabProps) {
  const teamId = principal.kind === "team" ? principal.team.id : (params.get("team") ?? "");
  const showRevoked = params.get("revoked") === "1";
  const search = params.get("q") ?? "";
  const page = pageParam(params);
  // Search, status and paging happen on the server, so a team with thousands of keys lists and finds
  // every one of them; newest first, so a key just created is on the first page.
  const query = {
    limit: PAGE_SIZE,
    offset: page * PAGE_SIZE,
    team_id: teamId || undefined,
    search: search.trim() || undefined,
    status: showRevoked ? undefined : "active",
    order: "newest",
  };
  const keys = useResource(`keys:${JSON.stringify(query)}`, (s) => get<Paged<Key>>("/admin/keys", query, s));
  const revoked = useResource(`keys:revoked:${teamId}`, (s) =>
    get<Paged<Key>>("/admin/keys", { limit: 1, team_id: teamId || undefined, status: "revoked" }, s),
  );
  const names = useNames();
  const month = useMonthSpend("keys", teamId);
  const [dialog, setDialog] = useState<Dialog>(null);
  const close = () => setDialog(null);
  const done = (next: Dialog = null) => {
    keys.reload();
    revoked.reload();
    setDialog(next);
  };

  const shown = keys.data?.data ?? [];
  const revokedCount = revoked.data?.total ?? 0;

  return html`<div class="tab">
    <div class="toolbar">
      <h1>Keys</h1>
      <div class="toolbar-controls">
        <${TeamPicker} tab="keys" principal=${principal} teamId=${teamId} />
        <label class="inline"><span class="sr-only">Search keys</span>
          <input type="search" placeholder="Search name, prefix, owner" value=${search} onInput=${(e: Event) => setParams("keys", { q: (e.currentTarget as HTMLInputElement).value, page: null })} />
        </label>
        <label class="inline switch">
          <input type="checkbox" checked=${showRevoked} onChange=${(e: Event) => setParams("keys", { revoked: (e.currentTarget as HTMLInputElement).checked ? "1" : null, page: null })} />
          Show revoked (${revokedCount})
        </label>
        <button type="button" class="primary" onClick=${() => setDialog({ kind: "create" })}>New key</button>
      </div>
    </div>
    <section class="card" aria-label="Virtual keys">
      ${
        keys.error
          ? html`<${ErrorNote} error=${keys.error} retry=${keys.reload} />`
          : keys.data === undefined
            ? html`<${Loading} />`
            : shown.length === 0 && page === 0
              ? html`<${Empty}>${search.trim() ? "No key matches." : "No keys yet. Create one to let a developer or an app use the gateway."}<//>`
              : html`<div class="table-wrap">
                  <table class="data keys cards">
                    <thead>
                      <tr>
                        <th scope="col">Name</th>
                        <th scope="col">Key</th>
                        <th scope="col">Owner</th>
                        ${principal.kind === "global" ? html`<th scope="col">Team</th>` : null}
                        <th scope="col">Status</th>
                        <th scope="col" class="num">Rate limit</th>
                        <th scope="col" class="num">Monthly budget</th>
                        <th scope="col" class="num">This month</th>
                        <th scope="col">Last used</th>
                        <th scope="col"><span class="sr-only">Actions</span></th>
                      </tr>
                    </thead>
                    <tbody>
                      ${shown.map(
                        (k) => html`<tr key=${k.id} data-key-id=${k.id}>
                          <td class="strong">${k.name}</td>
                          <td data-label="Key"><code>${k.key_prefix}</code></td>
                          <td data-label="Owner">${names.user(k.user_id)?.name ?? html`<span class="muted">${k.user_id.slice(0, 8)}…</span>`}</td>
                          ${principal.kind === "global" ? html`<td data-label="Team">${names.team(k.team_id)?.name ?? ""}</td>` : null}
                          <td data-label="Status"><${KeyBadge} k=${k} /></td>
                          <td data-label="Rate limit" class="num">${int(k.rate_limit)}/min</td>
                          <td data-label="Monthly budget" class="num">${k.budget_monthly_cents === null ? html`<span class="muted">team's</span>` : cents(k.budget_monthly_cents)}</td>
                          <td data-label="This month" class="num">${month ? money(month.get(k.id) ?? 0) : "…"}</td>
                          <td data-label="Last used">${k.last_used_at ? html`<${Time} when=${k.last_used_at} text=${ago(k.last_used_at)} title=${stamp(k.last_used_at)} />` : html`<span class="muted">never</span>`}</td>
                          <td class="actions">
                            ${
                              k.status === "revoked" || k.status === "expired"
                                ? null
                                : html`<button type="button" class="small" onClick=${() => setDialog({ kind: "edit", key: k })} aria-label=${`Edit ${k.name}`}>Edit</button>
                                  ${k.status === "active" ? html`<button type="button" class="small" onClick=${() => setDialog({ kind: "rotate", key: k })} aria-label=${`Rotate ${k.name}`}>Rotate</button>` : null}
                                  <button type="button" class="small danger-text" onClick=${() => setDialog({ kind: "revoke", key: k })} aria-label=${`Revoke ${k.name}`}>Revoke</button>`
                            }
                          </td>
                        </tr>`,
                      )}
                    </tbody>
                  </table>
                </div>
                <${Pager} tab="keys" page=${page} size=${PAGE_SIZE} shown=${shown.length} total=${keys.data.total} noun="keys" />`
      }
    </section>
    ${dialog?.kind === "create" ? html`<${KeyForm} principal=${principal} teamId=${teamId} onClose=${close} onDone=${(c: KeyCreated | null) => done(c ? { kind: "secret", created: c } : null)} />` : null}
    ${dialog?.kind === "edit" ? html`<${KeyForm} principal=${principal} teamId=${teamId} existing=${dialog.key} onClose=${close} onDone=${() => done()} />` : null}
    ${dialog?.kind === "rotate" ? html`<${RotateKey} k=${dialog.key} onClose=${close} onDone=${(r: KeyRotated) => done({ kind: "secret", created: r, rotated: r.old_key })} />` : null}
    ${dialog?.kind === "revoke" ? html`<${RevokeKey} k=${dialog.key} onClose=${close} onDone=${() => done()} />` : null}
    ${dialog?.kind === "secret" ? html`<${SecretOnce} created=${dialog.created} rotated=${dialog.rotated} onClose=${close} />` : null}
  </div>`;
}

function KeyBadge({ k }: { k: Key }) {
  if (k.status === "expiring" && k.expires_at)
    return html`<span class="badge warn" title=${`Rotated; works until ${stamp(k.expires_at)}`}>expires ${ago(k.expires_at)}</span>`;
  return html`<span class=${`badge ${k.status === "active" ? "ok" : "off"}`}>${k.status}</span>`;
}

/** Dollars in the form, cents on the wire (the spec's unit); empty means "no budget of its own". */
function parseBudget(raw: string): number | null | "invalid" {
  const v = raw.trim().replace(/^\$/, "").replaceAll(",", "");
  if (!v) return null;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? Math.round(n * 100) : "invalid";
}

/** "claude-*, gpt-4o-mini" in the form, a list on the wire; empty means every model. */
function parseModels(raw: string): string[] | null {
  const list = raw
    .split(/[\s,]+/)
    .map((m) => m.trim())
    .filter(Boolean);
  return list.length ? list : null;
}

function KeyForm({
  principal,
  teamId,
  existing,
  onClose,
  onDone,
}: {
  principal: Principal;
  teamId: string;
  existing?: Key;
  onClose: () => void;
  /** The new key, or null after an edit. */
  onDone: (created: KeyCreated | null) => void;
}) {
  const users = useResource(`key-owners:${teamId}`, (s) =>
    existing
      ? Promise.resolve(null)
      : get<Paged<User>>("/admin/users", { limit: 500, team_id: teamId || undefined }, s),
  );
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    const field = (n: string) => String(form.get(n) ?? "").trim();
    const budget = parseBudget(field("budget"));
    const rate = Number(field("rate_limit"));
    const concurrent = field("max_concurrent");
    const maxConcurrent = concurrent ? Number(concurrent) : null;
    if (budget === "invalid") return setError("The budget must be an amount in dollars, e.g. 50 or 12.50.");
    if (!Number.isInteger(rate) || rate < 1)
      return setError("The rate limit must be a whole number of requests per minute, at least 1.");
    if (maxConcurrent !== null && (!Number.isInteger(maxConcurrent) || maxConcurrent < 1))
      return setError("Concurrent requests must be a whole number, at least 1, or empty for no cap.");
    setBusy(true);
    setError(null);
    try {
      const body = {
        name: field("name"),
        rate_limit: rate,
        budget_monthly_cents: budget,
        allowed_models: parseModels(field("allowed_models")),
        max_concurrent: maxConcurrent,
      };
      if (existing) {
        await request<Key>("PATCH", `/admin/keys/${existing.id}`, body);
        onDone(null);
      } else {
        const owner = field("user_id");
        onDone(
          await request<KeyCreated>("POST", "/admin/keys", { ...body, ...(owner ? { user_id: owner } : {}) }),
        );
      }
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
      setBusy(false);
    }
  };
  const owners = (users.data?.data ?? []).filter((u) => u.is_active);
  const selfId = principal.kind === "team" ? principal.user.id : "";
  return html`<${Modal} title=${existing ? `Edit key “${existing.name}”` : "New key"} onClose=${onClose}>
    <form class="modal-body form" onSubmit=${submit}>
      <label class="field">Name
        <input name="name" required maxlength="100" defaultValue=${existing?.name ?? ""} placeholder="e.g. ci-bot or alice-laptop" autofocus />
      </label>
      ${
        existing
          ? null
          : html`<label class="field">Owner
              ${
                users.error
                  ? html`<${ErrorNote} error=${users.error} retry=${users.reload} />`
                  : html`<select name="user_id" required disabled=${!users.data}>
                      ${users.data ? null : html`<option>Loading users…</option>`}
                      ${owners.map((u) => html`<option value=${u.id} selected=${u.id === selfId}>${u.name} (${u.email})</option>`)}
                    </select>`
              }
              ${users.data && owners.length === 0 ? html`<small>No active user in this scope: create a user first (Users & Teams).</small>` : null}
            </label>`
      }
      <div class="row">
        <label class="field">Rate limit <small>requests / minute</small>
          <input name="rate_limit" type="number" min="1" step="1" required defaultValue=${existing?.rate_limit ?? 60} />
        </label>
        <label class="field">Monthly budget <small>USD, empty = team's budget only</small>
          <input name="budget" inputmode="decimal" defaultValue=${existing?.budget_monthly_cents == null ? "" : (existing.budget_monthly_cents / 100).toFixed(2)} placeholder="none" />
        </label>
      </div>
      <div class="row">
        <label class="field">Allowed models <small>comma-separated, * at the end matches a prefix; empty = all</small>
          <input name="allowed_models" maxlength="4000" defaultValue=${existing?.allowed_models?.join(", ") ?? ""} placeholder="e.g. claude-*, gpt-4o-mini" />
        </label>
        <label class="field">Concurrent requests <small>in flight at once; empty = no cap</small>
          <input name="max_concurrent" type="number" min="1" step="1" defaultValue=${existing?.max_concurrent ?? ""} placeholder="none" />
        </label>
      </div>
      ${error ? html`<p class="error-note" role="alert">${error}</p>` : null}
      <footer class="modal-foot">
        <button type="button" onClick=${onClose}>Cancel</button>
        <button type="submit" class="primary" disabled=${busy}>${busy ? "Saving…" : existing ? "Save" : "Create key"}</button>
      </footer>
    </form>
  <//>`;
}

function RotateKey({ k, onClose, onDone }: { k: Key; onClose: () => void; onDone: (r: KeyRotated) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return html`<${Confirm}
    title=${`Rotate “${k.name}”?`}
    message=${html`<p>A new secret is issued now. The current one (<code>${k.key_prefix}</code>) keeps working for 24 hours, so clients can switch without downtime, and then stops.</p>`}
    action="Rotate key"
    tone="primary"
    busy=${busy}
    error=${error}
    onClose=${onClose}
    onConfirm=${async () => {
      setBusy(true);
      try {
        onDone(await request<KeyRotated>("POST", `/admin/keys/${k.id}/rotate`));
      } catch (err) {
        setError(err instanceof ApiError ? err.message : String(err));
        setBusy(false);
      }
    }}
  />`;
}

function RevokeKey({ k, onClose, onDone }: { k: Key; onClose: () => void; onDone: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return html`<${Confirm}
    title=${`Revoke “${k.name}”?`}
    message=${html`<p>Requests with <code>${k.key_prefix}</code> are refused (403) within a second, on every gateway instance. This cannot be undone.</p>`}
    action="Revoke key"
    busy=${busy}
    error=${error}
    onClose=${onClose}
    onConfirm=${async () => {
      setBusy(true);
      try {
        await request<Key>("DELETE", `/admin/keys/${k.id}`);
        onDone();
      } catch (err) {
        setError(err instanceof ApiError ? err.message : String(err));
        setBusy(false);
      }
    }}
  />`;
}

/** The secret exists only in this dialog: the server keeps its hash, and closing the dialog forgets it. */
function SecretOnce({
  created,
  rotated,
  onClose,
}: {
  created: KeyCreated;
  rotated?: Key;
  onClose: () => void;
}) {
  const [copied, setCopied] = useState<"" | "ok" | "failed">("");
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(created.api_key);
      setCopied("ok");
    } catch {
      // Clipboard access needs a secure context; selecting the text still lets people copy by hand.
      setCopied("failed");
    }
  };
  return html`<${Modal} title=${rotated ? "Key rotated: copy the new secret" : "Key created: copy the secret"} onClose=${onClose} wide>
    <div class="modal-body">
      <p class="warning" role="note"><strong>This is the only time the secret is shown.</strong> Snodus stores only its hash: copy it now and keep it somewhere safe. If you lose it, rotate the key.</p>
      <label class="field">Secret for “${created.name}”
        <div class="secret">
          <input readonly value=${created.api_key} data-secret onFocus=${(e: Event) => (e.currentTarget as HTMLInputElement).select()} spellcheck="false" />
          <button type="button" class="primary" onClick=${copy}>${copied === "ok" ? "Copied" : "Copy"}</button>
        </div>
      </label>
      <p class="fine" aria-live="polite">${copied === "ok" ? "Copied to the clipboard." : copied === "failed" ? "Copying is not allowed here: select the text and copy it by hand." : ""}</p>
      ${rotated?.expires_at ? html`<p>The old key <code>${rotated.key_prefix}</code> keeps working until ${stamp(rotated.expires_at)}.</p>` : null}
      <p class="fine">Use it as <code>Authorization: Bearer …</code> or <code>ANTHROPIC_AUTH_TOKEN</code>.</p>
    </div>
    <footer class="modal-foot"><button type="button" onClick=${onClose}>I have saved it</button></footer>
  <//>`;
}
