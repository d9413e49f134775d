// Edit dialogs of the Users & Teams tab: a user's name, role and active flag; a team's name and budget.
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { ApiError, request } from "../api.ts";
import type { Principal, Team, User } from "../types.ts";
import { Modal } from "../ui/dialog.ts";

function useSubmit(send: (form: FormData) => Promise<unknown> | string, onDone: () => void) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      const sent = send(new FormData(e.currentTarget as HTMLFormElement));
      if (typeof sent === "string") return setError(sent);
      setBusy(true);
      await sent;
      onDone();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
      setBusy(false);
    }
  };
  return { error, busy, submit };
}

export function UserEditForm({
  user,
  principal,
  onClose,
  onDone,
}: {
  user: User;
  principal: Principal;
  onClose: () => void;
  onDone: () => void;
}) {
  // The server refuses a team admin's own demotion or deactivation; the form does not offer it.
  const self = principal.kind === "team" && principal.user.id === user.id;
  const { error, busy, submit } = useSubmit((form) => {
    const body: Record<string, unknown> = { name: String(form.get("name") ?? "").trim() };
    if (!self) {
      body.role = String(form.get("role") ?? user.role);
      body.active = form.get("active") === "on";
    }
    return request<User>("PATCH", `/admin/users/${user.id}`, body);
  }, onDone);
  return html`<${Modal} title=${`Edit user “${user.name}”`} onClose=${onClose}>
    <form class="modal-body form" onSubmit=${submit}>
      <p class="fine">${user.email}</p>
      <label class="field">Name <input name="name" required maxlength="200" value=${user.name} autofocus /></label>
      <label class="field">Role
        <select name="role" disabled=${self}>
          <option value="member" selected=${user.role === "member"}>Member — uses keys</option>
          <option value="admin" selected=${user.role === "admin"}>Admin — manages the team</option>
        </select>
      </label>
      <label class="inline switch">
        <input type="checkbox" name="active" checked=${user.is_active} disabled=${self} />
        Active (an inactive user's keys are refused, not revoked)
      </label>
      ${self ? html`<p class="fine">You cannot change your own role or deactivate yourself.</p>` : null}
      ${error ? html`<p class="error-note" role="alert">${error}</p>` : null}
      <footer class="modal-foot">
        <button type="button" onClick=${onClose}>Cancel</button>
        <button type="submit" class="primary" disabled=${busy}>${busy ? "Saving…" : "Save"}</button>
      </footer>
    </form>
  <//>`;
}

export function TeamEditForm({
  team,
  principal,
  onClose,
  onDone,
}: {
  team: Team;
  principal: Principal;
  onClose: () => void;
  onDone: () => void;
}) {
  const { error, busy, submit } = useSubmit((form) => {
    const raw = String(form.get("budget") ?? "")
      .trim()
      .replace(/^\$/, "")
      .replaceAll(",", "");
    const budget = raw ? Math.round(Number(raw) * 100) : null;
    if (budget !== null && !(Number.isFinite(budget) && budget >= 0))
      return "The budget must be an amount in dollars, e.g. 500.";
    return request<Team>("PATCH", `/admin/teams/${team.id}`, {
      name: String(form.get("name") ?? "").trim(),
      budget_monthly_cents: budget,
    });
  }, onDone);
  const current = team.budget_monthly_cents === null ? "" : (team.budget_monthly_cents / 100).toFixed(2);
  return html`<${Modal} title=${`Edit team “${team.name}”`} onClose=${onClose}>
    <form class="modal-body form" onSubmit=${submit}>
      <label class="field">Name <input name="name" required maxlength="200" value=${team.name} autofocus /></label>
      <label class="field">Monthly budget <small>USD, empty = unlimited</small>
        <input name="budget" inputmode="decimal" placeholder="unlimited" value=${current} />
      </label>
      ${principal.kind === "team" ? html`<p class="fine">A team admin can lower the budget; only the global administrator can raise it.</p>` : null}
      ${error ? html`<p class="error-note" role="alert">${error}</p>` : null}
      <footer class="modal-foot">
        <button type="button" onClick=${onClose}>Cancel</button>
        <button type="submit" class="primary" disabled=${busy}>${busy ? "Saving…" : "Save"}</button>
      </footer>
    </form>
  <//>`;
}
