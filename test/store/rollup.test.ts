// Rollup exactness: random spend rows across day and month boundaries, random ranges, scopes and
// groupings; every report the store answers must equal a sum over the raw rows, on both dialects,
// also for a database upgraded from before the rollups (backfilled by the migration).
import { Database } from "bun:sqlite";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { drizzle as drizzleSqlite } from "drizzle-orm/bun-sqlite";
import { drizzle as drizzlePg } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { toMigrationMeta } from "../../src/store/migrations/embed.ts";
import { postgresMigrations, sqliteMigrations } from "../../src/store/migrations.gen.ts";
import { openStore } from "../../src/store/open.ts";
import * as pgSchema from "../../src/store/schema/postgres.ts";
import * as liteSchema from "../../src/store/schema/sqlite.ts";
import type {
  Dialect,
  SpendDimension,
  SpendFilter,
  SpendGroup,
  SpendRow,
  Store,
} from "../../src/store/types.ts";
import { DIALECTS, freshDatabase, type TestDatabase } from "../helpers/databases.ts";

const DAY = 86_400_000;
// 2026-01-27 to 2026-03-04: crosses two month ends (and February's short one).
const START = Date.parse("2026-01-27T00:00:00Z");
const SPAN = 36 * DAY;

/** A seeded generator, so a failure can be replayed; the seed is printed in the test name. */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return (n: number) => {
    s = (s * 48271) % 2147483647;
    return s % n;
  };
}

const pick = <T>(next: (n: number) => number, xs: readonly T[]): T => xs[next(xs.length)] as T;

const TEAMS = Array.from({ length: 3 }, () => Bun.randomUUIDv7());
const USERS = Array.from({ length: 6 }, (_, i) => ({
  id: Bun.randomUUIDv7(),
  teamId: TEAMS[i % 3] as string,
}));
const KEYS = Array.from({ length: 10 }, (_, i) => ({
  id: Bun.randomUUIDv7(),
  user: USERS[i % 6] as (typeof USERS)[0],
}));
const MODELS = [
  ["claude-sonnet-4-5", "anthropic"],
  ["gpt-4o-mini", "openai"],
  ["llama3.1", "ollama"],
  ["claude-sonnet-4-5", "bedrock"],
] as const;
// "" beside null on purpose: the rollup must keep them apart as the raw rows do.
const ROUTED = [null, "auto", ""] as const;
const METHODS = [null, "rules", "classifier", ""] as const;
const REASONS = [
  null,
  "tier:top complex keyword (refactor)",
  "tier:cheap short input (12 tokens)",
  "no figures",
  "",
];

function randomRows(next: (n: number) => number, n: number): SpendRow[] {
  return Array.from({ length: n }, (_, i) => {
    const key = pick(next, KEYS);
    const [model, provider] = pick(next, MODELS);
    // A few rows sit exactly on a UTC midnight or a millisecond before it.
    const edge = next(10);
    const base = START + next(SPAN / 1000) * 1000 + next(1000);
    const at =
      edge === 0 ? Math.floor(base / DAY) * DAY : edge === 1 ? Math.floor(base / DAY) * DAY - 1 : base;
    return {
      id: Bun.randomUUIDv7(),
      createdAt: new Date(Math.max(START, at)),
      apiKeyId: key.id,
      userId: key.user.id,
      teamId: key.user.teamId,
      model,
      provider,
      inputTokens: next(5000),
      outputTokens: next(2000),
      cacheCreationInputTokens: next(3) === 0 ? next(900) : 0,
      cacheReadInputTokens: next(3) === 0 ? next(9000) : 0,
      costMicros: next(400_000),
      durationMs: next(20_000),
      status: pick(next, [200, 200, 200, 399, 400, 429, 500, 499]),
      stream: next(2) === 0,
      routedFrom: pick(next, ROUTED),
      routingMethod: pick(next, METHODS),
      routingReason: pick(next, REASONS),
      requestId: `req_${i}`,
      tags: next(4) === 0 ? "a,b" : null,
      endUser: next(4) === 0 ? "eu-1" : null,
    };
  });
}

/** The reference: the same totals summed in JS straight from the rows that were written. */
function reference(rows: SpendRow[], dims: SpendDimension[], f: SpendFilter): SpendGroup[] {
  const value = (r: SpendRow, d: SpendDimension): string | null => {
    const iso = r.createdAt.toISOString();
    switch (d) {
      case "day":
        return iso.slice(0, 10);
      case "month":
        return iso.slice(0, 7);
      case "routingRule":
        return r.routingReason === null ? null : (r.routingReason.split(" (")[0] ?? "");
      default:
        return r[d];
    }
  };
  const out = new Map<string, SpendGroup>();
  for (const r of rows) {
    const t = r.createdAt.getTime();
    if (f.from && t < f.from.getTime()) continue;
    if (f.to && t >= f.to.getTime()) continue;
    if (f.teamId && r.teamId !== f.teamId) continue;
    if (f.model && r.model !== f.model) continue;
    if (f.provider && r.provider !== f.provider) continue;
    if (f.userId && r.userId !== f.userId) continue;
    if (f.apiKeyId && r.apiKeyId !== f.apiKeyId) continue;
    if (f.tag && !(r.tags ?? "").split(",").includes(f.tag)) continue;
    if (f.endUser && r.endUser !== f.endUser) continue;
    const g: Partial<Record<SpendDimension, string | null>> = {};
    for (const d of dims) g[d] = value(r, d);
    const k = JSON.stringify(dims.map((d) => g[d]));
    const have = out.get(k) ?? {
      dims: g,
      requests: 0,
      costMicros: 0,
      inputTokens: 0,
      outputTokens: 0,
      cacheCreationInputTokens: 0,
      cacheReadInputTokens: 0,
      errors: 0,
      durationMsTotal: 0,
    };
    out.set(k, have);
    have.requests += 1;
    have.costMicros += r.costMicros;
    have.inputTokens += r.inputTokens;
    have.outputTokens += r.outputTokens;
    have.cacheCreationInputTokens += r.cacheCreationInputTokens;
    have.cacheReadInputTokens += r.cacheReadInputTokens;
    have.errors += r.status >= 400 ? 1 : 0;
    have.durationMsTotal += r.durationMs;
  }
  return [...out.values()];
}

const sorted = (gs: SpendGroup[], dims: SpendDimension[]) =>
  gs
    .filter((g) => g.requests > 0)
    .map((g) => ({ ...g, dims: Object.fromEntries(dims.map((d) => [d, g.dims[d] ?? null])) }))
    .sort((a, b) => JSON.stringify(a.dims).localeCompare(JSON.stringify(b.dims)));

// Groupings the reports use (each rollup's and some neither carries alone), plus random ones below.
const GROUPINGS: SpendDimension[][] = [
  ["day"],
  ["model", "provider"],
  ["userId"],
  ["provider"],
  ["routedFrom", "routingMethod", "model"],
  ["apiKeyId"],
  ["day", "routingRule", "model"],
  ["routingMethod", "routingRule", "model"],
  ["month", "teamId"],
  ["month", "teamId", "apiKeyId"],
  ["teamId"],
  ["model", "userId"],
];

function randomBound(next: (n: number) => number): Date {
  const day = START - 2 * DAY + next(40) * DAY;
  // Half on a midnight, half anywhere in the day (partial days at the edges).
  return new Date(next(2) === 0 ? day : day + next(DAY));
}

function randomQuery(next: (n: number) => number): { dims: SpendDimension[]; filter: SpendFilter } {
  const dims = pick(next, GROUPINGS);
  const filter: SpendFilter = {};
  const a = randomBound(next);
  const b = randomBound(next);
  const shape = next(6);
  if (shape !== 0) filter.from = new Date(Math.min(a.getTime(), b.getTime()));
  if (shape !== 1) filter.to = new Date(Math.max(a.getTime(), b.getTime()) + 1 + next(3) * DAY);
  if (next(2) === 0) filter.teamId = pick(next, TEAMS);
  const extra = next(8);
  if (extra === 0) filter.model = pick(next, MODELS)[0];
  if (extra === 1) filter.provider = pick(next, MODELS)[1];
  if (extra === 2) filter.userId = pick(next, USERS).id;
  if (extra === 3) filter.apiKeyId = pick(next, KEYS).id;
  if (extra === 4) filter.tag = "a";
  if (extra === 5) filter.endUser = "eu-1";
  return { dims, filter };
}

async function expectExact(store: Store, rows: SpendRow[], next: (n: number) => number, queries: number) {
  for (let i = 0; i < queries; i++) {
    const { dims, filter } = randomQuery(next);
    const got = sorted(await store.spend.groupBy(dims, filter), dims);
    const want = sorted(reference(rows, dims, filter), dims);
    if (JSON.stringify(got) !== JSON.stringify(want))
      expect({ dims, filter, got }).toEqual({ dims, filter, got: want });
  }
  // Budgets and the account summary: totals per key and team over a month with partial ends.
  const from = new Date(Date.parse("2026-02-01T00:00:00Z") + 3_600_000);
  const to = new Date(Date.parse("2026-03-01T00:00:00Z") + 7_200_000);
  const byTeam = await store.spend.totalsByTeam(from, to);
  for (const g of reference(rows, ["teamId"], { from, to }))
    expect(byTeam.get(g.dims.teamId ?? "")).toEqual({
      costMicros: g.costMicros,
      inputTokens: g.inputTokens,
      outputTokens: g.outputTokens,
      requests: g.requests,
    });
  const byKey = await store.spend.totalsByKey(from, to);
  expect(byKey.size).toBe(reference(rows, ["apiKeyId"], { from, to }).length);
}

const SEED = Number(process.env.SNODUS_ROLLUP_SEED ?? Date.now() % 100_000);

for (const dialect of DIALECTS) {
  describe(`rollups on ${dialect} (seed ${SEED})`, () => {
    let db: TestDatabase;
    let store: Store;
    const next = rng(SEED + (dialect === "sqlite" ? 0 : 7));
    const rows = randomRows(next, 3000);

    beforeAll(async () => {
      db = await freshDatabase(dialect);
      store = await openStore(db.location);
      // Uneven batches, so one day's group is upserted by many batches (the ON CONFLICT path).
      for (let i = 0; i < rows.length; ) {
        const n = 1 + next(700);
        await store.spend.insertMany(rows.slice(i, i + n));
        i += n;
      }
    });
    afterAll(async () => {
      await store.close();
      await db.drop();
    });

    test("every grouping over random ranges, scopes and filters equals the raw rows", async () => {
      await expectExact(store, rows, next, 150);
    });

    test("each rollup holds every row exactly once", async () => {
      const sums =
        db.location.kind === "sqlite"
          ? (() => {
              const c = new Database(db.location.path, { readonly: true });
              const q = (t: string) =>
                Number((c.query(`SELECT sum(requests) AS n FROM ${t}`).get() as { n: number }).n);
              const out = [q("spend_daily_model"), q("spend_daily_key"), q("spend_monthly_key")];
              c.close();
              return out;
            })()
          : await (async () => {
              const c = postgres(db.url, { max: 1, onnotice: () => {} });
              const [m] = await c`SELECT sum(requests)::int AS n FROM spend_daily_model`;
              const [k] = await c`SELECT sum(requests)::int AS n FROM spend_daily_key`;
              const [km] = await c`SELECT sum(requests)::int AS n FROM spend_monthly_key`;
              await c.end();
              return [m?.n, k?.n, km?.n];
            })();
      expect(sums).toEqual([rows.length, rows.length, rows.length]);
    });

    test("ranges inside one day, empty ranges and unbounded ranges", async () => {
      const noon = new Date(START + 5 * DAY + DAY / 2);
      const cases: SpendFilter[] = [
        { from: noon, to: new Date(noon.getTime() + 3_600_000) },
        { from: new Date(START - 10 * DAY), to: new Date(START - 9 * DAY) },
        {},
        { to: noon },
        { from: noon },
        { from: new Date(START + 3 * DAY), to: new Date(START + 4 * DAY) },
        // Whole months (spend_monthly_key) with partial months and partial days around them.
        {
          from: new Date(Date.parse("2026-02-01T00:00:00Z")),
          to: new Date(Date.parse("2026-03-01T00:00:00Z")),
        },
        {
          from: new Date(Date.parse("2026-01-31T05:00:00Z")),
          to: new Date(Date.parse("2026-03-02T07:00:00Z")),
        },
        {
          from: new Date(Date.parse("2026-02-02T00:00:00Z")),
          to: new Date(Date.parse("2026-03-01T00:00:00Z")),
        },
      ];
      for (const filter of cases)
        for (const dims of [
          ["day"],
          ["userId"],
          ["apiKeyId"],
          ["month", "teamId", "apiKeyId"],
          ["model", "provider"],
          [],
        ] as SpendDimension[][])
          expect(sorted(await store.spend.groupBy(dims, filter), dims)).toEqual(
            sorted(reference(rows, dims, filter), dims),
          );
    });
  });
}

/** Applies the migrations from before the rollups, so the next open is an upgrade. */
async function oldDatabase(dialect: Dialect, db: TestDatabase, rows: SpendRow[]): Promise<void> {
  const before = (list: typeof sqliteMigrations) => toMigrationMeta(list.filter((m) => m.tag < "0004"));
  type Migratable = { dialect: { migrate(m: unknown, s: unknown, c: unknown): unknown }; session: unknown };
  if (db.location.kind === "sqlite") {
    const client = new Database(db.location.path, { create: true });
    const lite = drizzleSqlite(client, { schema: liteSchema });
    const m = lite as unknown as Migratable;
    m.dialect.migrate(before(sqliteMigrations), m.session, { migrationsFolder: "" });
    for (let i = 0; i < rows.length; i += 200)
      lite
        .insert(liteSchema.spendLog)
        .values(rows.slice(i, i + 200))
        .run();
    client.close();
    return;
  }
  const client = postgres(db.url, { max: 1, onnotice: () => {} });
  const pg = drizzlePg(client, { schema: pgSchema });
  const m = pg as unknown as Migratable;
  await m.dialect.migrate(before(postgresMigrations), m.session, { migrationsFolder: "" });
  for (let i = 0; i < rows.length; i += 200)
    await pg.insert(pgSchema.spendLog).values(rows.slice(i, i + 200));
  await client.end();
  expect(dialect).toBe("postgres");
}

for (const dialect of DIALECTS) {
  test(`an upgraded ${dialect} database gets its rollups from the raw rows (seed ${SEED})`, async () => {
    const db = await freshDatabase(dialect);
    const next = rng(SEED + 13);
    const old = randomRows(next, 1500);
    await oldDatabase(dialect, db, old);
    const store = await openStore(db.location);
    try {
      // New rows after the upgrade land on top of the backfilled days.
      const fresh = randomRows(next, 500);
      await store.spend.insertMany(fresh);
      await expectExact(store, [...old, ...fresh], next, 60);
    } finally {
      await store.close();
      await db.drop();
    }
  });
}
