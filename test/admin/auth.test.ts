// Admin authentication: Basic auth, admin keys, refusals, and throttling of repeated Basic failures.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { LOGIN_FAILURES, LOGIN_WINDOW_MS } from "../../src/modules/admin/auth.ts";
import { DIALECTS } from "../helpers/databases.ts";
import { type AdminFixture, adminFixture, BASIC } from "./fixture.ts";

const wrongBasic = `Basic ${Buffer.from("admin:guess").toString("base64")}`;

for (const dialect of DIALECTS) {
  describe(`admin auth on ${dialect}`, () => {
    let fx: AdminFixture;
    beforeAll(async () => {
      fx = await adminFixture(dialect);
    });
    afterAll(async () => fx.close());

    test("no credentials → 401 in the admin error shape, with a challenge", async () => {
      const res = await fx.call("GET", "/admin/keys", { auth: null });
      expect(res.status).toBe(401);
      expect(res.json).toEqual({ error: { status: 401, code: "unauthorized", message: expect.any(String) } });
      expect(res.headers.get("www-authenticate")).toContain("Bearer");
    });

    test("authentication comes before validation: an anonymous bad body is a 401, not a 422", async () => {
      for (const [method, path] of [
        ["POST", "/admin/keys"],
        ["PATCH", "/admin/keys/not-a-uuid"],
        ["GET", "/admin/keys?limit=0"],
      ] as const) {
        const res = await fx.call(method, path, {
          auth: null,
          body: method === "GET" ? undefined : { bad: 1 },
        });
        expect([path, res.status]).toEqual([path, 401]);
      }
    });

    test("Basic auth with ADMIN_USERNAME:ADMIN_PASSWORD is the global administrator", async () => {
      const res = await fx.call("GET", "/admin/teams");
      expect(res.status).toBe(200);
      expect(res.json.total).toBe(2);
    });

    test("an admin key works as Bearer and as x-api-key, scoped to its team", async () => {
      for (const auth of [fx.bearer(fx.a.secret), { key: fx.a.secret }]) {
        const res = await fx.call("GET", "/admin/teams", { auth });
        expect(res.status).toBe(200);
        expect(res.json.data.map((t: { id: string }) => t.id)).toEqual([fx.a.team.id]);
      }
    });

    test("a member's key → 403; an unknown key → 401; a revoked admin key → 403", async () => {
      const member = await fx.call("GET", "/admin/keys", { auth: fx.bearer(fx.a.memberSecret) });
      expect(member.status).toBe(403);
      expect(member.json.error.code).toBe("not_admin");
      const unknown = await fx.call("GET", "/admin/keys", { auth: fx.bearer(`sk-${"x".repeat(40)}`) });
      expect(unknown.status).toBe(401);
      const other = await fx.call("POST", "/admin/keys", { body: { user_id: fx.a.admin.id, name: "temp" } });
      await fx.call("DELETE", `/admin/keys/${other.json.id}`);
      const revoked = await fx.call("GET", "/admin/keys", { auth: fx.bearer(other.json.api_key) });
      expect(revoked.status).toBe(403);
    });

    test("wrong password → 401; after repeated failures the address is throttled (429), then released", async () => {
      const bad = await fx.call("GET", "/admin/keys", { auth: wrongBasic });
      expect(bad.status).toBe(401);
      for (let i = 1; i < LOGIN_FAILURES; i++)
        expect((await fx.call("GET", "/admin/keys", { auth: wrongBasic })).status).toBe(401);
      // Throttled: even the right password is refused until the window passes.
      const throttled = await fx.call("GET", "/admin/keys");
      expect(throttled.status).toBe(429);
      expect(throttled.json.error.retry_after).toBeGreaterThan(0);
      expect(throttled.headers.get("retry-after")).toBe(String(throttled.json.error.retry_after));
      // Keys are not affected by the Basic throttle.
      expect((await fx.call("GET", "/admin/keys", { auth: fx.bearer(fx.a.secret) })).status).toBe(200);
      fx.clock.now += LOGIN_WINDOW_MS + 1000;
      expect((await fx.call("GET", "/admin/keys")).status).toBe(200);
    });
  });
}

describe("admin auth without ADMIN_PASSWORD", () => {
  let fx: AdminFixture;
  beforeAll(async () => {
    fx = await adminFixture("sqlite", { ADMIN_PASSWORD: "" });
  });
  afterAll(async () => fx.close());

  test("Basic auth is off (no default password); admin keys still work", async () => {
    expect(fx.config.adminPassword).toBeNull();
    const res = await fx.call("GET", "/admin/keys", { auth: BASIC });
    expect(res.status).toBe(401);
    expect(res.json.error.message).toContain("ADMIN_PASSWORD");
    const empty = `Basic ${Buffer.from("admin:").toString("base64")}`;
    expect((await fx.call("GET", "/admin/keys", { auth: empty })).status).toBe(401);
    expect((await fx.call("GET", "/admin/keys", { auth: fx.bearer(fx.a.secret) })).status).toBe(200);
  });
});
