// CSV export of 100 000 rows: streamed with bounded memory, and parsed back (RFC 4180) to the very same rows.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { CSV_COLUMNS, csvField } from "../../src/modules/analytics/csv.ts";
import { spendView } from "../../src/modules/analytics/service.ts";
import type { SpendRow } from "../../src/store/types.ts";
import { DIALECTS } from "../helpers/databases.ts";
import { CsvParser, parseCsv } from "./csv-parser.ts";
import { type AdminFixture, adminFixture, BASIC, spendRow } from "./fixture.ts";

const ROWS = 100_000;
const START = Date.parse("2026-11-01T00:00:00Z");
const MB = 1024 * 1024;

/** Row i, the same every time it is asked for; some carry text that needs quoting. */
function row(i: number, ids: Pick<SpendRow, "apiKeyId" | "userId" | "teamId">, id: string): SpendRow {
  const tricky = i % 997 === 0;
  return spendRow({
    ...ids,
    id,
    // Three rows per millisecond, so the (created_at, id) tie-break is exercised.
    createdAt: new Date(START + Math.floor(i / 3)),
    requestId: `req_${i}`,
    model: tricky ? 'claude "quoted", model' : i % 2 ? "claude-sonnet-4-5" : "claude-haiku-4-5",
    inputTokens: i % 5000,
    outputTokens: i % 777,
    costMicros: i * 13,
    durationMs: i % 1000,
    status: i % 50 === 0 ? 502 : 200,
    stream: i % 3 === 0,
    routedFrom: i % 10 === 0 ? "auto" : null,
    routingMethod: i % 10 === 0 ? "rules" : null,
    routingReason: tricky ? "line one\r\nline two, with ünïcode ✓" : null,
  });
}

/** The row's fields, with the names of its owner (every row here belongs to one key). */
const expectedFields = (r: SpendRow, names: { team_name: string; user_email: string; key_name: string }) => {
  const v: Record<string, unknown> = { ...spendView(r), ...names };
  return CSV_COLUMNS.map((c) => (v[c] === null ? "" : String(v[c])));
};

for (const dialect of DIALECTS) {
  describe(`CSV export of ${ROWS} rows on ${dialect}`, () => {
    let fx: AdminFixture;
    const ids: string[] = [];
    let owner: Pick<SpendRow, "apiKeyId" | "userId" | "teamId">;

    beforeAll(async () => {
      fx = await adminFixture(dialect);
      owner = { apiKeyId: fx.a.adminKey.id, userId: fx.a.admin.id, teamId: fx.a.team.id };
      // UUIDv7s are generated in order, so id order matches insertion order within a millisecond.
      for (let i = 0; i < ROWS; i++) ids.push(Bun.randomUUIDv7());
      for (let i = 0; i < ROWS; i += 10_000) {
        const batch: SpendRow[] = [];
        for (let j = i; j < Math.min(ROWS, i + 10_000); j++) batch.push(row(j, owner, ids[j] as string));
        await fx.store.spend.insertMany(batch);
      }
    }, 120_000);
    afterAll(async () => fx.close());

    test("streams in chunks with flat memory and parses back to the same rows", async () => {
      const names = { team_name: fx.a.team.name, user_email: fx.a.admin.email, key_name: fx.a.adminKey.name };
      Bun.gc(true);
      const baseline = process.memoryUsage().heapUsed;
      const res = await fx.gateway.app.handle(
        new Request("http://localhost/admin/analytics/export?from=2026-11-01&to=2026-11-01", {
          headers: { authorization: BASIC },
        }),
      );
      expect(res.status).toBe(200);
      const reader = res.body?.getReader();
      if (!reader) throw new Error("no body");
      const decoder = new TextDecoder();
      let parsed = -1; // the header row comes first
      let chunks = 0;
      let peak = 0;
      const parser = new CsvParser((fields) => {
        if (parsed === -1) expect(fields).toEqual([...CSV_COLUMNS]);
        else if (!Bun.deepEquals(fields, expectedFields(row(parsed, owner, ids[parsed] as string), names)))
          throw new Error(`row ${parsed} differs: ${JSON.stringify(fields)}`);
        parsed++;
      });
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parser.push(decoder.decode(value, { stream: true }));
        // Sampled after a full GC: what the export holds, not garbage waiting to be collected.
        if (++chunks <= 2 || chunks % 10 === 0) {
          Bun.gc(true);
          peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
        }
      }
      parser.end();
      expect(parsed).toBe(ROWS);
      // Many chunks, not one buffered body.
      expect(chunks).toBeGreaterThan(ROWS / 5_000);
      // The whole CSV is ~30 MB of text (60 MB as JS strings) and 100 000 row objects far more; a
      // streaming export holds one chunk of 2 000 rows at a time.
      expect(peak).toBeLessThan(24 * MB);
    }, 120_000);
  });
}

describe("CSV fields (RFC 4180)", () => {
  test("quotes commas, quotes and line breaks; doubles quotes; neutralises formulas", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\r\nlines")).toBe('"two\r\nlines"');
    expect(csvField(null)).toBe("");
    expect(csvField(12.5)).toBe("12.5");
    expect(csvField(false)).toBe("false");
    expect(csvField("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvField("@SUM(A1),x")).toBe(`"'@SUM(A1),x"`);
    expect(parseCsv(`a,"b,c","d""e"\r\n,"x\r\ny",\r\n`)).toEqual([
      ["a", "b,c", 'd"e'],
      ["", "x\r\ny", ""],
    ]);
  });
});
