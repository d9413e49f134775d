// Read-only reports: `snodus status`, `plans`, `budget`, `account`, `providers`.

import type { Config } from "../../config/env.ts";
import { monthStart, nextMonthStart } from "../../modules/account/month.ts";
import { accountSummary, progress } from "../../modules/account/service.ts";
import { providerView } from "../../modules/admin/views.ts";
import { listProviders } from "../../providers/catalog.ts";
import { ProviderRegistry } from "../../providers/registry.ts";
import { VERSION } from "../../version.ts";
import { type CliContext, type Command, JSON_FLAG, stringFlag, uuidFlag } from "../command.ts";
import { dollarsFromCents, dollarsFromMicros, json, percent, table } from "../output.ts";
import { remoteGet, URL_FLAG } from "../remote.ts";

interface StatusSummary {
  version: string;
  store: string;
  providers: { name: string; configured: boolean }[];
  teams: number;
  users: number;
  keys: { total: number; active: number };
  month: { from: string; requests: number; tokens: number; spend_micros: number };
  /** Set when the figures are a running gateway's (`--url`). */
  gateway?: string;
}

/** One provider in the admin API's shape (`GET /admin/providers`). */
type ProviderJson = ReturnType<typeof providerView>;

function printStatus(ctx: CliContext, s: StatusSummary): void {
  if (ctx.json) {
    ctx.print(json(s));
    return;
  }
  ctx.print(
    [
      `Snodus ${s.version} — store: ${s.store}${s.gateway ? ` — gateway ${s.gateway}` : ""}`,
      `providers: ${s.providers.map((p) => `${p.name}${p.configured ? "" : " (not configured)"}`).join(", ")}`,
      `teams: ${s.teams}   users: ${s.users}   keys: ${s.keys.active} active of ${s.keys.total}`,
      `this month: ${s.month.requests.toLocaleString("en-US")} requests, ${s.month.tokens.toLocaleString("en-US")} tokens, ${dollarsFromMicros(s.month.spend_micros)} spent`,
    ].join("\n"),
  );
}

/** The same summary from a running gateway's /health and admin API. */
async function remoteStatus(config: Config, url: string, now: number): Promise<StatusSummary> {
  type Paged = { total: number; data: { status?: string }[] };
  const [health, providers, teams, users, daily] = await Promise.all([
    remoteGet<{ version: string; store: { dialect: string; status: string } }>(config, url, "health"),
    remoteGet<{ data: ProviderJson[] }>(config, url, "admin/providers"),
    remoteGet<Paged>(config, url, "admin/teams?limit=1"),
    remoteGet<Paged>(config, url, "admin/users?limit=1"),
    remoteGet<{
      totals: { requests: number; input_tokens: number; output_tokens: number; cost_micros: number };
    }>(config, url, `admin/analytics/daily?from=${encodeURIComponent(monthStart(now).toISOString())}`),
  ]);
  let total = 0;
  let active = 0;
  for (let offset = 0; ; offset += 500) {
    const page = await remoteGet<Paged>(config, url, `admin/keys?limit=500&offset=${offset}`);
    total = page.total;
    active += page.data.filter((k) => k.status === "active" || k.status === "expiring").length;
    if (offset + 500 >= page.total) break;
  }
  return {
    version: health.version,
    store: `${health.store.dialect}${health.store.status === "ok" ? "" : ` (${health.store.status})`}`,
    providers: providers.data.map((p) => ({ name: p.name, configured: p.configured })),
    teams: teams.total,
    users: users.total,
    keys: { total, active },
    month: {
      from: monthStart(now).toISOString(),
      requests: daily.totals.requests,
      tokens: daily.totals.input_tokens + daily.totals.output_tokens,
      spend_micros: daily.totals.cost_micros,
    },
    gateway: url,
  };
}

const limitText = (n: number | null) => (n === null ? "unlimited" : n.toLocaleString("en-US"));

export const reportCommands: Command[] = [
  {
    name: "status",
    summary: "general summary: store, providers, teams, users, keys, this month's spend",
    flags: { ...URL_FLAG, ...JSON_FLAG },
    async run(ctx, flags) {
      const url = stringFlag(flags, "url");
      if (url) {
        printStatus(ctx, await remoteStatus(ctx.config, url, ctx.now()));
        return 0;
      }
      const store = await ctx.store();
      const now = ctx.now();
      const [teams, users, keys, totals] = await Promise.all([
        store.teams.list(),
        store.users.list(),
        store.keys.list(),
        store.spend.totalsByTeam(monthStart(now), nextMonthStart(now)),
      ]);
      let spend = 0;
      let requests = 0;
      let tokens = 0;
      for (const t of totals.values()) {
        spend += t.costMicros;
        requests += t.requests;
        tokens += t.inputTokens + t.outputTokens;
      }
      const activeKeys = keys.filter(
        (k) => k.isActive && (!k.expiresAt || k.expiresAt.getTime() > now),
      ).length;
      const summary = {
        version: VERSION,
        store: store.dialect,
        providers: listProviders(ctx.config).map((p) => ({ name: p.name, configured: p.configured })),
        teams: teams.length,
        users: users.length,
        keys: { total: keys.length, active: activeKeys },
        month: { from: monthStart(now).toISOString(), requests, tokens, spend_micros: spend },
      };
      printStatus(ctx, summary);
      return 0;
    },
  },
  {
    name: "providers",
    summary: "provider status: configured, reachable, upstream URL, deployments, models",
    flags: { ...URL_FLAG, ...JSON_FLAG },
    async run(ctx, flags) {
      const url = stringFlag(flags, "url");
      // With --url, the running gateway's own view (its admin API probes reachability at each call);
      // either way the shape is the admin API's.
      const providers: ProviderJson[] = url
        ? (await remoteGet<{ data: ProviderJson[] }>(ctx.config, url, "admin/providers")).data
        : (await new ProviderRegistry(ctx.config, fetch, ctx.log).status()).map(providerView);
      if (ctx.json) ctx.print(json({ data: providers }));
      else
        ctx.print(
          table(
            ["provider", "configured", "reachable", "upstream", "deployments", "models"],
            providers.map((p) => [
              p.name,
              p.configured,
              p.reachable === null ? "—" : p.reachable ? "yes" : "NO",
              p.upstream_url,
              // Health is the answering process's view: reachable now, and the weight each one gets.
              p.deployments.length === 0
                ? "—"
                : p.deployments
                    .map((d) => `${d.name} ×${d.weight} ${d.reachable ? "up" : "DOWN"}`)
                    .join(", "),
              p.models.join(", "),
            ]),
          ),
        );
      return 0;
    },
  },
  {
    name: "plans",
    summary: "list plans and their caps",
    flags: { ...JSON_FLAG },
    async run(ctx) {
      const plans = await (await ctx.store()).plans.list();
      if (ctx.json) ctx.print(json(plans));
      else
        ctx.print(
          table(
            ["plan", "name", "price", "tokens/month", "users", "keys"],
            plans.map((p) => [
              p.id,
              p.name,
              p.priceCents === null ? "contact us" : `${dollarsFromCents(p.priceCents)}/month`,
              limitText(p.tokensPerMonth),
              limitText(p.maxUsers),
              limitText(p.maxKeys),
            ]),
          ),
        );
      return 0;
    },
  },
  {
    name: "budget",
    summary: "this month's spend against budget, per team and per key",
    flags: { ...JSON_FLAG },
    async run(ctx) {
      const store = await ctx.store();
      const now = ctx.now();
      const from = monthStart(now);
      const to = nextMonthStart(now);
      const [teams, keys, byTeam, byKey] = await Promise.all([
        store.teams.list(),
        store.keys.list(),
        store.spend.totalsByTeam(from, to),
        store.spend.totalsByKey(from, to),
      ]);
      const rows = [
        ...teams.map((t) => {
          const spent = byTeam.get(t.id)?.costMicros ?? 0;
          const p = progress(spent, t.budgetMonthlyCents === null ? null : t.budgetMonthlyCents * 10_000);
          return {
            kind: "team",
            id: t.id,
            name: t.name,
            spentMicros: spent,
            budgetCents: t.budgetMonthlyCents,
            fraction: p.fraction,
          };
        }),
        ...keys.map((k) => {
          const spent = byKey.get(k.id)?.costMicros ?? 0;
          const p = progress(spent, k.budgetMonthlyCents === null ? null : k.budgetMonthlyCents * 10_000);
          return {
            kind: "key",
            id: k.id,
            name: `${k.name} ${k.keyPrefix}`,
            spentMicros: spent,
            budgetCents: k.budgetMonthlyCents,
            fraction: p.fraction,
          };
        }),
      ];
      if (ctx.json) ctx.print(json({ period: { from: from.toISOString(), to: to.toISOString() }, rows }));
      else
        ctx.print(
          table(
            ["kind", "id", "name", "spent", "budget", "used"],
            rows.map((r) => [
              r.kind,
              r.id,
              r.name,
              dollarsFromMicros(r.spentMicros),
              dollarsFromCents(r.budgetCents),
              percent(r.fraction),
            ]),
          ),
        );
      return 0;
    },
  },
  {
    name: "account",
    summary: "account summary of a team with progress against each cap",
    flags: { "team-id": { type: "string", description: "team id (UUID)", required: true }, ...JSON_FLAG },
    async run(ctx, flags) {
      const a = await accountSummary(await ctx.store(), uuidFlag(flags, "team-id"), ctx.now());
      if (ctx.json) ctx.print(json(a));
      else
        ctx.print(
          [
            `${a.team.name} — plan ${a.plan?.name ?? a.team.plan} (${a.period.from.slice(0, 7)})`,
            table(
              ["", "used", "limit", "progress"],
              [
                [
                  "tokens",
                  a.tokens.used.toLocaleString("en-US"),
                  limitText(a.tokens.limit),
                  percent(a.tokens.fraction),
                ],
                [
                  "spend",
                  dollarsFromMicros(a.spendMicros.used),
                  dollarsFromCents(a.team.budgetMonthlyCents),
                  percent(a.spendMicros.fraction),
                ],
                ["keys", a.keys.used, limitText(a.keys.limit), percent(a.keys.fraction)],
                ["users", a.users.used, limitText(a.users.limit), percent(a.users.fraction)],
              ],
            ),
          ].join("\n"),
        );
      return 0;
    },
  },
];
