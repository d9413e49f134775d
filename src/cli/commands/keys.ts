// `snodus keys create|list|rotate|revoke`.
import { createKey, rotateKey } from "../../modules/keys/service.ts";
import type { ApiKey } from "../../store/types.ts";
import { CliError, type Command, intFlag, JSON_FLAG, stringFlag, uuidFlag } from "../command.ts";
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
    ["id", "prefix", "name", "user", "rate/min", "budget/month", "state", "expires", "last used"],
    keys.map((k) => [
      k.id,
      k.keyPrefix,
      k.name,
      k.userId,
      k.rateLimit,
      dollarsFromCents(k.budgetMonthlyCents),
      keyState(k, now),
      k.expiresAt,
      k.lastUsedAt,
    ]),
  );

// Public view: never the hash.
const publicKey = ({ keyHash: _hash, ...rest }: ApiKey) => rest;

export const keysCommands: Command[] = [
  {
    name: "keys create",
    summary: "create a virtual API key for a user (the secret is printed once)",
    flags: {
      "user-id": { type: "string", description: "owner's user id (UUID)", required: true },
      name: { type: "string", description: "a label, e.g. laptop or ci", required: true },
      "rate-limit": { type: "string", description: "requests per minute (default 60)" },
      budget: { type: "string", description: 'monthly budget in cents, or "none" (default none)' },
      ...JSON_FLAG,
    },
    async run(ctx, flags) {
      const rateLimit = intFlag(flags, "rate-limit", { min: 1 }) ?? undefined;
      const created = await createKey(await ctx.store(), {
        userId: uuidFlag(flags, "user-id"),
        name: stringFlag(flags, "name") ?? "",
        rateLimit,
        budgetMonthlyCents: intFlag(flags, "budget", { nullable: true }) ?? null,
        enforcePlan: ctx.config.featurePlans,
      });
      if (ctx.json)
        ctx.print(json({ ...publicKey(created.key), api_key: created.secret, warning: SAVE_WARNING }));
      else ctx.print(`${keyTable([created.key], ctx.now())}\n\napi_key: ${created.secret}\n${SAVE_WARNING}`);
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
      const keys = await (await ctx.store()).keys.list({
        userId: flags["user-id"] === undefined ? undefined : uuidFlag(flags, "user-id"),
        teamId: flags["team-id"] === undefined ? undefined : uuidFlag(flags, "team-id"),
      });
      ctx.print(ctx.json ? json(keys.map(publicKey)) : keyTable(keys, ctx.now()));
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
            ...publicKey(rotated.key),
            api_key: rotated.secret,
            old_key: publicKey(rotated.old),
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
      const key = await (await ctx.store()).keys.revoke(uuidFlag(flags, "id"));
      ctx.print(ctx.json ? json(publicKey(key)) : `revoked key ${key.keyPrefix} (${key.id})`);
      return 0;
    },
  },
];
