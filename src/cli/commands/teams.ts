// `snodus teams create|update|list`.
import { teamView } from "../../modules/admin/views.ts";
import { parseAllowedModels } from "../../modules/models/allow-list.ts";
import { createTeam, updateTeam } from "../../modules/teams/service.ts";
import type { Team } from "../../store/types.ts";
import { type Command, intFlag, JSON_FLAG, modelsFlag, stringFlag, uuidFlag } from "../command.ts";
import { dollarsFromCents, json, table } from "../output.ts";

const teamTable = (teams: Team[]) =>
  table(
    ["id", "name", "plan", "budget/month", "models", "created"],
    teams.map((t) => [
      t.id,
      t.name,
      t.plan,
      dollarsFromCents(t.budgetMonthlyCents),
      t.allowedModels === null ? "all" : t.allowedModels.join(",") || "none",
      t.createdAt,
    ]),
  );

const MODELS_FLAG = {
  "allowed-models": {
    type: "string",
    description: 'models the team\'s keys may use, comma-separated, e.g. "claude-*"; "all" or "none"',
  },
} as const;

export const teamsCommands: Command[] = [
  {
    name: "teams create",
    summary: "create a team",
    flags: {
      name: { type: "string", description: "team (company) name, unique", required: true },
      budget: { type: "string", description: 'monthly budget in cents, or "none" (default none)' },
      plan: { type: "string", description: "plan id: free, basic, pro, enterprise (default free)" },
      ...MODELS_FLAG,
      ...JSON_FLAG,
    },
    async run(ctx, flags) {
      const team = await createTeam(await ctx.store(), {
        name: stringFlag(flags, "name") ?? "",
        budgetMonthlyCents: intFlag(flags, "budget", { nullable: true }) ?? null,
        plan: stringFlag(flags, "plan"),
        allowedModels: modelsFlag(flags, "allowed-models", parseAllowedModels) ?? null,
      });
      ctx.print(ctx.json ? json(teamView(team)) : `created team ${team.name}\n${teamTable([team])}`);
      return 0;
    },
  },
  {
    name: "teams update",
    summary: "change a team's name, budget or plan",
    flags: {
      id: { type: "string", description: "team id (UUID)", required: true },
      name: { type: "string", description: "new name" },
      budget: { type: "string", description: 'monthly budget in cents, or "none"' },
      plan: { type: "string", description: "plan id: free, basic, pro, enterprise" },
      ...MODELS_FLAG,
      ...JSON_FLAG,
    },
    async run(ctx, flags) {
      const team = await updateTeam(await ctx.store(), uuidFlag(flags, "id"), {
        name: stringFlag(flags, "name"),
        budgetMonthlyCents: intFlag(flags, "budget", { nullable: true }),
        plan: stringFlag(flags, "plan"),
        allowedModels: modelsFlag(flags, "allowed-models", parseAllowedModels),
      });
      ctx.print(ctx.json ? json(teamView(team)) : `updated team ${team.name}\n${teamTable([team])}`);
      return 0;
    },
  },
  {
    name: "teams list",
    summary: "list teams",
    flags: { ...JSON_FLAG },
    async run(ctx) {
      const teams = await (await ctx.store()).teams.list();
      ctx.print(
        ctx.json
          ? json({ data: teams.map(teamView), total: teams.length, limit: teams.length, offset: 0 })
          : teamTable(teams),
      );
      return 0;
    },
  },
];
