// /admin/keys: list, get, create (plan max_keys), update, rotate (old key valid 24 h), revoke — within the caller's team.
import { Elysia } from "elysia";
import { createKey, findKey, listKeys, revokeKey, rotateKey, updateKey } from "../keys/service.ts";
import { ValidationError } from "../users/service.ts";
import { type AdminAuth, type AdminDeps, adminAuth } from "./auth.ts";
import { NO_QUERY, strictQuery } from "./query.ts";
import {
  ID_ERRORS,
  IdParams,
  KeyCreateBody,
  KeyCreated,
  KeyList,
  KeyListQuery,
  KeyPatchBody,
  KeyRotated,
  KeyView,
  pageParams,
  READ_ERRORS,
  rejectUnknown,
  WRITE_ERRORS,
} from "./schemas.ts";
import { keyView, pageOf } from "./views.ts";

const tags = ["keys"];

export function keysRoutes(deps: AdminDeps, auth: AdminAuth) {
  const { store, keys: cache, now } = deps;
  return new Elysia({ prefix: "/admin/keys" })
    .use(adminAuth(auth))
    .get(
      "",
      async ({ scope, query }) => {
        const page = pageParams(query);
        const found = await listKeys(
          store,
          scope,
          {
            teamId: query.team_id,
            userId: query.user_id,
            search: query.search || undefined,
            active: query.status === undefined ? undefined : query.status === "active",
            newestFirst: query.order === "newest",
          },
          page,
        );
        return pageOf(
          found.rows.map((k) => keyView(k, now())),
          found.total,
          page,
        );
      },
      {
        ...strictQuery(KeyListQuery),
        response: { 200: KeyList, ...READ_ERRORS, 404: ID_ERRORS[404] },
        detail: { tags, summary: "List virtual keys" },
      },
    )
    .post(
      "",
      async ({ scope, body, set }) => {
        // A team admin's key defaults to themselves; the global administrator has no user of its own.
        const userId = body.user_id ?? (scope.kind === "team" ? scope.userId : undefined);
        if (!userId) throw new ValidationError("user_id", "is required");
        const created = await createKey(store, {
          userId,
          name: body.name,
          rateLimit: body.rate_limit,
          budgetMonthlyCents: body.budget_monthly_cents,
          allowedModels: body.allowed_models,
          maxConcurrent: body.max_concurrent,
          enforcePlan: deps.config.featurePlans,
          scope,
        });
        const user = await store.users.get(userId);
        set.status = 201;
        return {
          ...keyView({ key: created.key, teamId: user?.teamId ?? "" }, now()),
          api_key: created.secret,
        };
      },
      {
        body: KeyCreateBody,
        parse: "json",
        transform: rejectUnknown(KeyCreateBody),
        response: { 201: KeyCreated, ...WRITE_ERRORS },
        detail: {
          tags,
          summary: "Create a key (respects the plan's max_keys); the secret is returned once",
        },
      },
    )
    .get(
      "/:id",
      async ({ scope, params }) => {
        const found = await findKey(store, scope, params.id);
        return keyView({ key: found.key, teamId: found.team.id }, now());
      },
      {
        params: IdParams,
        ...NO_QUERY,
        response: { 200: KeyView, ...ID_ERRORS },
        detail: { tags, summary: "One key (another team's id is 404 for a team admin)" },
      },
    )
    .patch(
      "/:id",
      async ({ scope, params, body }) => {
        const updated = await updateKey(store, scope, params.id, {
          name: body.name,
          rateLimit: body.rate_limit,
          budgetMonthlyCents: body.budget_monthly_cents,
          allowedModels: body.allowed_models,
          maxConcurrent: body.max_concurrent,
        });
        cache.invalidateKey(params.id);
        return keyView(updated, now());
      },
      {
        params: IdParams,
        body: KeyPatchBody,
        parse: "json",
        transform: rejectUnknown(KeyPatchBody),
        response: { 200: KeyView, ...WRITE_ERRORS },
        detail: {
          tags,
          summary: "Update a key's name, rate_limit, budget_monthly_cents, allowed_models or max_concurrent",
        },
      },
    )
    .post(
      "/:id/rotate",
      async ({ scope, params, set }) => {
        const rotated = await rotateKey(store, params.id, new Date(now()), scope);
        cache.invalidateKey(params.id);
        const user = await store.users.get(rotated.key.userId);
        const teamId = user?.teamId ?? "";
        set.status = 201;
        return {
          ...keyView({ key: rotated.key, teamId }, now()),
          api_key: rotated.secret,
          old_key: keyView({ key: rotated.old, teamId }, now()),
        };
      },
      {
        params: IdParams,
        response: { 201: KeyRotated, ...WRITE_ERRORS },
        detail: { tags, summary: "Rotate a key: a new secret now, the old one expires in 24 h" },
      },
    )
    .delete(
      "/:id",
      async ({ scope, params }) => {
        const revoked = await revokeKey(store, scope, params.id);
        // Effective at once on this instance; other instances re-read cached keys within a second.
        cache.invalidateKey(params.id);
        return keyView(revoked, now());
      },
      {
        params: IdParams,
        response: { 200: KeyView, ...ID_ERRORS },
        detail: { tags, summary: "Revoke a key (immediate and final)" },
      },
    );
}
