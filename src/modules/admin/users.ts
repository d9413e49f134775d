// /admin/users: list, get and create (plan max_users) users, within the caller's team.
import { Elysia } from "elysia";
import { StoreNotFoundError } from "../../store/types.ts";
import { assertSees } from "../auth/scope.ts";
import { createUser, listUsers, updateUser } from "../users/service.ts";
import { type AdminAuth, type AdminDeps, adminAuth } from "./auth.ts";
import { NO_QUERY, strictQuery } from "./query.ts";
import {
  ID_ERRORS,
  IdParams,
  pageParams,
  READ_ERRORS,
  rejectUnknown,
  UserCreateBody,
  UserList,
  UserListQuery,
  UserPatchBody,
  UserView,
  WRITE_ERRORS,
} from "./schemas.ts";
import { pageOf, userView } from "./views.ts";

const tags = ["users"];

export function usersRoutes(deps: AdminDeps, auth: AdminAuth) {
  const { store } = deps;
  return new Elysia({ prefix: "/admin/users" })
    .use(adminAuth(auth))
    .get(
      "",
      async ({ scope, query }) => {
        const page = pageParams(query);
        const found = await listUsers(
          store,
          scope,
          { teamId: query.team_id, search: query.search || undefined, newestFirst: query.order === "newest" },
          page,
        );
        return pageOf(found.rows.map(userView), found.total, page);
      },
      {
        ...strictQuery(UserListQuery),
        response: { 200: UserList, ...READ_ERRORS, 404: ID_ERRORS[404] },
        detail: { tags, summary: "List users" },
      },
    )
    .get(
      "/:id",
      async ({ scope, params }) => {
        const user = await store.users.get(params.id);
        if (!user) throw new StoreNotFoundError("user", params.id);
        assertSees(scope, user.teamId, "user", params.id);
        return userView(user);
      },
      {
        params: IdParams,
        ...NO_QUERY,
        response: { 200: UserView, ...ID_ERRORS },
        detail: { tags, summary: "One user (another team's id is 404 for a team admin)" },
      },
    )
    .patch(
      "/:id",
      async ({ scope, params, body }) => {
        const user = await updateUser(store, scope, params.id, {
          name: body.name,
          role: body.role,
          active: body.active,
        });
        // Cached identities carry the user's role and active flag: drop them so the change holds at once.
        deps.keys.invalidateAll();
        return userView(user);
      },
      {
        params: IdParams,
        body: UserPatchBody,
        parse: "json",
        transform: rejectUnknown(UserPatchBody),
        response: { 200: UserView, ...WRITE_ERRORS },
        detail: {
          tags,
          summary: "Change a user's name, role or active flag (a team admin: not their own role)",
        },
      },
    )
    .post(
      "",
      async ({ scope, body, set }) => {
        const user = await createUser(store, {
          email: body.email,
          name: body.name,
          teamId: body.team_id,
          role: body.role,
          enforcePlan: deps.config.featurePlans,
          scope,
        });
        set.status = 201;
        return userView(user);
      },
      {
        body: UserCreateBody,
        parse: "json",
        transform: rejectUnknown(UserCreateBody),
        response: { 201: UserView, ...WRITE_ERRORS },
        detail: { tags, summary: "Create a user (respects the plan's max_users)" },
      },
    );
}
