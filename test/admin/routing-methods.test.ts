// /admin/analytics/routing/methods on both dialects: tier mix per method, saving against always-top, stickiness.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { DIALECTS } from "../helpers/databases.ts";
import { type AdminFixture, adminFixture, spendRow } from "./fixture.ts";

const RANGE = "from=2026-11-01&to=2026-11-03";

for (const dialect of DIALECTS) {
  describe(`/admin/analytics/routing/methods on ${dialect}`, () => {
    let fx: AdminFixture;
    beforeAll(async () => {
      fx = await adminFixture(dialect);
      const who = { apiKeyId: fx.a.adminKey.id, userId: fx.a.admin.id, teamId: fx.a.team.id };
      const other = { apiKeyId: fx.b.adminKey.id, userId: fx.b.admin.id, teamId: fx.b.team.id };
      const at = new Date("2026-11-02T10:00:00Z");
      const routed = { routedFrom: "auto", createdAt: at };
      await fx.store.spend.insertMany([
        spendRow({
          ...who,
          ...routed,
          model: "claude-haiku-4-5",
          inputTokens: 1_000,
          outputTokens: 100,
          costMicros: 1_500, // $1 / $5 per MTok
          routingMethod: "score",
          routingReason:
            "cheap tier: background call, session title (recognised by its system prompt, no tools)",
        }),
        spendRow({
          ...who,
          ...routed,
          model: "claude-opus-4-5",
          inputTokens: 2_000,
          outputTokens: 1_000,
          costMicros: 35_000, // $5 / $25
          routingMethod: "score",
          routingReason: 'top tier: reasoning "prove" (score 3.0)',
        }),
        spendRow({
          ...who,
          ...routed,
          model: "claude-sonnet-4-5",
          inputTokens: 10,
          outputTokens: 200,
          cacheReadInputTokens: 24_000,
          costMicros: 10_230, // $3 / $15, reads $0.30
          routingMethod: "score",
          routingReason:
            "middle tier: sticky (kept for ~24000 cached prefix tokens; score -0.4 alone would pick cheap)",
        }),
        spendRow({
          ...who,
          ...routed,
          model: "claude-haiku-4-5",
          inputTokens: 100,
          outputTokens: 10,
          costMicros: 150,
          routingMethod: "rules",
          routingReason: "cheap tier: short input (~25 tokens < 200)",
        }),
        // Not routed, another team, outside the range: none of them counts for team a.
        spendRow({ ...who, createdAt: at, model: "claude-opus-4-5", costMicros: 99_999 }),
        spendRow({
          ...other,
          ...routed,
          routingMethod: "score",
          routingReason: "middle tier: task (score 1.0)",
        }),
        spendRow({
          ...who,
          ...routed,
          createdAt: new Date("2026-11-09T00:00:00Z"),
          routingMethod: "score",
          routingReason: "top tier: x",
        }),
      ]);
    });
    afterAll(async () => fx.close());

    test("per method: tiers, spend, the same tokens at the top model's rates, sticky cache reads", async () => {
      const res = await fx.call("GET", `/admin/analytics/routing/methods?${RANGE}&team_id=${fx.a.team.id}`);
      expect(res.status).toBe(200);
      expect(res.json.top_model).toBe("claude-opus-4-5");
      const [score, rules] = res.json.data;
      // Opus 4.5: $5 input, $25 output, $0.50 cache reads per MTok.
      const atTop = 1_000 * 5 + 100 * 25 + (2_000 * 5 + 1_000 * 25) + (10 * 5 + 200 * 25 + 24_000 * 0.5);
      expect(score).toEqual({
        method: "score",
        requests: 3,
        tiers: { cheap: 1, middle: 1, top: 1, other: 0 },
        cost_micros: 46_730,
        always_top_micros: atTop,
        saving_micros: atTop - 46_730,
        sticky_requests: 1,
        sticky_cache_read_tokens: 24_000,
        background_requests: 1,
      });
      expect(rules).toMatchObject({
        method: "rules",
        requests: 1,
        tiers: { cheap: 1, middle: 0, top: 0, other: 0 },
      });
      expect(rules.always_top_micros).toBe(100 * 5 + 10 * 25);
    });

    test("a team admin sees only their team; with nothing routed the list is empty", async () => {
      const mine = await fx.call("GET", `/admin/analytics/routing/methods?${RANGE}`, {
        auth: `Bearer ${fx.b.secret}`,
      });
      expect(mine.status).toBe(200);
      expect(mine.json.data.map((m: { method: string; requests: number }) => [m.method, m.requests])).toEqual(
        [["score", 1]],
      );
      const none = await fx.call("GET", "/admin/analytics/routing/methods?from=2026-10-01&to=2026-10-02");
      expect(none.json.data).toEqual([]);
    });
  });
}
