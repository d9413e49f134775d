// The report lane: whole reports and export chunks run in a worker thread (as `serve` opens the store)
// and answer exactly what the same report run on the calling thread answers, on both dialects.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spendCsvStream } from "../../src/modules/analytics/csv.ts";
import { type CsvPageJob, inlineReports, type ReportJob } from "../../src/modules/analytics/jobs.ts";
import type { Range } from "../../src/modules/analytics/service.ts";
import { createKey } from "../../src/modules/keys/service.ts";
import { openStore } from "../../src/store/open.ts";
import type { ApiKey, SpendRow, Store } from "../../src/store/types.ts";
import { DIALECTS, freshDatabase, type TestDatabase } from "../helpers/databases.ts";

const DAY = 86_400_000;
const START = Date.parse("2026-10-20T00:00:00Z");
const MODELS = [
  ["claude-sonnet-4-5", "anthropic"],
  ["gpt-4o-mini", "openai"],
  ["llama3.1", "ollama"],
] as const;

for (const dialect of DIALECTS) {
  describe(`report lane on ${dialect}`, () => {
    let db: TestDatabase;
    let store: Store;
    let teamId: string;
    const range: Range = { from: new Date(START), to: new Date(START + 40 * DAY), teamId: undefined };

    beforeAll(async () => {
      db = await freshDatabase(dialect);
      store = await openStore(db.location, { lane: true });
      const team = await store.teams.create({ name: "Lane", plan: "enterprise" });
      teamId = team.id;
      const user = await store.users.create({ email: "lane@example.com", name: "Lane", teamId });
      const keys: ApiKey[] = [];
      for (let i = 0; i < 3; i++)
        keys.push((await createKey(store, { userId: user.id, name: `lane-${i}` })).key);
      // 1,200 rows over 40 days (across a month end), a routed share, some errors and tags.
      const rows: SpendRow[] = Array.from({ length: 1200 }, (_, i) => {
        const [model, provider] = MODELS[i % MODELS.length] as (typeof MODELS)[number];
        return {
          id: Bun.randomUUIDv7(),
          createdAt: new Date(START + Math.floor((i * 40 * DAY) / 1200) + 1000),
          apiKeyId: keys[i % 3]?.id ?? "",
          userId: user.id,
          teamId,
          model,
          provider,
          inputTokens: 100 + i,
          outputTokens: 10 + (i % 50),
          cacheCreationInputTokens: i % 7,
          cacheReadInputTokens: i % 11,
          costMicros: 1000 + i * 3,
          durationMs: 50 + (i % 400),
          status: i % 40 === 0 ? 529 : 200,
          stream: i % 2 === 0,
          routedFrom: i % 5 === 0 ? "auto" : null,
          routingMethod: i % 5 === 0 ? (i % 10 === 0 ? "score" : "rules") : null,
          routingReason: i % 5 === 0 ? "cheap tier: short input (12 tokens)" : null,
          requestId: `req_${i}`,
          tags: i % 3 === 0 ? "nightly,ci" : null,
          endUser: i % 4 === 0 ? "user-7" : null,
        };
      });
      await store.spend.insertMany(rows);
    });
    afterAll(async () => {
      await store?.close();
      await db?.drop();
    });

    test("the store has a report lane, and every report answers what it answers inline", async () => {
      const lane = store.reportLane;
      expect(lane).toBeDefined();
      const here = inlineReports(store);
      const jobs: ReportJob[] = [
        ...(["daily", "models", "users", "providers", "routing", "keys", "routing/daily"] as const).map(
          (report) => ({ report, range }),
        ),
        {
          report: "routing/methods",
          range,
          pricing: { defaultPrice: { inputPerMTok: 3, outputPerMTok: 15 }, configuredTop: null },
        },
        { report: "latency", query: { ...range, group: "model", bucket: "day" } },
        { report: "recent", range: { ...range, teamId }, limit: 25, after: null, rows: { statusMin: 500 } },
        { report: "chargeback", range, by: "key" },
      ];
      for (const job of jobs) {
        const [inLane, inline] = await Promise.all([lane?.run(job), here.run(job)]);
        expect(typeof inLane).toBe("string");
        expect(inLane).toBe(inline);
        expect((inLane ?? "").length).toBeGreaterThan(40);
      }
      const daily = JSON.parse((await lane?.run({ report: "daily", range })) ?? "{}");
      expect(daily.totals.requests).toBe(1200);
    });

    test("an export streamed from the lane is the inline export byte for byte, one chunk at a time", async () => {
      const lane = store.reportLane;
      if (!lane) throw new Error("no report lane");
      const filter = { from: range.from, to: range.to };
      const [fromLane, inline] = await Promise.all([
        new Response(spendCsvStream(lane, filter, 250)).text(),
        new Response(spendCsvStream(inlineReports(store), filter, 250)).text(),
      ]);
      expect(fromLane).toBe(inline);
      const lines = fromLane.trimEnd().split("\r\n");
      expect(lines).toHaveLength(1201);
      expect(lines[1]).toContain("lane-");
      // A chunk crosses as bytes, with its cursor for the next one.
      const job: CsvPageJob = { exportId: "t", filter, after: null, limit: 100 };
      const page = await lane.csvPage(job);
      expect(page.bytes).toBeInstanceOf(Uint8Array);
      expect(new TextDecoder().decode(page.bytes).split("\r\n")).toHaveLength(101);
      expect(page.next).not.toBeNull();
    });
  });
}

test("after close the report lane refuses instead of hanging", async () => {
  const db = await freshDatabase("sqlite");
  const store = await openStore(db.location, { lane: true });
  const range: Range = { from: new Date(START), to: new Date(START + DAY), teamId: undefined };
  await store.close();
  await expect(store.reportLane?.run({ report: "daily", range }) ?? Promise.resolve()).rejects.toThrow();
  await db.drop();
});
