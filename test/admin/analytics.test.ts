// /admin/analytics/* on both dialects: ranges, team filter, figures in cents and µ$, cursor paging, CSV.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { SpendRow } from "../../src/store/types.ts";
import { DIALECTS } from "../helpers/databases.ts";
import { parseCsv } from "./csv-parser.ts";
import { type AdminFixture, adminFixture, spendRow } from "./fixture.ts";

const RANGE = "from=2026-11-01&to=2026-11-03"; // 1 Nov 00:00 → 4 Nov 00:00 (a bare `to` includes its day)

for (const dialect of DIALECTS) {
  describe(`/admin/analytics on ${dialect}`, () => {
    let fx: AdminFixture;
    let rows: SpendRow[];
    beforeAll(async () => {
      fx = await adminFixture(dialect);
      const a = { apiKeyId: fx.a.adminKey.id, userId: fx.a.admin.id, teamId: fx.a.team.id };
      const am = { apiKeyId: fx.a.memberKey.id, userId: fx.a.member.id, teamId: fx.a.team.id };
      const b = { apiKeyId: fx.b.adminKey.id, userId: fx.b.admin.id, teamId: fx.b.team.id };
      const at = (s: string) => new Date(`2026-11-${s}Z`);
      rows = [
        spendRow({
          ...a,
          createdAt: at("01T00:00:00"),
          costMicros: 10_000,
          inputTokens: 10,
          outputTokens: 5,
        }),
        spendRow({ ...a, createdAt: at("01T23:59:59.999"), costMicros: 20_000, model: "claude-haiku-4-5" }),
        spendRow({ ...am, createdAt: at("03T12:00:00"), costMicros: 30_000, status: 502, durationMs: 300 }),
        spendRow({
          ...am,
          createdAt: at("03T12:00:01"),
          costMicros: 5,
          model: "claude-opus-4-5",
          routedFrom: "auto",
          routingMethod: "rules",
          routingReason: "complex keyword",
        }),
        spendRow({
          ...b,
          createdAt: at("02T08:00:00"),
          costMicros: 1_000_000,
          provider: "openai",
          model: "gpt-4o",
        }),
        // Outside the range on both sides.
        spendRow({ ...a, createdAt: at("04T00:00:00"), costMicros: 7 }),
        spendRow({ ...a, createdAt: new Date("2026-10-31T23:59:59.999Z"), costMicros: 7 }),
      ];
      await fx.store.spend.insertMany(rows);
    });
    afterAll(async () => fx.close());

    test("daily: every day of the range with zeros, totals in µ$ and cents, team filter", async () => {
      const res = await fx.call("GET", `/admin/analytics/daily?${RANGE}`);
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({
        from: "2026-11-01T00:00:00.000Z",
        to: "2026-11-04T00:00:00.000Z",
        team_id: null,
      });
      expect(res.json.data.map((d: { day: string; requests: number }) => [d.day, d.requests])).toEqual([
        ["2026-11-01", 2],
        ["2026-11-02", 1],
        ["2026-11-03", 2],
      ]);
      expect(res.json.totals).toMatchObject({ requests: 5, cost_micros: 1_060_005, cost_cents: 106.0005 });
      const a = await fx.call("GET", `/admin/analytics/daily?${RANGE}&team_id=${fx.a.team.id}`);
      expect(a.json.team_id).toBe(fx.a.team.id);
      expect(a.json.totals).toMatchObject({ requests: 4, cost_micros: 60_005 });
      expect(a.json.data[1]).toMatchObject({ day: "2026-11-02", requests: 0, cost_micros: 0, cost_cents: 0 });
    });

    test("models: per model and provider, costliest first", async () => {
      const res = await fx.call("GET", `/admin/analytics/models?${RANGE}`);
      expect(
        res.json.data.map((m: { model: string; cost_micros: number }) => [m.model, m.cost_micros]),
      ).toEqual([
        ["gpt-4o", 1_000_000],
        ["claude-sonnet-4-5", 40_000],
        ["claude-haiku-4-5", 20_000],
        ["claude-opus-4-5", 5],
      ]);
      expect(res.json.data[0]).toMatchObject({ provider: "openai", requests: 1, cost_cents: 100 });
    });

    test("users: per user with email and name", async () => {
      const res = await fx.call("GET", `/admin/analytics/users?${RANGE}&team_id=${fx.a.team.id}`);
      expect(res.json.data).toEqual([
        expect.objectContaining({
          user_id: fx.a.member.id,
          email: fx.a.member.email,
          requests: 2,
          cost_micros: 30_005,
        }),
        expect.objectContaining({
          user_id: fx.a.admin.id,
          email: fx.a.admin.email,
          requests: 2,
          cost_micros: 30_000,
        }),
      ]);
    });

    test("keys: per key with name, prefix and owner, costliest first, as JSON", async () => {
      const res = await fx.call("GET", `/admin/analytics/keys?${RANGE}&team_id=${fx.a.team.id}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toStartWith("application/json");
      expect(res.json).toMatchObject({ from: "2026-11-01T00:00:00.000Z", team_id: fx.a.team.id });
      expect(res.json.data).toEqual([
        {
          api_key_id: fx.a.memberKey.id,
          name: fx.a.memberKey.name,
          key_prefix: fx.a.memberKey.keyPrefix,
          user_id: fx.a.member.id,
          requests: 2,
          input_tokens: 200,
          output_tokens: 100,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
          cost_micros: 30_005,
          cost_cents: 3.0005,
        },
        expect.objectContaining({
          api_key_id: fx.a.adminKey.id,
          name: fx.a.adminKey.name,
          cost_micros: 30_000,
        }),
      ]);
    });

    test("providers: spend, errors and mean duration", async () => {
      const res = await fx.call("GET", `/admin/analytics/providers?${RANGE}`);
      const anthropic = res.json.data.find((p: { provider: string }) => p.provider === "anthropic");
      expect(anthropic).toMatchObject({ requests: 4, errors: 1, avg_duration_ms: 165, cost_micros: 60_005 });
    });

    test("routing: routed requests and the models chosen", async () => {
      const res = await fx.call("GET", `/admin/analytics/routing?${RANGE}`);
      expect(res.json).toMatchObject({ requests: 5, routed_requests: 1 });
      expect(res.json.data).toEqual([
        expect.objectContaining({
          routed_from: "auto",
          routing_method: "rules",
          model: "claude-opus-4-5",
          requests: 1,
        }),
      ]);
    });

    test("recent: newest first, cursor pages without gaps or repeats", async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const q: string = `${RANGE}&limit=2${cursor ? `&cursor=${cursor}` : ""}`;
        const res = await fx.call("GET", `/admin/analytics/recent?${q}`);
        expect(res.status).toBe(200);
        expect(res.json.data.length).toBeLessThanOrEqual(2);
        seen.push(...res.json.data.map((r: { id: string }) => r.id));
        cursor = res.json.next_cursor;
      } while (cursor);
      const expected = rows
        .slice(0, 5)
        .sort((x, y) => y.createdAt.getTime() - x.createdAt.getTime())
        .map((r) => r.id);
      expect(seen).toEqual(expected);
      const first = await fx.call("GET", `/admin/analytics/recent?${RANGE}&limit=1`);
      expect(first.json.data[0]).toMatchObject({
        model: "claude-opus-4-5",
        routed_from: "auto",
        routing_reason: "complex keyword",
        cost_micros: 5,
        cost_cents: 0.0005,
        team_id: fx.a.team.id,
      });
    });

    test("bad input → 422 naming the field", async () => {
      for (const [q, field] of [
        ["from=yesterday", "from"],
        ["from=2026-11-05&to=2026-11-01", "from"],
        ["to=2026-13-45T00:00", "to"],
        ["team_id=abc", "query.team_id"],
        ["cursor=bm9wZQ", "cursor"],
        ["limit=0", "query.limit"],
      ] as const) {
        const path = q.startsWith("cursor") || q.startsWith("limit") ? "recent" : "daily";
        const res = await fx.call("GET", `/admin/analytics/${path}?${q}`);
        expect([q, res.status, res.json.error?.field]).toEqual([q, 422, field]);
      }
    });

    test("export: CSV of the rows in range, oldest first, one header row, RFC 4180", async () => {
      const res = await fx.call("GET", `/admin/analytics/export?${RANGE}&team_id=${fx.a.team.id}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      expect(res.headers.get("content-disposition")).toContain("snodus-spend-2026-11-01-2026-11-04.csv");
      const [header, ...body] = parseCsv(res.text);
      expect(header?.slice(0, 3)).toEqual(["created_at", "id", "request_id"]);
      expect(body.map((r) => r[1])).toEqual(rows.slice(0, 4).map((r) => r.id));
      // Names beside the ids, for a spreadsheet: team name, user email, key name.
      const col = (name: string) => header?.indexOf(name) ?? -1;
      const first = rows[0];
      const owner = [fx.a, fx.b].find((t) => t.team.id === first?.teamId);
      const key = [owner?.adminKey, owner?.memberKey].find((k) => k?.id === first?.apiKeyId);
      const user = [owner?.admin, owner?.member].find((u) => u?.id === first?.userId);
      expect([body[0]?.[col("team_name")], body[0]?.[col("user_email")], body[0]?.[col("key_name")]]).toEqual(
        [owner?.team.name, user?.email, key?.name],
      );
      expect(res.text.endsWith("\r\n")).toBe(true);
    });
  });
}
