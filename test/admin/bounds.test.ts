// The admin API is bounded on both dialects: every page size and offset is validated, unknown or
// repeated query parameters are refused, and no GET returns more than 500 rows of a list.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { DIALECTS } from "../helpers/databases.ts";
import { type AdminFixture, adminFixture, spendRow } from "./fixture.ts";

const LISTS = ["/admin/keys", "/admin/users", "/admin/teams", "/admin/analytics/recent"];
const PAGED = ["/admin/keys", "/admin/users", "/admin/teams"];
const EVERY_GET = [
  ...LISTS,
  "/admin/analytics/daily",
  "/admin/analytics/models",
  "/admin/analytics/users",
  "/admin/analytics/providers",
  "/admin/analytics/routing",
  "/admin/analytics/keys",
  "/admin/analytics/routing/daily",
  "/admin/analytics/export",
  "/admin/plans",
  "/admin/providers",
];

for (const dialect of DIALECTS) {
  describe(`admin API bounds on ${dialect}`, () => {
    let fx: AdminFixture;
    beforeAll(async () => {
      fx = await adminFixture(dialect);
      const rows = Array.from({ length: 620 }, (_, i) =>
        spendRow({
          apiKeyId: fx.a.adminKey.id,
          userId: fx.a.admin.id,
          teamId: fx.a.team.id,
          createdAt: new Date(fx.clock.now - (i + 1) * 1000),
        }),
      );
      await fx.store.spend.insertMany(rows);
    });
    afterAll(async () => fx.close());

    test("limit outside 1–500 (or not an integer) is a 422 naming query.limit", async () => {
      for (const path of LISTS)
        for (const limit of ["0", "-1", "501", "5000", "abc", "1.5", ""]) {
          const res = await fx.call("GET", `${path}?limit=${limit}`);
          expect([path, limit, res.status, res.json?.error?.field]).toEqual([
            path,
            limit,
            422,
            "query.limit",
          ]);
        }
    });

    test("a negative or non-integer offset is a 422 naming query.offset (never a 500)", async () => {
      for (const path of PAGED)
        for (const offset of ["-5", "-1", "x", "2.5"]) {
          const res = await fx.call("GET", `${path}?offset=${offset}`);
          expect([path, offset, res.status, res.json?.error?.field]).toEqual([
            path,
            offset,
            422,
            "query.offset",
          ]);
        }
    });

    test("an unknown query parameter is a 422 naming it, on every GET", async () => {
      for (const path of EVERY_GET) {
        const res = await fx.call("GET", `${path}?tema_id=x`);
        expect([path, res.status, res.json?.error?.field]).toEqual([path, 422, "query.tema_id"]);
      }
      const one = await fx.call("GET", `/admin/keys/${fx.a.adminKey.id}?expand=1`);
      expect([one.status, one.json?.error?.field]).toEqual([422, "query.expand"]);
    });

    test("a repeated query parameter is a 422", async () => {
      const res = await fx.call("GET", "/admin/analytics/recent?limit=1&limit=500");
      expect([res.status, res.json?.error?.field]).toEqual([422, "query.limit"]);
    });

    test("the largest page is 500 rows; the rest follows through the cursor", async () => {
      const range = "from=2026-11-01&to=2026-11-30";
      const first = await fx.call("GET", `/admin/analytics/recent?${range}&limit=500`);
      expect(first.status).toBe(200);
      expect(first.json.data).toHaveLength(500);
      const rest = await fx.call(
        "GET",
        `/admin/analytics/recent?${range}&limit=500&cursor=${first.json.next_cursor}`,
      );
      expect(rest.json.data).toHaveLength(120);
      expect(rest.json.next_cursor).toBeNull();
      const byDefault = await fx.call("GET", `/admin/analytics/recent?${range}`);
      expect(byDefault.json.data).toHaveLength(50);
    });
  });
}
