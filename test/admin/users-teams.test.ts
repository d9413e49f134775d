// /admin/users, /admin/teams (+ plan, account), /admin/plans and /admin/providers on both dialects.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { DIALECTS } from "../helpers/databases.ts";
import { type AdminFixture, adminFixture, MISSING_ID, spendRow, tenant } from "./fixture.ts";

for (const dialect of DIALECTS) {
  describe(`/admin users and teams on ${dialect}`, () => {
    let fx: AdminFixture;
    beforeAll(async () => {
      fx = await adminFixture(dialect, { ANTHROPIC_API_KEY: "sk-ant-real" });
    });
    afterAll(async () => fx.close());

    test("GET /admin/users lists, filters by team and paginates", async () => {
      const all = await fx.call("GET", "/admin/users");
      expect(all.status).toBe(200);
      expect(all.json.total).toBe(4);
      const a = await fx.call("GET", `/admin/users?team_id=${fx.a.team.id}&limit=1`);
      expect(a.json).toMatchObject({ total: 2, limit: 1, offset: 0 });
      expect(a.json.data[0]).toMatchObject({
        id: fx.a.admin.id,
        role: "admin",
        team_id: fx.a.team.id,
        is_active: true,
      });
    });

    test("POST /admin/users creates a user; a team admin's default team is their own", async () => {
      const res = await fx.call("POST", "/admin/users", {
        body: { email: "  Jane@Example.COM ", name: "Jane", team_id: fx.b.team.id, role: "admin" },
      });
      expect(res.status).toBe(201);
      expect(res.json).toMatchObject({
        email: "jane@example.com",
        name: "Jane",
        team_id: fx.b.team.id,
        role: "admin",
      });
      const own = await fx.call("POST", "/admin/users", {
        auth: fx.bearer(fx.a.secret),
        body: { email: "joe@example.com", name: "Joe" },
      });
      expect(own.status).toBe(201);
      expect(own.json).toMatchObject({ team_id: fx.a.team.id, role: "member" });
    });

    test("POST /admin/users errors: bad email, missing team, unknown team, bad role, duplicate email", async () => {
      const cases: [unknown, number, string | undefined][] = [
        [{ email: "not-an-email", name: "X", team_id: fx.a.team.id }, 422, "email"],
        [{ email: "x@example.com", name: "X" }, 422, "team_id"],
        [{ email: "x@example.com", name: "X", team_id: MISSING_ID }, 404, undefined],
        [{ email: "x@example.com", name: "X", team_id: fx.a.team.id, role: "owner" }, 422, "body.role"],
        [{ email: "x@example.com", team_id: fx.a.team.id }, 422, "body.name"],
        [{ email: fx.a.admin.email, name: "Dup", team_id: fx.a.team.id }, 409, "email"],
      ];
      for (const [body, status, field] of cases) {
        const res = await fx.call("POST", "/admin/users", { body });
        expect([JSON.stringify(body), res.status]).toEqual([JSON.stringify(body), status]);
        if (field) expect(res.json.error.field).toBe(field);
      }
      expect((await fx.call("POST", "/admin/users", { raw: "[" })).status).toBe(400);
    });

    test("GET /admin/teams: every team for the global admin, one for a team admin", async () => {
      const all = await fx.call("GET", "/admin/teams?limit=1");
      expect(all.json).toMatchObject({ total: 2, limit: 1 });
      expect(all.json.data).toHaveLength(1);
      const own = await fx.call("GET", "/admin/teams", { auth: fx.bearer(fx.b.secret) });
      expect(own.json).toMatchObject({
        total: 1,
        data: [{ id: fx.b.team.id, budget_monthly_cents: 20_000 }],
      });
    });

    test("POST /admin/teams (global admin): created; duplicate name 409; bad plan 422; team admin 403", async () => {
      const res = await fx.call("POST", "/admin/teams", {
        body: { name: "Gamma", plan: "pro", budget_monthly_cents: 5000 },
      });
      expect(res.status).toBe(201);
      expect(res.json).toMatchObject({ name: "Gamma", plan: "pro", budget_monthly_cents: 5000 });
      expect((await fx.call("POST", "/admin/teams", { body: { name: "Gamma" } })).status).toBe(409);
      const badPlan = await fx.call("POST", "/admin/teams", { body: { name: "Delta", plan: "gold" } });
      expect(badPlan.status).toBe(422);
      expect(badPlan.json.error.field).toBe("body.plan");
      const byTeamAdmin = await fx.call("POST", "/admin/teams", {
        auth: fx.bearer(fx.a.secret),
        body: { name: "E" },
      });
      expect(byTeamAdmin.status).toBe(403);
    });

    test("PATCH /admin/teams/{id}/plan changes the plan; errors 422/404/403", async () => {
      const t = await tenant(fx.store, { plan: "free" });
      const res = await fx.call("PATCH", `/admin/teams/${t.team.id}/plan`, { body: { plan: "pro" } });
      expect(res.status).toBe(200);
      expect(res.json.plan).toBe("pro");
      expect((await fx.store.teams.get(t.team.id))?.plan).toBe("pro");
      expect((await fx.call("PATCH", `/admin/teams/${t.team.id}/plan`, { body: { plan: "x" } })).status).toBe(
        422,
      );
      expect((await fx.call("PATCH", `/admin/teams/${t.team.id}/plan`, { body: {} })).status).toBe(422);
      expect(
        (await fx.call("PATCH", `/admin/teams/${MISSING_ID}/plan`, { body: { plan: "pro" } })).status,
      ).toBe(404);
      const own = await fx.call("PATCH", `/admin/teams/${t.team.id}/plan`, {
        auth: fx.bearer(t.secret),
        body: { plan: "enterprise" },
      });
      expect(own.status).toBe(403);
      expect((await fx.store.teams.get(t.team.id))?.plan).toBe("pro");
    });

    test("GET /admin/teams/{id}/account: plan, tokens vs quota, spend vs budget, keys and users vs caps", async () => {
      const t = await tenant(fx.store, { plan: "pro", budgetCents: 1000 });
      const ids = { apiKeyId: t.adminKey.id, userId: t.admin.id, teamId: t.team.id };
      await fx.store.spend.insertMany([
        spendRow({
          ...ids,
          createdAt: new Date("2026-11-03T00:00:00Z"),
          inputTokens: 400_000,
          outputTokens: 100_000,
          costMicros: 2_500_000,
        }),
        spendRow({ ...ids, createdAt: new Date("2026-10-31T23:59:59Z"), inputTokens: 999, costMicros: 999 }),
      ]);
      const res = await fx.call("GET", `/admin/teams/${t.team.id}/account`);
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({
        team: { id: t.team.id, plan: "pro" },
        plan: { id: "pro", max_users: 5, max_keys: 10, tokens_per_month: 5_000_000 },
        period: { from: "2026-11-01T00:00:00.000Z", to: "2026-12-01T00:00:00.000Z" },
        tokens: { used: 500_000, limit: 5_000_000, fraction: 0.1 },
        spend_micros: { used: 2_500_000, limit: 10_000_000, fraction: 0.25 },
        spend_cents: { used: 250, limit: 1000, fraction: 0.25 },
        keys: { used: 2, limit: 10, fraction: 0.2 },
        users: { used: 2, limit: 5, fraction: 0.4 },
        requests: 1,
      });
      expect((await fx.call("GET", `/admin/teams/${MISSING_ID}/account`)).status).toBe(404);
      expect((await fx.call("GET", "/admin/teams/x/account")).status).toBe(422);
    });

    test("GET /admin/plans and /admin/providers", async () => {
      const plans = await fx.call("GET", "/admin/plans", { auth: fx.bearer(fx.a.secret) });
      expect(plans.status).toBe(200);
      expect(plans.json.data.map((p: { id: string }) => p.id)).toEqual([
        "free",
        "basic",
        "pro",
        "enterprise",
      ]);
      expect(plans.json.data[1]).toEqual({
        id: "basic",
        name: "Basic",
        price_cents: 1900,
        tokens_per_month: 1_000_000,
        max_users: 1,
        max_keys: 3,
      });
      const providers = await fx.call("GET", "/admin/providers");
      expect(providers.status).toBe(200);
      const anthropic = providers.json.data.find((p: { name: string }) => p.name === "anthropic");
      expect(anthropic).toMatchObject({ configured: true, upstream_url: "https://api.anthropic.com" });
      expect(anthropic.models).toContain("claude-sonnet-4-5");
      expect(providers.text).not.toContain("sk-ant-real");
    });
  });
}

describe("/admin/users with plan enforcement", () => {
  let fx: AdminFixture;
  beforeAll(async () => {
    fx = await adminFixture("sqlite", { SNODUS_FEATURES_PLANS: "true" });
  });
  afterAll(async () => fx.close());

  test("POST beyond the plan's max_users → 403 plan_limit_reached", async () => {
    const t = await tenant(fx.store, { plan: "pro" }); // 5 users; the fixture already made 2
    for (let i = 0; i < 3; i++) {
      const ok = await fx.call("POST", "/admin/users", {
        body: { email: `u${i}-${t.team.id}@example.com`, name: "U", team_id: t.team.id },
      });
      expect(ok.status).toBe(201);
    }
    const over = await fx.call("POST", "/admin/users", {
      body: { email: `over-${t.team.id}@example.com`, name: "U", team_id: t.team.id },
    });
    expect(over.status).toBe(403);
    expect(over.json.error.code).toBe("plan_limit_reached");
  });
});
