// Cross-tenant matrix: team A's admin key against team B's ids gets 404/403 on every route and changes nothing.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { DIALECTS } from "../helpers/databases.ts";
import { parseCsv } from "./csv-parser.ts";
import { type AdminFixture, adminFixture, type CallOptions, snapshot, spendRow } from "./fixture.ts";

for (const dialect of DIALECTS) {
  describe(`tenant isolation on ${dialect}`, () => {
    let fx: AdminFixture;
    beforeAll(async () => {
      fx = await adminFixture(dialect);
      for (const t of [fx.a, fx.b])
        await fx.store.spend.insertMany([
          spendRow({
            apiKeyId: t.adminKey.id,
            userId: t.admin.id,
            teamId: t.team.id,
            createdAt: new Date("2026-11-10T00:00:00Z"),
          }),
        ]);
    });
    afterAll(async () => fx.close());

    const asA = (): CallOptions => ({ auth: fx.bearer(fx.a.secret) });

    test("every route called by team A's admin with team B's ids → 404 (or 403), store unchanged", async () => {
      const { b } = fx;
      const before = await snapshot(fx.store);
      const range = "from=2026-11-01&to=2026-11-30";
      const matrix: [string, string, unknown?][] = [
        ["GET", `/admin/keys?team_id=${b.team.id}`],
        ["GET", `/admin/keys?user_id=${b.member.id}`],
        ["POST", "/admin/keys", { user_id: b.member.id, name: "stolen" }],
        ["GET", `/admin/keys/${b.memberKey.id}`],
        ["GET", `/admin/users/${b.member.id}`],
        ["PATCH", `/admin/keys/${b.memberKey.id}`, { rate_limit: 1 }],
        ["PATCH", `/admin/keys/${b.memberKey.id}`, { budget_monthly_cents: 0 }],
        ["POST", `/admin/keys/${b.memberKey.id}/rotate`],
        ["DELETE", `/admin/keys/${b.adminKey.id}`],
        ["GET", `/admin/users?team_id=${b.team.id}`],
        ["POST", "/admin/users", { email: "intruder@example.com", name: "I", team_id: b.team.id }],
        ["PATCH", `/admin/teams/${b.team.id}/plan`, { plan: "free" }],
        ["GET", `/admin/teams/${b.team.id}/account`],
        ...["daily", "models", "users", "providers", "routing", "recent", "export"].map(
          (r): [string, string] => ["GET", `/admin/analytics/${r}?${range}&team_id=${b.team.id}`],
        ),
      ];
      for (const [method, path, body] of matrix) {
        const res = await fx.call(method, path, { ...asA(), body });
        expect([method, path, res.status]).toEqual([method, path, 404]);
        expect(res.json.error.code).toBe("not_found");
        // The answer never echoes B's data.
        expect(res.text).not.toContain(b.team.name);
      }
      expect(await snapshot(fx.store)).toEqual(before);
      // The key A's admin tried to revoke still works.
      expect((await fx.call("GET", "/admin/teams", { auth: fx.bearer(b.secret) })).status).toBe(200);
    });

    test("a single key or user: its own team's reads; unknown and malformed ids answer 404 and 422", async () => {
      const { a, b } = fx;
      const key = await fx.call("GET", `/admin/keys/${a.memberKey.id}`, asA());
      expect(key.status).toBe(200);
      expect(key.json).toMatchObject({ id: a.memberKey.id, team_id: a.team.id });
      expect(key.text).not.toContain("key_hash");
      const user = await fx.call("GET", `/admin/users/${a.member.id}`, asA());
      expect(user.status).toBe(200);
      expect(user.json).toMatchObject({ id: a.member.id, team_id: a.team.id, email: a.member.email });
      // The global administrator reads any team's.
      const global = await fx.call("GET", `/admin/keys/${b.memberKey.id}`, {});
      expect(global.json).toMatchObject({ id: b.memberKey.id, team_id: b.team.id });
      const missing = Bun.randomUUIDv7();
      expect((await fx.call("GET", `/admin/keys/${missing}`, asA())).status).toBe(404);
      expect((await fx.call("GET", `/admin/users/${missing}`, {})).status).toBe(404);
      expect((await fx.call("GET", "/admin/users/not-a-uuid", asA())).status).toBe(422);
    });

    test("lists and reports without a team filter show only the caller's team", async () => {
      const { a, b } = fx;
      const keys = await fx.call("GET", "/admin/keys", asA());
      expect(new Set(keys.json.data.map((k: { team_id: string }) => k.team_id))).toEqual(
        new Set([a.team.id]),
      );
      const users = await fx.call("GET", "/admin/users", asA());
      expect(users.json.data.every((u: { team_id: string }) => u.team_id === a.team.id)).toBe(true);
      const teams = await fx.call("GET", "/admin/teams", asA());
      expect(teams.json.data.map((t: { id: string }) => t.id)).toEqual([a.team.id]);
      const daily = await fx.call("GET", "/admin/analytics/daily?from=2026-11-01&to=2026-11-30", asA());
      expect(daily.json).toMatchObject({ team_id: a.team.id, totals: { requests: 1 } });
      const recent = await fx.call("GET", "/admin/analytics/recent?from=2026-11-01&to=2026-11-30", asA());
      expect(recent.json.data.map((r: { team_id: string }) => r.team_id)).toEqual([a.team.id]);
      const csv = await fx.call("GET", "/admin/analytics/export?from=2026-11-01&to=2026-11-30", asA());
      const [, ...rows] = parseCsv(csv.text);
      expect(rows.map((r) => r[3])).toEqual([a.team.id]);
      expect(csv.text).not.toContain(b.team.id);
    });

    test("escalation attempts are refused and change nothing", async () => {
      const { a, b } = fx;
      const before = await snapshot(fx.store);
      const refusals: [string, string, unknown, number][] = [
        // Moving a key to another team or user: not fields of the request.
        ["PATCH", `/admin/keys/${a.memberKey.id}`, { team_id: b.team.id }, 422],
        ["PATCH", `/admin/keys/${a.memberKey.id}`, { user_id: b.member.id }, 422],
        // A key budget above the team's (A's is 10 000 cents).
        ["POST", "/admin/keys", { name: "rich", budget_monthly_cents: 10_001 }, 403],
        ["PATCH", `/admin/keys/${a.memberKey.id}`, { budget_monthly_cents: 1_000_000 }, 403],
        // Creating teams or changing one's own plan is the global administrator's.
        ["POST", "/admin/teams", { name: "Mine now" }, 403],
        ["PATCH", `/admin/teams/${a.team.id}/plan`, { plan: "enterprise" }, 403],
        // No role beyond admin exists, and a user cannot be created in (or moved to) another team.
        ["POST", "/admin/users", { email: "root@example.com", name: "R", role: "global_admin" }, 422],
        ["POST", "/admin/users", { email: "root@example.com", name: "R", team_id: b.team.id }, 404],
        ["POST", "/admin/users", { email: "root@example.com", name: "R", is_global: true }, 422],
      ];
      for (const [method, path, body, status] of refusals) {
        const res = await fx.call(method, path, { ...asA(), body });
        expect([method, path, JSON.stringify(body), res.status]).toEqual([
          method,
          path,
          JSON.stringify(body),
          status,
        ]);
      }
      expect(await snapshot(fx.store)).toEqual(before);
    });

    test("within the team's budget is allowed; an admin made by a team admin stays in that team", async () => {
      const ok = await fx.call("POST", "/admin/keys", {
        ...asA(),
        body: { name: "fits", budget_monthly_cents: 10_000 },
      });
      expect(ok.status).toBe(201);
      const admin = await fx.call("POST", "/admin/users", {
        ...asA(),
        body: { email: "deputy@example.com", name: "Deputy", role: "admin" },
      });
      expect(admin.json).toMatchObject({ team_id: fx.a.team.id, role: "admin" });
      const key = await fx.call("POST", "/admin/keys", {
        ...asA(),
        body: { user_id: admin.json.id, name: "d" },
      });
      const deputy = { auth: fx.bearer(key.json.api_key) };
      expect((await fx.call("GET", "/admin/teams", deputy)).json.total).toBe(1);
      expect((await fx.call("GET", `/admin/teams/${fx.b.team.id}/account`, deputy)).status).toBe(404);
    });

    test("a member key of team B is refused everywhere (403)", async () => {
      for (const path of [
        "/admin/keys",
        "/admin/users",
        "/admin/teams",
        "/admin/plans",
        "/admin/analytics/daily",
      ])
        expect((await fx.call("GET", path, { auth: fx.bearer(fx.b.memberSecret) })).status).toBe(403);
    });
  });
}
