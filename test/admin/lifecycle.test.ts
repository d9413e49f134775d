// User and team lifecycle on both dialects: PATCH /admin/users/{id} and /admin/teams/{id} (scoped: a
// team admin cannot raise their team's budget or demote themselves), `snodus users update`, and the
// monthly chargeback export, exact across a month boundary.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { runCli } from "../../src/cli/main.ts";
import { DIALECTS } from "../helpers/databases.ts";
import { parseCsv } from "./csv-parser.ts";
import { type AdminFixture, adminFixture, MISSING_ID, spendRow } from "./fixture.ts";

for (const dialect of DIALECTS) {
  describe(`user and team lifecycle on ${dialect}`, () => {
    let fx: AdminFixture;
    beforeAll(async () => {
      fx = await adminFixture(dialect);
    });
    afterAll(async () => fx.close());

    test("PATCH /admin/users/{id}: name, role and active, and every refusal", async () => {
      const res = await fx.call("PATCH", `/admin/users/${fx.a.member.id}`, {
        body: { name: "Renamed", role: "admin", active: false },
      });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ name: "Renamed", role: "admin", is_active: false });
      expect((await fx.call("GET", `/admin/users/${fx.a.member.id}`)).json.is_active).toBe(false);
      // The deactivated user's key is shut out at once.
      const shut = await fx.call("GET", "/admin/keys", { auth: fx.bearer(fx.a.memberSecret) });
      expect(shut.status).toBe(403);
      const back = await fx.call("PATCH", `/admin/users/${fx.a.member.id}`, {
        body: { role: "member", active: true },
      });
      expect(back.json).toMatchObject({ role: "member", is_active: true });

      const asA = { auth: fx.bearer(fx.a.secret) };
      expect(
        (await fx.call("PATCH", `/admin/users/${fx.a.member.id}`, { ...asA, body: { name: "M" } })).status,
      ).toBe(200);
      expect(
        (await fx.call("PATCH", `/admin/users/${fx.b.member.id}`, { ...asA, body: { name: "x" } })).status,
      ).toBe(404);
      const self = await fx.call("PATCH", `/admin/users/${fx.a.admin.id}`, {
        ...asA,
        body: { role: "member" },
      });
      expect(self.status).toBe(403);
      const selfOff = await fx.call("PATCH", `/admin/users/${fx.a.admin.id}`, {
        ...asA,
        body: { active: false },
      });
      expect(selfOff.status).toBe(403);
      for (const [body, field] of [
        [{ team_id: fx.b.team.id }, "team_id"],
        [{ role: "owner" }, "body.role"],
        [{ name: "" }, "body.name"],
        [{ active: "no" }, "body.active"],
      ] as const) {
        const bad = await fx.call("PATCH", `/admin/users/${fx.a.member.id}`, { body });
        expect([bad.status, bad.json?.error?.field]).toEqual([422, field]);
      }
      expect((await fx.call("PATCH", `/admin/users/${fx.a.member.id}`, { body: {} })).status).toBe(422);
      expect((await fx.call("PATCH", `/admin/users/${MISSING_ID}`, { body: { name: "x" } })).status).toBe(
        404,
      );
    });

    test("PATCH /admin/teams/{id}: the global admin sets anything; a team admin may only lower the budget", async () => {
      const set = await fx.call("PATCH", `/admin/teams/${fx.a.team.id}`, {
        body: { name: `Renamed ${dialect}`, budget_monthly_cents: 5_000 },
      });
      expect(set.status).toBe(200);
      expect(set.json).toMatchObject({ name: `Renamed ${dialect}`, budget_monthly_cents: 5_000 });

      const asA = { auth: fx.bearer(fx.a.secret) };
      const lower = await fx.call("PATCH", `/admin/teams/${fx.a.team.id}`, {
        ...asA,
        body: { budget_monthly_cents: 4_000 },
      });
      expect([lower.status, lower.json.budget_monthly_cents]).toEqual([200, 4_000]);
      const raise = await fx.call("PATCH", `/admin/teams/${fx.a.team.id}`, {
        ...asA,
        body: { budget_monthly_cents: 4_001 },
      });
      expect(raise.status).toBe(403);
      const lift = await fx.call("PATCH", `/admin/teams/${fx.a.team.id}`, {
        ...asA,
        body: { budget_monthly_cents: null },
      });
      expect(lift.status).toBe(403);
      const rename = await fx.call("PATCH", `/admin/teams/${fx.a.team.id}`, {
        ...asA,
        body: { name: `A ${dialect}` },
      });
      expect(rename.status).toBe(200);
      const other = await fx.call("PATCH", `/admin/teams/${fx.b.team.id}`, {
        ...asA,
        body: { name: "mine" },
      });
      expect(other.status).toBe(404);
      expect((await fx.store.teams.get(fx.a.team.id))?.budgetMonthlyCents).toBe(4_000);
      const taken = await fx.call("PATCH", `/admin/teams/${fx.a.team.id}`, {
        body: { name: fx.b.team.name },
      });
      expect(taken.status).toBe(409);
      const bad = await fx.call("PATCH", `/admin/teams/${fx.a.team.id}`, { body: { plan: "pro" } });
      expect([bad.status, bad.json?.error?.field]).toEqual([422, "plan"]);
    });

    test("snodus users update changes name, role and active", async () => {
      const out: string[] = [];
      const io = {
        out: (s: string) => out.push(s),
        err: (s: string) => out.push(s),
        env: {
          DATABASE_URL:
            fx.config.database.kind === "sqlite" ? fx.config.database.path : fx.config.database.url,
        },
      };
      const code = await runCli(
        [
          "users",
          "update",
          "--id",
          fx.b.member.id,
          "--name",
          "From CLI",
          "--role",
          "admin",
          "--active",
          "false",
          "--json",
        ],
        io,
      );
      expect(code).toBe(0);
      expect(JSON.parse(out.join(""))).toMatchObject({ name: "From CLI", role: "admin", isActive: false });
      expect(await runCli(["users", "update", "--id", fx.b.member.id, "--active", "maybe"], io)).toBe(1);
      await fx.store.users.update(fx.b.member.id, { role: "member", isActive: true });
    });

    test("monthly export: per team and per key, with names, exact across a month boundary", async () => {
      const a = { apiKeyId: fx.a.adminKey.id, userId: fx.a.admin.id, teamId: fx.a.team.id };
      const am = { apiKeyId: fx.a.memberKey.id, userId: fx.a.member.id, teamId: fx.a.team.id };
      const b = { apiKeyId: fx.b.adminKey.id, userId: fx.b.admin.id, teamId: fx.b.team.id };
      await fx.store.spend.insertMany([
        spendRow({ ...a, createdAt: new Date("2026-10-31T23:59:59.999Z"), costMicros: 100, inputTokens: 1 }),
        spendRow({ ...a, createdAt: new Date("2026-11-01T00:00:00.000Z"), costMicros: 200, inputTokens: 2 }),
        spendRow({ ...am, createdAt: new Date("2026-11-15T00:00:00.000Z"), costMicros: 400, inputTokens: 4 }),
        spendRow({ ...b, createdAt: new Date("2026-11-30T23:59:59.999Z"), costMicros: 800, inputTokens: 8 }),
        spendRow({
          ...b,
          createdAt: new Date("2026-12-01T00:00:00.000Z"),
          costMicros: 1_600,
          inputTokens: 16,
        }),
      ]);
      const range = "from=2026-10-01&to=2026-12-31";
      const teams = await fx.call("GET", `/admin/analytics/export/monthly?${range}`);
      expect(teams.status).toBe(200);
      expect(teams.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      const [header, ...rows] = parseCsv(teams.text);
      expect(header).toEqual([
        "month",
        "team_id",
        "team_name",
        "requests",
        "input_tokens",
        "output_tokens",
        "cache_creation_input_tokens",
        "cache_read_input_tokens",
        "cost_micros",
        "cost_cents",
      ]);
      const nameA = (await fx.store.teams.get(fx.a.team.id))?.name;
      const pick = (r: string[]) => [r[0], r[2], r[3], r[4], r[8]];
      expect(rows.map(pick).sort()).toEqual(
        [
          ["2026-10", nameA, "1", "1", "100"],
          ["2026-11", nameA, "2", "6", "600"],
          ["2026-11", fx.b.team.name, "1", "8", "800"],
          ["2026-12", fx.b.team.name, "1", "16", "1600"],
        ].sort(),
      );
      const keys = await fx.call(
        "GET",
        `/admin/analytics/export/monthly?${range}&by=key&team_id=${fx.a.team.id}`,
      );
      const [kh, ...kr] = parseCsv(keys.text);
      expect(kh?.slice(0, 7)).toEqual([
        "month",
        "team_id",
        "team_name",
        "api_key_id",
        "key_name",
        "user_id",
        "user_email",
      ]);
      expect(kr.map((r) => [r[0], r[4], r[6], r[12]]).sort()).toEqual(
        [
          ["2026-10", fx.a.adminKey.name, fx.a.admin.email, "100"],
          ["2026-11", fx.a.adminKey.name, fx.a.admin.email, "200"],
          ["2026-11", fx.a.memberKey.name, fx.a.member.email, "400"],
        ].sort(),
      );
      // A team admin's chargeback covers their team only.
      const scoped = await fx.call("GET", `/admin/analytics/export/monthly?${range}`, {
        auth: fx.bearer(fx.b.secret),
      });
      expect(
        parseCsv(scoped.text)
          .slice(1)
          .map((r) => r[1]),
      ).toEqual([fx.b.team.id, fx.b.team.id]);
      const bad = await fx.call("GET", `/admin/analytics/export/monthly?by=user`);
      expect(bad.status).toBe(422);
    });
  });
}
