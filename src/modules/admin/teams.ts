// /admin/teams: list, create (global admin), allowed models and plan (global admin), and the account summary.
import { Elysia, t } from "elysia";
import { accountSummary } from "../account/service.ts";
import { changePlan, createTeam, listTeams, patchTeam, setTeamAllowedModels } from "../teams/service.ts";
import { type AdminAuth, type AdminDeps, adminAuth } from "./auth.ts";
import { NO_QUERY, strictQuery } from "./query.ts";
import {
  AccountView,
  ID_ERRORS,
  IdParams,
  PageQuery,
  PlanChangeBody,
  pageParams,
  READ_ERRORS,
  rejectUnknown,
  TeamCreateBody,
  TeamList,
  TeamPatchBody,
  TeamView,
  WRITE_ERRORS,
} from "./schemas.ts";
import { accountView, pageOf, teamView } from "./views.ts";

const tags = ["teams"];

export function teamsRoutes(deps: AdminDeps, auth: AdminAuth) {
  const { store, keys: cache, now } = deps;
  return new Elysia({ prefix: "/admin/teams" })
    .use(adminAuth(auth))
    .get(
      "",
      async ({ scope, query }) => {
        const page = pageParams(query);
        const found = await listTeams(store, scope, page);
        return pageOf(found.rows.map(teamView), found.total, page);
      },
      {
        ...strictQuery(t.Object(PageQuery)),
        response: { 200: TeamList, ...READ_ERRORS },
        detail: { tags, summary: "List teams (a team admin sees only their own)" },
      },
    )
    .post(
      "",
      async ({ scope, body, set }) => {
        const team = await createTeam(
          store,
          {
            name: body.name,
            plan: body.plan,
            budgetMonthlyCents: body.budget_monthly_cents,
            allowedModels: body.allowed_models,
          },
          scope,
        );
        set.status = 201;
        return teamView(team);
      },
      {
        body: TeamCreateBody,
        parse: "json",
        transform: rejectUnknown(TeamCreateBody),
        response: { 201: TeamView, ...WRITE_ERRORS },
        detail: { tags, summary: "Create a team (global administrator only)" },
      },
    )
    .patch(
      "/:id",
      async ({ scope, params, body }) => {
        let team = await patchTeam(store, scope, params.id, {
          name: body.name,
          budgetMonthlyCents: body.budget_monthly_cents,
        });
        if (body.allowed_models !== undefined)
          team = await setTeamAllowedModels(store, scope, params.id, body.allowed_models);
        // Cached identities carry the team's budget and list; drop them so they apply at once on this instance.
        cache.invalidateAll();
        return teamView(team);
      },
      {
        params: IdParams,
        body: TeamPatchBody,
        parse: "json",
        transform: rejectUnknown(TeamPatchBody),
        response: { 200: TeamView, ...WRITE_ERRORS },
        detail: {
          tags,
          summary:
            "Rename a team, change its monthly budget (a team admin may only lower it) or its allowed_models (global administrator only)",
        },
      },
    )
    .patch(
      "/:id/plan",
      async ({ scope, params, body }) => {
        const team = await changePlan(store, scope, params.id, body.plan);
        // Cached identities carry the team's plan; drop them so quotas follow at once on this instance.
        cache.invalidateAll();
        return teamView(team);
      },
      {
        params: IdParams,
        body: PlanChangeBody,
        parse: "json",
        transform: rejectUnknown(PlanChangeBody),
        response: { 200: TeamView, ...WRITE_ERRORS },
        detail: { tags, summary: "Change a team's plan (global administrator only)" },
      },
    )
    .get(
      "/:id/account",
      async ({ scope, params }) => accountView(await accountSummary(store, params.id, now(), scope)),
      {
        params: IdParams,
        ...NO_QUERY,
        response: { 200: AccountView, ...ID_ERRORS },
        detail: {
          tags,
          summary: "Account summary: plan, tokens vs quota, spend vs budget, keys and users vs caps",
        },
      },
    );
}
