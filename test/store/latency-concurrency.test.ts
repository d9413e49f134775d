// Two gateways on one Postgres writing spend batches at once: the latency rollup's upserts neither
// deadlock nor lose an increment, and the rollup equals the raw rows afterwards.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { openStore } from "../../src/store/open.ts";
import type { SpendRow, Store } from "../../src/store/types.ts";
import { freshDatabase, type TestDatabase } from "../helpers/databases.ts";

let db: TestDatabase;
let stores: Store[];

beforeAll(async () => {
  db = await freshDatabase("postgres");
  stores = [await openStore(db.location), await openStore(db.location)];
});
afterAll(async () => {
  for (const s of stores) await s.close();
  await db.drop();
});

const HOUR = Date.parse("2026-11-10T00:00:00Z");
const TEAMS = Array.from({ length: 6 }, () => Bun.randomUUIDv7());
const MODELS = ["claude-sonnet-4-5", "claude-haiku-4-5", "gpt-4o"];

function batch(seed: number): SpendRow[] {
  // Each batch touches every (team, model) of two hours, in an order of its own, so concurrent
  // transactions want the same rollup rows: the case where unordered upserts would deadlock.
  const rows: SpendRow[] = [];
  for (let i = 0; i < 120; i++) {
    const k = (i * 7 + seed * 13) % (TEAMS.length * MODELS.length);
    rows.push({
      id: Bun.randomUUIDv7(),
      createdAt: new Date(HOUR + ((i + seed) % 2) * 3_600_000 + i * 1000),
      apiKeyId: Bun.randomUUIDv7(),
      userId: Bun.randomUUIDv7(),
      teamId: TEAMS[k % TEAMS.length] ?? "",
      model: MODELS[Math.floor(k / TEAMS.length) % MODELS.length] ?? "",
      provider: "anthropic",
      inputTokens: 1,
      outputTokens: 1,
      cacheCreationInputTokens: 0,
      cacheReadInputTokens: 0,
      costMicros: 1,
      durationMs: (i * 37 + seed) % 5_000,
      status: i % 10 === 0 ? 502 : i % 17 === 0 ? 499 : 200,
      stream: false,
      routedFrom: null,
      routingMethod: null,
      routingReason: null,
      requestId: `req_${seed}_${i}`,
    });
  }
  return rows;
}

test("concurrent batches from two gateways add up exactly", async () => {
  const batches = Array.from({ length: 24 }, (_, i) => batch(i));
  await Promise.all(batches.map((rows, i) => stores[i % 2]?.spend.insertMany(rows)));
  const all = batches.flat();
  const q = { from: new Date(HOUR), to: new Date(HOUR + 2 * 3_600_000), bucket: "hour" as const };
  const store = stores[0] as Store;
  const everyTeam = await store.latency.series({ ...q, group: "model" });
  for (const p of everyTeam) {
    const raw = all.filter(
      (r) => r.model === p.group && Math.floor(r.createdAt.getTime() / 3_600_000) * 3_600_000 === p.startMs,
    );
    expect([p.requests, p.errors5xx, p.clientClosed]).toEqual([
      raw.length,
      raw.filter((r) => r.status >= 500).length,
      raw.filter((r) => r.status === 499).length,
    ]);
    expect(p.histogram.reduce((a, b) => a + b, 0)).toBe(raw.length);
  }
  expect(everyTeam.reduce((n, p) => n + p.requests, 0)).toBe(all.length);
  for (const teamId of TEAMS) {
    const points = await store.latency.series({ ...q, group: "provider", teamId });
    expect(points.reduce((n, p) => n + p.requests, 0)).toBe(all.filter((r) => r.teamId === teamId).length);
  }
});
