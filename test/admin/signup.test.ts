// POST /signup (hosted) and the landing page at /, on both dialects: one transaction, rate limit, conflicts.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { SIGNUPS_PER_HOUR } from "../../src/modules/signup/index.ts";
import { DIALECTS } from "../helpers/databases.ts";
import { type AdminFixture, adminFixture } from "./fixture.ts";

let n = 0;
const fresh = () => {
  n++;
  return {
    email: `jane${n}-${Date.now()}@company.com`,
    name: "Jane Smith",
    company: `Acme ${n} ${Date.now()}`,
  };
};

for (const dialect of DIALECTS) {
  describe(`POST /signup on ${dialect}`, () => {
    let fx: AdminFixture;
    beforeAll(async () => {
      fx = await adminFixture(dialect, { SNODUS_FEATURES_SIGNUP: "true" });
    });
    afterAll(async () => fx.close());
    // Each test starts with a fresh hour, so the per-IP limit only bites where a test means it to.
    beforeEach(() => {
      fx.clock.now += 61 * 60_000;
    });

    const signup = (body: unknown) => fx.call("POST", "/signup", { auth: null, body });

    test("creates team, admin user and key; returns api_key once; the key administers only its team", async () => {
      const input = { ...fresh(), plan: "basic" };
      const res = await signup(input);
      expect(res.status).toBe(201);
      expect(res.json.api_key).toMatch(/^sk-[0-9A-Za-z]{40}$/);
      expect(res.json).toMatchObject({
        team: { name: input.company, plan: "basic" },
        user: { email: input.email, name: "Jane Smith", role: "admin" },
        key: { key_prefix: res.json.api_key.slice(0, 10).concat("…") },
      });
      const team = await fx.store.teams.get(res.json.team.id);
      expect(team?.plan).toBe("basic");
      const keys = await fx.call("GET", "/admin/keys", { auth: fx.bearer(res.json.api_key) });
      expect(keys.status).toBe(200);
      expect(keys.json.data.map((k: { id: string }) => k.id)).toEqual([res.json.key.id]);
      expect(keys.text).not.toContain(res.json.api_key);
    });

    test("a taken email or company → 409 that reveals nothing, and leaves nothing half-created", async () => {
      const first = fresh();
      expect((await signup(first)).status).toBe(201);
      const teamsBefore = (await fx.store.teams.list()).length;
      // Same email, new company: the team insert succeeds before the user insert fails — and is rolled back.
      const sameEmail = await signup({ ...fresh(), email: first.email.toUpperCase() });
      expect(sameEmail.status).toBe(409);
      expect(sameEmail.json.error).toMatchObject({ status: 409, code: "conflict" });
      const sameCompany = await signup({ ...fresh(), company: first.company });
      expect(sameCompany.status).toBe(409);
      for (const res of [sameEmail, sameCompany]) {
        expect(res.json.error.message).toBe("A record with this email or company already exists");
        expect(res.text).not.toContain(first.company);
        expect(res.text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
      }
      expect((await fx.store.teams.list()).length).toBe(teamsBefore);
    });

    test("validation: email, required fields, plans (Enterprise is not self-service), unknown fields", async () => {
      const cases: [unknown, string][] = [
        [{ ...fresh(), email: "not-an-email" }, "email"],
        [{ ...fresh(), company: "  " }, "company"],
        [{ email: "x@y.io", name: "X" }, "body.company"],
        [{ ...fresh(), plan: "gold" }, "plan"],
        [{ ...fresh(), plan: "enterprise" }, "plan"],
        [{ ...fresh(), role: "admin" }, "role"],
      ];
      for (const [body, field] of cases) {
        fx.clock.now += 61 * 60_000;
        const res = await signup(body);
        expect([JSON.stringify(body), res.status, res.json.error?.field]).toEqual([
          JSON.stringify(body),
          422,
          field,
        ]);
      }
      expect((await fx.call("POST", "/signup", { auth: null, raw: "{" })).status).toBe(400);
    });

    test(`at most ${SIGNUPS_PER_HOUR} signups per hour per IP: the sixth → 429 with retry_after`, async () => {
      for (let i = 0; i < SIGNUPS_PER_HOUR; i++) expect((await signup(fresh())).status).toBe(201);
      const sixth = await signup(fresh());
      expect(sixth.status).toBe(429);
      expect(sixth.json.error.retry_after).toBeGreaterThan(0);
      expect(sixth.json.error.retry_after).toBeLessThanOrEqual(3600);
      expect(sixth.headers.get("retry-after")).toBe(String(sixth.json.error.retry_after));
      fx.clock.now += 59 * 60_000;
      expect((await signup(fresh())).status).toBe(429);
      fx.clock.now += 2 * 60_000;
      expect((await signup(fresh())).status).toBe(201);
    });
  });
}

describe("signup and landing switched off (the defaults)", () => {
  let fx: AdminFixture;
  beforeAll(async () => {
    fx = await adminFixture("sqlite");
  });
  afterAll(async () => fx.close());

  test("POST /signup → 404 in the admin error shape", async () => {
    const res = await fx.call("POST", "/signup", { auth: null, body: fresh() });
    expect(res.status).toBe(404);
    expect(res.json.error.status).toBe(404);
  });

  test("GET / stays a plain-text 200", async () => {
    const res = await fx.call("GET", "/", { auth: null });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
  });
});

describe("landing page on", () => {
  let fx: AdminFixture;
  beforeAll(async () => {
    fx = await adminFixture("sqlite", { SNODUS_FEATURES_LANDING: "true", SNODUS_FEATURES_SIGNUP: "true" });
  });
  afterAll(async () => fx.close());

  test("GET / explains Snodus, how to start with this gateway's address, and links to /admin/", async () => {
    const res = await fx.call("GET", "/", { auth: null });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(res.text).toContain("AI gateway");
    expect(res.text).toContain("http://localhost/signup");
    expect(res.text).toContain('ANTHROPIC_BASE_URL="http://localhost"');
    expect(res.text).toContain('href="/admin/"');
    // Offline: nothing is loaded from elsewhere.
    expect(res.text).not.toMatch(/(src|href)="https?:/);
  });
});
