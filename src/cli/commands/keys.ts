// `snodus keys create|update|list|rotate|revoke`.

import { keyView } from "../../modules/admin/views.ts";
import { GLOBAL } from "../../modules/auth/scope.ts";
import { createKey, listKeys, revokeKey, rotateKey, updateKey } from "../../modules/keys/service.ts";
import { parseAllowedModels } from "../../modules/models/allow-list.ts";
import type { ApiKey, Store } from "../../store/types.ts";
import { CliError, type Command, intFlag, JSON_FLAG, modelsFlag, stringFlag, uuidFlag } from "../command.ts";
import { dollarsFromCents, json, table } from "../output.ts";

const SAVE_WARNING = "Save this key now: it will not be shown again.";

/** What a key's state is, in words an admin reads at a glance. */
export function keyState(k: ApiKey, now: number): string {
  if (!k.isActive) return "revoked";
  if (k.expiresAt && k.expiresAt.getTime() <= now) return "expired";
  if (k.expiresAt) return "expiring";
  return "active";
}

const keyTable = (keys: ApiKey[], now: number) =>
  table(
    [
      "id",
      "prefix",
      "name",
      "user",
      "rate/min",
      "budget/month",
      "models",
      "max conc.",
      "state",
      "expires",
      "last used",
    ],
    keys.map((k) => [
      k.id,
      k.keyPrefix,
      k.name,
      k.userId,
      k.rateLimit,
      dollarsFromCents(k.budgetMonthlyCents),
      k.allowedModels === null ? "all" : k.allowedModels.join(",") || "none",
      k.maxConcurrent ?? "-",
      keyState(k, now),
      k.expiresAt,
      k.lastUsedAt,
    ]),
  );

const LIMIT_FLAGS = {
  "allowed-models": {
    type: "string",
    description: 'models the key may use, comma-separated, e.g. "claude-*,gpt-4o-mini"; "all" or "none"',
  },
  "max-concurrent": { type: "string", description: 'requests in flight at once, or "none" (default none)' },
} as const;

/** The admin API's view of a key (snake_case, never the hash), so `--json` reads like the API. */
async function apiKeyView(store: Store, key: ApiKey, now: number) {
  const user = await store.users.get(key.userId);
  return keyView({ key, teamId: user?.teamId ?? "" }, now);
}

export const keysCommands: Command[] = [
  {
    name: "keys create",
    summary: "create a virtual API key for a user (the secret is printed once)",
    flags: {
      "user-id": { type: "string", description: "owner's user id (UUID)", required: true },
      name: { type: "string", description: "a label, e.g. laptop or ci", required: true },
      "rate-limit": { type: "string", description: "requests per minute (default 60)" },
      budget: { type: "string", description: 'monthly budget in cents, or "none" (default none)' },
      ...LIMIT_FLAGS,
      ...JSON_FLAG,
    },
    async run(ctx, flags) {
      const rateLimit = intFlag(flags, "rate-limit", { min: 1 }) ?? undefined;
      const store = await ctx.store();
      const created = await createKey(store, {
        userId: uuidFlag(flags, "user-id"),
        name: stringFlag(flags, "name") ?? "",
        rateLimit,
        budgetMonthlyCents: intFlag(flags, "budget", { nullable: true }) ?? null,
        allowedModels: modelsFlag(flags, "allowed-models", parseAllowedModels) ?? null,
        maxConcurrent: intFlag(flags, "max-concurrent", { min: 1, nullable: true }) ?? null,
        enforcePlan: ctx.config.featurePlans,
      });
      if (ctx.json)
        ctx.print(
          json({
            ...(await apiKeyView(store, created.key, ctx.now())),
            api_key: created.secret,
            warning: SAVE_WARNING,
          }),
        );
      else ctx.print(`${keyTable([created.key], ctx.now())}\n\napi_key: ${created.secret}\n${SAVE_WARNING}`);
      return 0;
    },
  },
  {
    name: "keys update",
    summary: "change a key's name, rate limit, budget, allowed models or concurrency cap",
    flags: {
      id: { type: "string", description: "key id (UUID)", required: true },
      name: { type: "string", description: "new label" },
      "rate-limit": { type: "string", description: "requests per minute" },
      budget: { type: "string", description: 'monthly budget in cents, or "none"' },
      ...LIMIT_FLAGS,
      ...JSON_FLAG,
    },
    async run(ctx, flags) {
      const updated = await updateKey(await ctx.store(), GLOBAL, uuidFlag(flags, "id"), {
        name: stringFlag(flags, "name"),
        rateLimit: intFlag(flags, "rate-limit", { min: 1 }) ?? undefined,
        budgetMonthlyCents: intFlag(flags, "budget", { nullable: true }),
        allowedModels: modelsFlag(flags, "allowed-models", parseAllowedModels),
        maxConcurrent: intFlag(flags, "max-concurrent", { min: 1, nullable: true }),
      });
      const { key } = updated;
      ctx.print(
        ctx.json
          ? json(keyView(updated, ctx.now()))
          : `updated key ${key.keyPrefix}\n${keyTable([key], ctx.now())}`,
      );
      return 0;
    },
  },
  {
    name: "keys list",
    summary: "list keys (never their secrets)",
    flags: {
      "user-id": { type: "string", description: "only this user's keys" },
      "team-id": { type: "string", description: "only this team's keys" },
      ...JSON_FLAG,
    },
    async run(ctx, flags) {
      const filter = {
        userId: flags["user-id"] === undefined ? undefined : uuidFlag(flags, "user-id"),
        teamId: flags["team-id"] === undefined ? undefined : uuidFlag(flags, "team-id"),
      };
      const found = await listKeys(await ctx.store(), GLOBAL, filter, {
        limit: Number.MAX_SAFE_INTEGER,
        offset: 0,
      });
      ctx.print(
        ctx.json
          ? json({
              data: found.rows.map((k) => keyView(k, ctx.now())),
              total: found.total,
              limit: found.rows.length,
              offset: 0,
            })
          : keyTable(
              found.rows.map((r) => r.key),
              ctx.now(),
            ),
      );
      return 0;
    },
  },
  {
    name: "keys rotate",
    summary: "issue a replacement key; the old one keeps working for 24 hours",
    flags: { id: { type: "string", description: "key id (UUID)", required: true }, ...JSON_FLAG },
    async run(ctx, flags) {
      const store = await ctx.store();
      const id = uuidFlag(flags, "id");
      const existing = await store.keys.get(id);
      if (existing && !existing.isActive)
        throw new CliError(`key ${id} is revoked; create a new key instead`);
      const rotated = await rotateKey(store, id, new Date(ctx.now()));
      if (ctx.json) {
        ctx.print(
          json({
            ...(await apiKeyView(store, rotated.key, ctx.now())),
            api_key: rotated.secret,
            old_key: await apiKeyView(store, rotated.old, ctx.now()),
            warning: SAVE_WARNING,
          }),
        );
      } else {
        ctx.print(
          `${keyTable([rotated.key, rotated.old], ctx.now())}\n\napi_key: ${rotated.secret}\n${SAVE_WARNING}\n` +
            `The old key ${rotated.old.keyPrefix} expires at ${rotated.old.expiresAt?.toISOString()}.`,
        );
      }
      return 0;
    },
  },
  {
    name: "keys revoke",
    summary: "revoke a key immediately",
    flags: { id: { type: "string", description: "key id (UUID)", required: true }, ...JSON_FLAG },
    async run(ctx, flags) {
      const revoked = await revokeKey(await ctx.store(), GLOBAL, uuidFlag(flags, "id"));
      const { key } = revoked;
      ctx.print(ctx.json ? json(keyView(revoked, ctx.now())) : `revoked key ${key.keyPrefix} (${key.id})`);
      return 0;
    },
  },
];
