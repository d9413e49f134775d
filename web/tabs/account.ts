// Account: a team's plan and its usage against every cap this month; the global admin can change the plan.
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { ApiError, get, request } from "../api.ts";
import { cents, count, day, int, money, short } from "../format.ts";
import { setParams } from "../route.ts";
import type { Account, Plan, Team } from "../types.ts";
import { Confirm } from "../ui/dialog.ts";
import { Empty, ErrorNote, Loading, Progress } from "../ui/parts.ts";
import { useResource } from "../ui/resource.ts";
import { Section, type TabProps, useTeams } from "./common.ts";
import { ProvidersSection } from "./providers.ts";

const unlimited = (n: number | null, fmt: (n: number) => string) => (n === null ? "unlimited" : fmt(n));
const price = (p: Plan) =>
  p.price_cents === null ? "Contact us" : p.price_cents === 0 ? "$0" : `${cents(p.price_cents)}/month`;

export function AccountTab({ principal, params }: TabProps) {
  const teams = useTeams();
  const list = teams.data?.data ?? [];
  const teamId = principal.kind === "team" ? principal.team.id : (params.get("team") ?? list[0]?.id ?? "");
  const account = useResource(`account:${teamId}`, (s) =>
    teamId ? get<Account>(`/admin/teams/${teamId}/account`, {}, s) : Promise.resolve(null),
  );
  const plans = useResource("plans", (s) => get<{ data: Plan[] }>("/admin/plans", {}, s));
  const [changing, setChanging] = useState<Plan | null>(null);

  return html`<div class="tab">
    <div class="toolbar">
      <h1>Account</h1>
      <div class="toolbar-controls">
        ${
          principal.kind === "global" && list.length
            ? html`<label class="inline">Team
                <select value=${teamId} onChange=${(e: Event) => setParams("account", { team: (e.currentTarget as HTMLSelectElement).value })}>
                  ${list.map((t: Team) => html`<option value=${t.id}>${t.name}</option>`)}
                </select>
              </label>`
            : null
        }
      </div>
    </div>
    ${
      teams.error
        ? html`<${ErrorNote} error=${teams.error} retry=${teams.reload} />`
        : teams.data && !teamId
          ? html`<${Empty}>No teams yet. Create one under <a href="#/users">Users & Teams</a>.<//>`
          : account.error
            ? html`<${ErrorNote} error=${account.error} retry=${account.reload} />`
            : !account.data
              ? html`<${Loading} />`
              : html`<${Usage} a=${account.data} />`
    }
    ${
      account.data
        ? html`<${Section} title="Plans" id="plans-title">
            ${
              plans.error
                ? html`<${ErrorNote} error=${plans.error} retry=${plans.reload} />`
                : !plans.data
                  ? html`<${Loading} />`
                  : html`<div class="plans">
                      ${plans.data.data.map((p) => {
                        const current = p.id === account.data?.team.plan;
                        return html`<article class=${current ? "plan current" : "plan"} aria-current=${current ? "true" : undefined}>
                          <h3>${p.name}</h3>
                          <p class="plan-price">${price(p)}</p>
                          <ul>
                            <li>${unlimited(p.tokens_per_month, short)} tokens / month</li>
                            <li>${count(p.max_users, "user")}</li>
                            <li>${count(p.max_keys, "key")}</li>
                          </ul>
                          ${
                            current
                              ? html`<span class="badge ok">Current plan</span>`
                              : principal.kind === "global"
                                ? html`<button type="button" onClick=${() => setChanging(p)}>Switch to ${p.name}</button>`
                                : null
                          }
                        </article>`;
                      })}
                    </div>
                    ${principal.kind === "team" ? html`<p class="fine">Plan changes are made by the gateway's global administrator.</p>` : null}`
            }
          <//>`
        : null
    }
    <${ProvidersSection} />
    ${
      changing && account.data
        ? html`<${ChangePlan} team=${account.data.team} plan=${changing} onClose=${() => setChanging(null)} onDone=${() => {
            setChanging(null);
            account.reload();
            teams.reload();
          }} />`
        : null
    }
  </div>`;
}

function Usage({ a }: { a: Account }) {
  const to = new Date(new Date(a.period.to).getTime() - 1).toISOString();
  return html`<${Section} title=${`${a.team.name} · ${a.plan?.name ?? a.team.plan} plan`} id="usage-title">
    <p class="fine">This month (UTC): ${day(a.period.from)} – ${day(to)} · ${int(a.requests)} requests</p>
    <div class="usage" data-account=${a.team.id}>
      <${Progress}
        label="Tokens (input + output)"
        fraction=${a.tokens.fraction}
        text=${a.tokens.limit === null ? `${int(a.tokens.used)} · unlimited` : `${int(a.tokens.used)} of ${int(a.tokens.limit)}`}
      />
      <${Progress}
        label="Spend"
        fraction=${a.spend_micros.fraction}
        text=${a.spend_micros.limit === null ? `${money(a.spend_micros.used)} · no budget` : `${money(a.spend_micros.used)} of ${money(a.spend_micros.limit)}`}
      />
      <${Progress}
        label="Active keys"
        fraction=${a.keys.fraction}
        text=${a.keys.limit === null ? `${int(a.keys.used)} · unlimited` : `${int(a.keys.used)} of ${int(a.keys.limit)}`}
      />
      <${Progress}
        label="Users"
        fraction=${a.users.fraction}
        text=${a.users.limit === null ? `${int(a.users.used)} · unlimited` : `${int(a.users.used)} of ${int(a.users.limit)}`}
      />
    </div>
  <//>`;
}

function ChangePlan({
  team,
  plan,
  onClose,
  onDone,
}: {
  team: Team;
  plan: Plan;
  onClose: () => void;
  onDone: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return html`<${Confirm}
    title=${`Move ${team.name} to ${plan.name}?`}
    message=${html`<p>${plan.name} allows ${unlimited(plan.tokens_per_month, short)} tokens a month, ${count(plan.max_users, "user")} and ${count(plan.max_keys, "key")}. Where plan enforcement is on (<code>SNODUS_FEATURES_PLANS</code>) the caps apply at once to new requests, users and keys; existing users and keys are kept.</p>`}
    action="Change plan"
    tone="primary"
    busy=${busy}
    error=${error}
    onClose=${onClose}
    onConfirm=${async () => {
      setBusy(true);
      try {
        await request<Team>("PATCH", `/admin/teams/${team.id}/plan`, { plan: plan.id });
        onDone();
      } catch (err) {
        setError(err instanceof ApiError ? err.message : String(err));
        setBusy(false);
      }
    }}
  />`;
}
