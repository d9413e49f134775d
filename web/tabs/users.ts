// Users & Teams: users (search, page, create, edit) and teams with their plans and budgets (list, create: global admin).
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { ApiError, get, request } from "../api.ts";
import { ago, cents, money, stamp } from "../format.ts";
import { setParams } from "../route.ts";
import type { Paged, Plan, Principal, Team, User } from "../types.ts";
import { Modal } from "../ui/dialog.ts";
import { Pager, pageParam } from "../ui/pager.ts";
import { Empty, ErrorNote, Loading, Time } from "../ui/parts.ts";
import { useResource } from "../ui/resource.ts";
import { Section, type TabProps, TeamPicker, useMonthSpend, useTeams } from "./common.ts";
import { TeamEditForm, UserEditForm } from "./users-edit.ts";

const PAGE_SIZE = 100;

export function UsersTab({ principal, params }: TabProps) {
  const teamId = principal.kind === "team" ? principal.team.id : (params.get("team") ?? "");
  const search = params.get("q") ?? "";
  const page = pageParam(params);
  // Searched and paged on the server: every user is reachable however many there are.
  const query = {
    limit: PAGE_SIZE,
    offset: page * PAGE_SIZE,
    team_id: teamId || undefined,
    search: search.trim() || undefined,
    order: "newest",
  };
  const users = useResource(`users:${JSON.stringify(query)}`, (s) =>
    get<Paged<User>>("/admin/users", query, s),
  );
  const teams = useTeams();
  const month = useMonthSpend("users", teamId);
  const [dialog, setDialog] = useState<
    "user" | "team" | { kind: "edit-user"; user: User } | { kind: "edit-team"; team: Team } | null
  >(null);
  const edited = (reload: () => void) => () => {
    setDialog(null);
    reload();
  };
  const teamName = (id: string) => teams.data?.data.find((t) => t.id === id)?.name ?? "";

  return html`<div class="tab">
    <div class="toolbar">
      <h1>Users & Teams</h1>
      <div class="toolbar-controls">
        <${TeamPicker} tab="users" principal=${principal} teamId=${teamId} />
        <label class="inline"><span class="sr-only">Search users</span>
          <input type="search" placeholder="Search name, email" value=${search} onInput=${(e: Event) => setParams("users", { q: (e.currentTarget as HTMLInputElement).value, page: null })} />
        </label>
      </div>
    </div>
    <${Section}
      title="Users"
      id="users-title"
      actions=${html`<button type="button" class="primary" onClick=${() => setDialog("user")}>New user</button>`}
    >
      ${
        users.error
          ? html`<${ErrorNote} error=${users.error} retry=${users.reload} />`
          : users.data === undefined
            ? html`<${Loading} />`
            : users.data.data.length === 0 && page === 0
              ? html`<${Empty}>${search.trim() ? "No user matches." : "No users yet."}<//>`
              : html`<div class="table-wrap">
                  <table class="data cards">
                    <thead>
                      <tr>
                        <th scope="col">Name</th>
                        <th scope="col">Email</th>
                        ${principal.kind === "global" ? html`<th scope="col">Team</th>` : null}
                        <th scope="col">Role</th>
                        <th scope="col">Status</th>
                        <th scope="col" class="num">This month</th>
                        <th scope="col">Created</th>
                        <th scope="col"><span class="sr-only">Actions</span></th>
                      </tr>
                    </thead>
                    <tbody>
                      ${users.data.data.map(
                        (u) => html`<tr key=${u.id}>
                          <td class="strong">${u.name}</td>
                          <td data-label="Email">${u.email}</td>
                          ${principal.kind === "global" ? html`<td data-label="Team">${teamName(u.team_id)}</td>` : null}
                          <td data-label="Role"><span class=${`badge ${u.role === "admin" ? "route" : "plain"}`}>${u.role}</span></td>
                          <td data-label="Status"><span class=${`badge ${u.is_active ? "ok" : "off"}`}>${u.is_active ? "active" : "inactive"}</span></td>
                          <td data-label="This month" class="num">${month ? money(month.get(u.id) ?? 0) : "…"}</td>
                          <td data-label="Created"><${Time} when=${u.created_at} text=${ago(u.created_at)} title=${stamp(u.created_at)} /></td>
                          <td class="actions"><button type="button" class="small" onClick=${() => setDialog({ kind: "edit-user", user: u })} aria-label=${`Edit ${u.name}`}>Edit</button></td>
                        </tr>`,
                      )}
                    </tbody>
                  </table>
                </div>
                <${Pager} tab="users" page=${page} size=${PAGE_SIZE} shown=${users.data.data.length} total=${users.data.total} noun="users" />`
      }
    <//>
    <${Section}
      title=${principal.kind === "global" ? "Teams" : "Your team"}
      id="teams-title"
      actions=${principal.kind === "global" ? html`<button type="button" onClick=${() => setDialog("team")}>New team</button>` : null}
    >
      ${
        teams.error
          ? html`<${ErrorNote} error=${teams.error} retry=${teams.reload} />`
          : teams.data === undefined
            ? html`<${Loading} />`
            : teams.data.data.length === 0
              ? html`<${Empty}>No teams yet. Create one, then its users and keys.<//>`
              : html`<div class="table-wrap">
                  <table class="data cards">
                    <thead>
                      <tr>
                        <th scope="col">Team</th>
                        <th scope="col">Plan</th>
                        <th scope="col" class="num">Monthly budget</th>
                        <th scope="col">Created</th>
                        <th scope="col"><span class="sr-only">Actions</span></th>
                      </tr>
                    </thead>
                    <tbody>
                      ${teams.data.data.map(
                        (t) => html`<tr key=${t.id}>
                          <td class="strong">${t.name}</td>
                          <td data-label="Plan"><span class="badge plain">${t.plan}</span></td>
                          <td data-label="Monthly budget" class="num">${t.budget_monthly_cents === null ? html`<span class="muted">unlimited</span>` : cents(t.budget_monthly_cents)}</td>
                          <td data-label="Created"><${Time} when=${t.created_at} text=${ago(t.created_at)} title=${stamp(t.created_at)} /></td>
                          <td class="actions">
                            <button type="button" class="small" onClick=${() => setDialog({ kind: "edit-team", team: t })} aria-label=${`Edit team ${t.name}`}>Edit</button>
                            <a class="button small" href=${`#/account?team=${t.id}`}>Account</a>
                            ${principal.kind === "global" ? html`<button type="button" class="small" onClick=${() => setParams("users", { team: t.id })}>Users</button>` : null}
                          </td>
                        </tr>`,
                      )}
                    </tbody>
                  </table>
                </div>`
      }
    <//>
    ${
      dialog === "user"
        ? html`<${UserForm} principal=${principal} teams=${teams.data?.data ?? []} teamId=${teamId} onClose=${() => setDialog(null)} onDone=${() => {
            setDialog(null);
            users.reload();
          }} />`
        : null
    }
    ${typeof dialog === "object" && dialog?.kind === "edit-user" ? html`<${UserEditForm} user=${dialog.user} principal=${principal} onClose=${() => setDialog(null)} onDone=${edited(users.reload)} />` : null}
    ${typeof dialog === "object" && dialog?.kind === "edit-team" ? html`<${TeamEditForm} team=${dialog.team} principal=${principal} onClose=${() => setDialog(null)} onDone=${edited(teams.reload)} />` : null}
    ${
      dialog === "team"
        ? html`<${TeamForm} onClose=${() => setDialog(null)} onDone=${() => {
            setDialog(null);
            teams.reload();
          }} />`
        : null
    }
  </div>`;
}

function UserForm({
  principal,
  teams,
  teamId,
  onClose,
  onDone,
}: {
  principal: Principal;
  teams: Team[];
  teamId: string;
  onClose: () => void;
  onDone: () => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    const field = (n: string) => String(form.get(n) ?? "").trim();
    setBusy(true);
    setError(null);
    try {
      await request<User>("POST", "/admin/users", {
        email: field("email"),
        name: field("name"),
        role: field("role") || "member",
        ...(principal.kind === "global" ? { team_id: field("team_id") } : {}),
      });
      onDone();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
      setBusy(false);
    }
  };
  return html`<${Modal} title="New user" onClose=${onClose}>
    <form class="modal-body form" onSubmit=${submit}>
      <label class="field">Name <input name="name" required maxlength="200" autocomplete="off" autofocus /></label>
      <label class="field">Email <input name="email" type="email" required maxlength="254" autocomplete="off" /></label>
      ${
        principal.kind === "global"
          ? html`<label class="field">Team
              <select name="team_id" required>
                ${teams.map((t) => html`<option value=${t.id} selected=${t.id === teamId}>${t.name}</option>`)}
              </select>
              ${teams.length === 0 ? html`<small>Create a team first.</small>` : null}
            </label>`
          : html`<p class="fine">The user joins ${principal.team.name}.</p>`
      }
      <label class="field">Role
        <select name="role">
          <option value="member">Member — uses keys</option>
          <option value="admin">Admin — can sign in here with their key and manage the team</option>
        </select>
      </label>
      ${error ? html`<p class="error-note" role="alert">${error}</p>` : null}
      <footer class="modal-foot">
        <button type="button" onClick=${onClose}>Cancel</button>
        <button type="submit" class="primary" disabled=${busy}>${busy ? "Creating…" : "Create user"}</button>
      </footer>
    </form>
  <//>`;
}

function TeamForm({ onClose, onDone }: { onClose: () => void; onDone: () => void }) {
  const plans = useResource("plans", (s) => get<{ data: Plan[] }>("/admin/plans", {}, s));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    const field = (n: string) => String(form.get(n) ?? "").trim();
    const budgetRaw = field("budget").replace(/^\$/, "").replaceAll(",", "");
    const budget = budgetRaw ? Math.round(Number(budgetRaw) * 100) : null;
    if (budget !== null && !(Number.isFinite(budget) && budget >= 0))
      return setError("The budget must be an amount in dollars, e.g. 500.");
    setBusy(true);
    setError(null);
    try {
      await request<Team>("POST", "/admin/teams", {
        name: field("name"),
        plan: field("plan"),
        budget_monthly_cents: budget,
      });
      onDone();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
      setBusy(false);
    }
  };
  return html`<${Modal} title="New team" onClose=${onClose}>
    <form class="modal-body form" onSubmit=${submit}>
      <label class="field">Name <input name="name" required maxlength="200" autocomplete="off" autofocus /></label>
      <div class="row">
        <label class="field">Plan
          <select name="plan">
            ${(plans.data?.data ?? [{ id: "free", name: "Free" }]).map((p) => html`<option value=${p.id}>${p.name}</option>`)}
          </select>
        </label>
        <label class="field">Monthly budget <small>USD, empty = unlimited</small>
          <input name="budget" inputmode="decimal" placeholder="unlimited" />
        </label>
      </div>
      ${error ? html`<p class="error-note" role="alert">${error}</p>` : null}
      <footer class="modal-foot">
        <button type="button" onClick=${onClose}>Cancel</button>
        <button type="submit" class="primary" disabled=${busy}>${busy ? "Creating…" : "Create team"}</button>
      </footer>
    </form>
  <//>`;
}
