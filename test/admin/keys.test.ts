// /admin/keys on both dialects: list, create, update, rotate, revoke — happy paths and every error.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ROTATION_GRACE_MS } from "../../src/modules/keys/service.ts";
import { DIALECTS } from "../helpers/databases.ts";
import { type AdminFixture, adminFixture, MISSING_ID, tenant } from "./fixture.ts";

for (const dialect of DIALECTS) {
  describe(`/admin/keys on ${dialect}`, () => {
    let fx: AdminFixture;
    beforeAll(async () => {
      fx = await adminFixture(dialect);
    });
    afterAll(async () => fx.close());

    test("GET lists every key for the global admin, filters by team and user, and paginates", async () => {
      const all = await fx.call("GET", "/admin/keys");
      expect(all.status).toBe(200);
      expect(all.json).toMatchObject({ total: 4, limit: 50, offset: 0 });
      const key = all.json.data.find((k: { id: string }) => k.id === fx.a.adminKey.id);
      expect(key).toMatchObject({ team_id: fx.a.team.id, user_id: fx.a.admin.id, status: "active" });
      expect(key).not.toHaveProperty("key_hash");
      expect(JSON.stringify(all.json)).not.toContain(fx.a.secret);

      const teamB = await fx.call("GET", `/admin/keys?team_id=${fx.b.team.id}`);
      expect(teamB.json.data.map((k: { team_id: string }) => k.team_id)).toEqual([
        fx.b.team.id,
        fx.b.team.id,
      ]);
      const user = await fx.call("GET", `/admin/keys?user_id=${fx.a.member.id}`);
      expect(user.json.data.map((k: { id: string }) => k.id)).toEqual([fx.a.memberKey.id]);

      const page2 = await fx.call("GET", "/admin/keys?limit=1&offset=1");
      expect(page2.json).toMatchObject({ total: 4, limit: 1, offset: 1 });
      expect(page2.json.data[0].id).toBe(all.json.data[1].id);
    });

    test("GET with a bad page or filter → 422 naming the parameter", async () => {
      for (const [q, field] of [
        ["limit=0", "query.limit"],
        ["limit=501", "query.limit"],
        ["offset=-1", "query.offset"],
        ["team_id=nope", "query.team_id"],
      ]) {
        const res = await fx.call("GET", `/admin/keys?${q}`);
        expect(res.status).toBe(422);
        expect(res.json.error).toMatchObject({ status: 422, code: "validation_error", field });
      }
    });

    test("POST creates a key and returns its secret once; the secret works", async () => {
      const res = await fx.call("POST", "/admin/keys", {
        body: { user_id: fx.a.member.id, name: "ci", rate_limit: 30, budget_monthly_cents: 500 },
      });
      expect(res.status).toBe(201);
      expect(res.json).toMatchObject({
        name: "ci",
        rate_limit: 30,
        budget_monthly_cents: 500,
        team_id: fx.a.team.id,
      });
      expect(res.json.api_key).toMatch(/^sk-[0-9A-Za-z]{40}$/);
      const stored = await fx.store.keys.get(res.json.id);
      expect(stored?.keyHash).not.toContain(res.json.api_key);
      const listed = await fx.call("GET", `/admin/keys?user_id=${fx.a.member.id}`);
      expect(listed.text).not.toContain(res.json.api_key);
    });

    test("POST by a team admin without user_id gives the key to that admin", async () => {
      const res = await fx.call("POST", "/admin/keys", {
        auth: fx.bearer(fx.a.secret),
        body: { name: "mine" },
      });
      expect(res.status).toBe(201);
      expect(res.json.user_id).toBe(fx.a.admin.id);
    });

    test("POST errors: missing user_id (global admin), unknown user, bad fields, malformed JSON", async () => {
      const cases: [unknown, number, string | undefined][] = [
        [{ name: "x" }, 422, "user_id"],
        [{ user_id: MISSING_ID, name: "x" }, 404, undefined],
        [{ user_id: fx.a.member.id }, 422, "body.name"],
        [{ user_id: fx.a.member.id, name: "" }, 422, "body.name"],
        [{ user_id: fx.a.member.id, name: "   " }, 422, "name"],
        [{ user_id: fx.a.member.id, name: "x", rate_limit: 0 }, 422, "body.rate_limit"],
        [{ user_id: fx.a.member.id, name: "x", budget_monthly_cents: -5 }, 422, "body.budget_monthly_cents"],
        [{ user_id: fx.a.member.id, name: "x", colour: "red" }, 422, "colour"],
      ];
      for (const [body, status, field] of cases) {
        const res = await fx.call("POST", "/admin/keys", { body });
        expect([JSON.stringify(body), res.status]).toEqual([JSON.stringify(body), status]);
        if (field) expect(res.json.error.field).toBe(field);
      }
      const bad = await fx.call("POST", "/admin/keys", { raw: '{"name": ' });
      expect(bad.status).toBe(400);
      expect(bad.json.error.code).toBe("invalid_json");
    });

    test("PATCH updates name, rate_limit and budget; the change is visible at once", async () => {
      const created = await fx.call("POST", "/admin/keys", { body: { user_id: fx.a.member.id, name: "p" } });
      // Warm the cache with the old rate limit, then change it.
      const res = await fx.call("PATCH", `/admin/keys/${created.json.id}`, {
        body: { name: "renamed", rate_limit: 7, budget_monthly_cents: null },
      });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ name: "renamed", rate_limit: 7, budget_monthly_cents: null });
      const stored = await fx.store.keys.get(created.json.id);
      expect(stored).toMatchObject({ name: "renamed", rateLimit: 7, budgetMonthlyCents: null });
    });

    test("PATCH errors: empty body, bad values, unknown field, bad id, missing key", async () => {
      const id = fx.a.memberKey.id;
      for (const [body, field] of [
        [{}, "body"],
        [{ rate_limit: "fast" }, "body.rate_limit"],
        [{ name: "" }, "body.name"],
        [{ user_id: fx.b.member.id }, "user_id"],
      ] as const) {
        const res = await fx.call("PATCH", `/admin/keys/${id}`, { body });
        expect(res.status).toBe(422);
        expect(res.json.error.field).toBe(field);
      }
      expect(
        (await fx.call("PATCH", "/admin/keys/not-a-uuid", { body: { name: "x" } })).json.error.field,
      ).toBe("params.id");
      const missing = await fx.call("PATCH", `/admin/keys/${MISSING_ID}`, { body: { name: "x" } });
      expect(missing.status).toBe(404);
      expect(missing.json.error.code).toBe("not_found");
    });

    test("rotate: new secret now, old one valid for 24 h then refused; revoked or missing keys refused", async () => {
      const t = await tenant(fx.store);
      const rotated = await fx.call("POST", `/admin/keys/${t.adminKey.id}/rotate`);
      expect(rotated.status).toBe(201);
      expect(rotated.json.api_key).toMatch(/^sk-/);
      expect(rotated.json.old_key).toMatchObject({
        id: t.adminKey.id,
        status: "expiring",
        replaced_by: rotated.json.id,
      });
      expect(Date.parse(rotated.json.old_key.expires_at)).toBe(fx.clock.now + ROTATION_GRACE_MS);
      // Both work during the grace period…
      expect((await fx.call("GET", "/admin/keys", { auth: fx.bearer(t.secret) })).status).toBe(200);
      expect((await fx.call("GET", "/admin/keys", { auth: fx.bearer(rotated.json.api_key) })).status).toBe(
        200,
      );
      // …and only the new one after it.
      fx.clock.now += ROTATION_GRACE_MS + 1000;
      const old = await fx.call("GET", "/admin/keys", { auth: fx.bearer(t.secret) });
      expect(old.status).toBe(403);
      expect((await fx.call("GET", "/admin/keys", { auth: fx.bearer(rotated.json.api_key) })).status).toBe(
        200,
      );

      await fx.call("DELETE", `/admin/keys/${rotated.json.id}`);
      const again = await fx.call("POST", `/admin/keys/${rotated.json.id}/rotate`);
      expect(again.status).toBe(403);
      expect((await fx.call("POST", `/admin/keys/${MISSING_ID}/rotate`)).status).toBe(404);
      expect((await fx.call("POST", "/admin/keys/nope/rotate")).status).toBe(422);
    });

    test("DELETE revokes at once on this instance (the cached key is dropped), and is idempotent", async () => {
      const t = await tenant(fx.store);
      // Warm the key cache with the admin key.
      expect((await fx.call("GET", "/admin/keys", { auth: fx.bearer(t.secret) })).status).toBe(200);
      const res = await fx.call("DELETE", `/admin/keys/${t.adminKey.id}`);
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ id: t.adminKey.id, status: "revoked", is_active: false });
      // The cache's background refresh is not running here: only invalidation can explain the 403.
      const after = await fx.call("GET", "/admin/keys", { auth: fx.bearer(t.secret) });
      expect(after.status).toBe(403);
      expect(after.json.error.message).toContain("revoked");
      expect((await fx.call("DELETE", `/admin/keys/${t.adminKey.id}`)).status).toBe(200);
      expect((await fx.call("DELETE", `/admin/keys/${MISSING_ID}`)).status).toBe(404);
    });
  });
}

describe("/admin/keys with plan enforcement", () => {
  let fx: AdminFixture;
  beforeAll(async () => {
    fx = await adminFixture("sqlite", { SNODUS_FEATURES_PLANS: "true" });
  });
  afterAll(async () => fx.close());

  test("POST beyond the plan's max_keys → 403 plan_limit_reached", async () => {
    const t = await tenant(fx.store, { plan: "basic" }); // 3 keys; the fixture already made 2
    const third = await fx.call("POST", "/admin/keys", { body: { user_id: t.member.id, name: "3" } });
    expect(third.status).toBe(201);
    const fourth = await fx.call("POST", "/admin/keys", { body: { user_id: t.member.id, name: "4" } });
    expect(fourth.status).toBe(403);
    expect(fourth.json.error.code).toBe("plan_limit_reached");
    expect(await fx.store.keys.countActiveByTeam(t.team.id)).toBe(3);
  });
});
