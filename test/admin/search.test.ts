// Server-side search and filters on both dialects: /admin/keys and /admin/users search with paging,
// /admin/analytics/recent filtered by key, user, team, model, provider, status, request id and range.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createKey } from "../../src/modules/keys/service.ts";
import type { SpendRow } from "../../src/store/types.ts";
import { DIALECTS } from "../helpers/databases.ts";
import { type AdminFixture, adminFixture, spendRow } from "./fixture.ts";

const ids = (r: { json: { data: { id: string }[] } }) => r.json.data.map((x) => x.id);

for (const dialect of DIALECTS) {
  describe(`search and filters on ${dialect}`, () => {
    let fx: AdminFixture;
    const rows: SpendRow[] = [];
    beforeAll(async () => {
      fx = await adminFixture(dialect);
      const base = Date.parse("2026-11-10T00:00:00Z");
      const statuses = [200, 200, 429, 500, 404, 200, 529, 201];
      for (let i = 0; i < 40; i++) {
        const t = i % 2 === 0 ? fx.a : fx.b;
        rows.push(
          spendRow({
            apiKeyId: i % 4 < 2 ? t.adminKey.id : t.memberKey.id,
            userId: i % 4 < 2 ? t.admin.id : t.member.id,
            teamId: t.team.id,
            model: i % 3 === 0 ? "gpt-4o" : "claude-sonnet-4-5",
            provider: i % 3 === 0 ? "openai" : "anthropic",
            status: statuses[i % statuses.length] ?? 200,
            createdAt: new Date(base + i * 3_600_000),
            requestId: `req_search_${i}`,
          }),
        );
      }
      await fx.store.spend.insertMany(rows);
    });
    afterAll(async () => fx.close());

    const RANGE = "from=2026-11-01&to=2026-11-30";
    const expected = (pick: (r: SpendRow) => boolean) =>
      rows
        .filter(pick)
        .sort((x, y) => y.createdAt.getTime() - x.createdAt.getTime())
        .map((r) => r.id);
    /** Every page of a filtered listing through the cursor, 3 rows at a time. */
    async function all(query: string) {
      const out: string[] = [];
      let cursor = "";
      for (;;) {
        const res = await fx.call("GET", `/admin/analytics/recent?${RANGE}&limit=3&${query}${cursor}`);
        expect(res.status).toBe(200);
        out.push(...ids(res));
        if (!res.json.next_cursor) return out;
        cursor = `&cursor=${res.json.next_cursor}`;
      }
    }

    test("recent: each filter alone and combined, across cursor pages", async () => {
      expect(await all(`api_key_id=${fx.a.memberKey.id}`)).toEqual(
        expected((r) => r.apiKeyId === fx.a.memberKey.id),
      );
      expect(await all(`user_id=${fx.b.admin.id}`)).toEqual(expected((r) => r.userId === fx.b.admin.id));
      expect(await all(`team_id=${fx.b.team.id}`)).toEqual(expected((r) => r.teamId === fx.b.team.id));
      expect(await all("model=gpt-4o")).toEqual(expected((r) => r.model === "gpt-4o"));
      expect(await all("provider=anthropic")).toEqual(expected((r) => r.provider === "anthropic"));
      expect(await all("status=5xx")).toEqual(expected((r) => r.status >= 500));
      expect(await all("status=2xx")).toEqual(expected((r) => r.status < 300));
      expect(await all("status=429")).toEqual(expected((r) => r.status === 429));
      expect(await all("request_id=req_search_7")).toEqual(expected((r) => r.requestId === "req_search_7"));
      expect(await all(`team_id=${fx.a.team.id}&model=gpt-4o&status=2xx`)).toEqual(
        expected((r) => r.teamId === fx.a.team.id && r.model === "gpt-4o" && r.status < 300),
      );
      const narrow = "from=2026-11-10T05:00:00Z&to=2026-11-10T09:00:00Z";
      const inRange = await fx.call("GET", `/admin/analytics/recent?${narrow}&provider=anthropic`);
      expect(ids(inRange)).toEqual(
        expected(
          (r) =>
            r.provider === "anthropic" &&
            r.createdAt >= new Date("2026-11-10T05:00:00Z") &&
            r.createdAt < new Date("2026-11-10T09:00:00Z"),
        ),
      );
    });

    test("recent: a team admin's filters stay inside their team", async () => {
      const res = await fx.call(
        "GET",
        `/admin/analytics/recent?${RANGE}&limit=500&user_id=${fx.b.admin.id}`,
        {
          auth: fx.bearer(fx.a.secret),
        },
      );
      expect(res.status).toBe(200);
      expect(res.json.data).toEqual([]);
    });

    test("recent: a malformed status is a 422 naming query.status", async () => {
      for (const status of ["6xx", "4x", "abc", "2000", "xx"]) {
        const res = await fx.call("GET", `/admin/analytics/recent?status=${status}`);
        expect([status, res.status, res.json?.error?.field]).toEqual([status, 422, "query.status"]);
      }
    });

    test("keys: search by name, prefix or owner; status; newest first; paging with total", async () => {
      const made = [];
      for (let i = 0; i < 12; i++)
        made.push(await createKey(fx.store, { userId: fx.a.member.id, name: `Search 50%_key ${i}` }));
      const page = await fx.call("GET", "/admin/keys?search=50%25_KEY&limit=5&offset=5&order=newest");
      expect(page.status).toBe(200);
      expect(page.json.total).toBe(12);
      expect(ids(page)).toEqual(
        made
          .map((m) => m.key.id)
          .reverse()
          .slice(5, 10),
      );
      // % and _ are literal: "50x" matches nothing.
      expect((await fx.call("GET", "/admin/keys?search=5_%25")).json.total).toBe(0);
      const first = made[0]?.key;
      if (!first) throw new Error("no key made");
      const byPrefix = await fx.call(
        "GET",
        `/admin/keys?search=${encodeURIComponent(first.keyPrefix ?? "")}`,
      );
      expect(ids(byPrefix)).toEqual([first.id]);
      const byOwner = await fx.call("GET", `/admin/keys?search=${encodeURIComponent(fx.b.member.email)}`);
      expect(ids(byOwner)).toEqual([fx.b.memberKey.id]);
      await fx.call("DELETE", `/admin/keys/${first.id}`);
      const revoked = await fx.call("GET", "/admin/keys?status=revoked");
      expect(ids(revoked)).toEqual([first.id]);
      const active = await fx.call("GET", "/admin/keys?status=active&search=search&limit=500");
      expect(active.json.total).toBe(11);
      // A team admin's search never reaches the other team.
      const scoped = await fx.call("GET", `/admin/keys?search=${encodeURIComponent(fx.b.member.email)}`, {
        auth: fx.bearer(fx.a.secret),
      });
      expect(scoped.json.total).toBe(0);
    });

    test("users: search by name or email, case-insensitive, with paging", async () => {
      const emails = [];
      for (let i = 0; i < 7; i++) {
        const u = await fx.store.users.create({
          email: `Findme-${i}-${dialect}@Example.com`,
          name: `Zed ${i}`,
          teamId: fx.b.team.id,
        });
        emails.push(u.id);
      }
      const byEmail = await fx.call("GET", "/admin/users?search=FINDME&limit=3&offset=3&order=newest");
      expect(byEmail.json.total).toBe(7);
      expect(ids(byEmail)).toEqual([...emails].reverse().slice(3, 6));
      const byName = await fx.call("GET", "/admin/users?search=zed%203");
      expect(ids(byName)).toEqual(emails.slice(3, 4));
      const scoped = await fx.call("GET", "/admin/users?search=findme", { auth: fx.bearer(fx.a.secret) });
      expect(scoped.json.total).toBe(0);
    });
  });
}
