// Company (team) names are unique whatever their case: "Acme" at signup blocks "acme" and "ACME", on both dialects.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { DIALECTS } from "../helpers/databases.ts";
import { type AdminFixture, adminFixture } from "./fixture.ts";

for (const dialect of DIALECTS) {
  describe(`team names ignore case on ${dialect}`, () => {
    let fx: AdminFixture;
    beforeAll(async () => {
      fx = await adminFixture(dialect, { SNODUS_FEATURES_SIGNUP: "true" });
    });
    afterAll(async () => fx.close());

    test("a signup whose company differs only in case from an existing one → 409", async () => {
      const company = `Acme Case ${Date.now()}`;
      const first = await fx.call("POST", "/signup", {
        auth: null,
        body: { email: `one-${Date.now()}@example.com`, name: "One", company },
      });
      expect(first.status).toBe(201);
      fx.clock.now += 61 * 60_000;
      const second = await fx.call("POST", "/signup", {
        auth: null,
        body: { email: `two-${Date.now()}@example.com`, name: "Two", company: company.toLowerCase() },
      });
      expect(second.status).toBe(409);
      expect(second.json.error.code).toBe("conflict");
      const admin = await fx.call("POST", "/admin/teams", { body: { name: company.toUpperCase() } });
      expect(admin.status).toBe(409);
      // Different names are still fine.
      const other = await fx.call("POST", "/admin/teams", { body: { name: `${company} 2` } });
      expect(other.status).toBe(201);
    });
  });
}
