// `snodus users create|update|list`.
import { userView } from "../../modules/admin/views.ts";
import { GLOBAL } from "../../modules/auth/scope.ts";
import { createUser, updateUser, ValidationError } from "../../modules/users/service.ts";
import type { User } from "../../store/types.ts";
import { type Command, JSON_FLAG, stringFlag, uuidFlag } from "../command.ts";
import { json, table } from "../output.ts";

const userTable = (users: User[]) =>
  table(
    ["id", "email", "name", "team", "role", "active", "created"],
    users.map((u) => [u.id, u.email, u.name, u.teamId, u.role, u.isActive, u.createdAt]),
  );

export const usersCommands: Command[] = [
  {
    name: "users create",
    summary: "create a user in a team",
    flags: {
      email: { type: "string", description: "email address, unique", required: true },
      name: { type: "string", description: "display name", required: true },
      "team-id": { type: "string", description: "team id (UUID)", required: true },
      role: { type: "string", description: "admin or member (default member)" },
      ...JSON_FLAG,
    },
    async run(ctx, flags) {
      const user = await createUser(await ctx.store(), {
        email: stringFlag(flags, "email") ?? "",
        name: stringFlag(flags, "name") ?? "",
        teamId: uuidFlag(flags, "team-id"),
        role: stringFlag(flags, "role"),
        enforcePlan: ctx.config.featurePlans,
      });
      ctx.print(ctx.json ? json(userView(user)) : `created user ${user.email}\n${userTable([user])}`);
      return 0;
    },
  },
  {
    name: "users update",
    summary: "change a user's name, role or active flag",
    flags: {
      id: { type: "string", description: "user id (UUID)", required: true },
      name: { type: "string", description: "new display name" },
      role: { type: "string", description: "admin or member" },
      active: { type: "string", description: "true or false (false shuts their keys out, unrevoked)" },
      ...JSON_FLAG,
    },
    async run(ctx, flags) {
      const raw = stringFlag(flags, "active");
      if (raw !== undefined && raw !== "true" && raw !== "false")
        throw new ValidationError("active", `must be true or false (got "${raw}")`);
      const user = await updateUser(await ctx.store(), GLOBAL, uuidFlag(flags, "id"), {
        name: stringFlag(flags, "name"),
        role: stringFlag(flags, "role"),
        active: raw === undefined ? undefined : raw === "true",
      });
      ctx.print(
        ctx.json
          ? json(user)
          : `updated user ${user.email}
${userTable([user])}`,
      );
      return 0;
    },
  },
  {
    name: "users list",
    summary: "list users",
    flags: { "team-id": { type: "string", description: "only this team's users" }, ...JSON_FLAG },
    async run(ctx, flags) {
      const teamId = flags["team-id"] === undefined ? undefined : uuidFlag(flags, "team-id");
      const users = await (await ctx.store()).users.list({ teamId });
      ctx.print(
        ctx.json
          ? json({ data: users.map(userView), total: users.length, limit: users.length, offset: 0 })
          : userTable(users),
      );
      return 0;
    },
  },
];
