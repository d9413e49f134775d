// /admin/analytics/latency on both dialects: figures against the raw rows, scoping, validation, rebuild.
import { Database } from "bun:sqlite";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import postgres from "postgres";
import {
  exactPercentile,
  LATENCY_LOWER_BOUNDS,
  LATENCY_RESOLUTION,
} from "../../src/store/latency-buckets.ts";
import { openStore } from "../../src/store/open.ts";
import type { SpendRow } from "../../src/store/types.ts";
import { DIALECTS } from "../helpers/databases.ts";
import { type AdminFixture, adminFixture, MISSING_ID, spendRow } from "./fixture.ts";

const START = Date.parse("2026-11-09T20:00:00Z");
const HOURS = 36; // crosses two UTC midnights' worth of hours: 9 Nov 20:00 → 11 Nov 08:00
const RANGE = "from=2026-11-09T20:00:00Z&to=2026-11-11T08:00:00Z";
const MODELS = [
  ["claude-sonnet-4-5", "anthropic"],
  ["claude-haiku-4-5", "anthropic"],
  ["gpt-4o", "openai"],
] as const;
const STATUSES = [200, 200, 200, 200, 200, 200, 400, 429, 499, 500, 502, 504];

interface Expected {
  requests: number;
  errors_4xx: number;
  client_closed: number;
  errors_5xx: number;
  durations: number[];
}

type Point = {
  bucket_start?: string;
  group: string;
  requests: number;
  errors_4xx: number;
  client_closed: number;
  errors_5xx: number;
  error_rate: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
};

/** What the raw rows say, grouped the way the report groups them. */
function expected(rows: SpendRow[], key: (r: SpendRow) => string): Map<string, Expected> {
  const out = new Map<string, Expected>();
  for (const r of rows) {
    const k = key(r);
    let e = out.get(k);
    if (!e) {
      e = { requests: 0, errors_4xx: 0, client_closed: 0, errors_5xx: 0, durations: [] };
      out.set(k, e);
    }
    e.requests++;
    if (r.status === 499) e.client_closed++;
    else if (r.status >= 500) e.errors_5xx++;
    else if (r.status >= 400) e.errors_4xx++;
    e.durations.push(r.durationMs);
  }
  return out;
}

/** Beyond the last bucket's lower bound (~10.4 min) a percentile reads as that bound. */
const OPEN_BUCKET = LATENCY_LOWER_BOUNDS.at(-1) ?? 0;

function expectClose(got: number, exact: number): void {
  if (exact < 16) expect(got).toBe(exact);
  else if (exact >= OPEN_BUCKET) expect(got).toBe(OPEN_BUCKET);
  else expect(Math.abs(got - exact) / exact).toBeLessThanOrEqual(LATENCY_RESOLUTION);
}

function expectMatches(points: Point[], want: Map<string, Expected>, key: (p: Point) => string): void {
  expect(points.map(key).sort()).toEqual([...want.keys()].sort());
  for (const p of points) {
    const e = want.get(key(p));
    if (!e) throw new Error(`unexpected point ${key(p)}`);
    expect([p.requests, p.errors_4xx, p.client_closed, p.errors_5xx]).toEqual([
      e.requests,
      e.errors_4xx,
      e.client_closed,
      e.errors_5xx,
    ]);
    expect(p.error_rate).toBeCloseTo((e.errors_4xx + e.client_closed + e.errors_5xx) / e.requests, 12);
    expectClose(p.p50_ms, exactPercentile(e.durations, 0.5) ?? -1);
    expectClose(p.p95_ms, exactPercentile(e.durations, 0.95) ?? -1);
    expectClose(p.p99_ms, exactPercentile(e.durations, 0.99) ?? -1);
  }
}

for (const dialect of DIALECTS) {
  describe(`/admin/analytics/latency on ${dialect}`, () => {
    let fx: AdminFixture;
    let rows: SpendRow[];
    const inRange = (r: SpendRow) => {
      const t = r.createdAt.getTime();
      return t >= START && t < START + HOURS * 3_600_000;
    };

    beforeAll(async () => {
      fx = await adminFixture(dialect);
      // A fixed pseudo-random sequence: durations log-uniform from 0 ms to ~11 min, so every part of
      // the histogram (exact small buckets, log buckets, the open last one) is exercised.
      let seed = 7;
      const rand = () => {
        seed = (seed * 48271) % 2147483647;
        return seed / 2147483647;
      };
      const who = [fx.a, fx.b].map((t) => ({
        apiKeyId: t.adminKey.id,
        userId: t.admin.id,
        teamId: t.team.id,
      }));
      rows = [];
      for (let i = 0; i < 3000; i++) {
        const [model, provider] = MODELS[Math.floor(rand() * MODELS.length)] ?? MODELS[0];
        // Some rows a little outside the range on each side, to show the bounds hold.
        const at = START - 3_600_000 + Math.floor(rand() * (HOURS + 2) * 3_600_000);
        rows.push(
          spendRow({
            ...(who[Math.floor(rand() * 2)] ?? { apiKeyId: "", userId: "", teamId: "" }),
            createdAt: new Date(at),
            model,
            provider,
            status: STATUSES[Math.floor(rand() * STATUSES.length)] ?? 200,
            durationMs: Math.floor(Math.exp(rand() * Math.log(700_000))) - 1,
          }),
        );
      }
      // Several batches, as the writer flushes them, so counters are added to across batches.
      for (let i = 0; i < rows.length; i += 250) await fx.store.spend.insertMany(rows.slice(i, i + 250));
    });
    afterAll(async () => fx.close());

    const hourOf = (r: SpendRow) => new Date(Math.floor(r.createdAt.getTime() / 3_600_000) * 3_600_000);
    const dayOf = (r: SpendRow) => `${r.createdAt.toISOString().slice(0, 10)}T00:00:00.000Z`;

    test("hourly per model: counts exact, percentiles within the resolution of the raw rows'", async () => {
      const res = await fx.call("GET", `/admin/analytics/latency?${RANGE}&bucket=hour&group=model`);
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({
        from: "2026-11-09T20:00:00.000Z",
        to: "2026-11-11T08:00:00.000Z",
        team_id: null,
        bucket: "hour",
        group: "model",
        resolution: LATENCY_RESOLUTION,
      });
      const want = expected(rows.filter(inRange), (r) => `${hourOf(r).toISOString()} ${r.model}`);
      expectMatches(res.json.series, want, (p) => `${p.bucket_start} ${p.group}`);
      const totals = expected(rows.filter(inRange), (r) => r.model);
      expectMatches(res.json.totals, totals, (p) => p.group);
      const sizes = res.json.totals.map((p: Point) => p.requests);
      expect(sizes).toEqual([...sizes].sort((a: number, b: number) => b - a));
    });

    test("daily per provider, and one team's own view", async () => {
      const res = await fx.call("GET", `/admin/analytics/latency?${RANGE}&bucket=day&group=provider`);
      expect(res.status).toBe(200);
      expectMatches(
        res.json.series,
        expected(rows.filter(inRange), (r) => `${dayOf(r)} ${r.provider}`),
        (p) => `${p.bucket_start} ${p.group}`,
      );
      const teamRows = rows.filter((r) => inRange(r) && r.teamId === fx.a.team.id);
      const asTeamAdmin = await fx.call("GET", `/admin/analytics/latency?${RANGE}&group=provider`, {
        auth: fx.bearer(fx.a.secret),
      });
      expect(asTeamAdmin.status).toBe(200);
      expect(asTeamAdmin.json.team_id).toBe(fx.a.team.id);
      expectMatches(
        asTeamAdmin.json.totals,
        expected(teamRows, (r) => r.provider),
        (p) => p.group,
      );
      const filtered = await fx.call(
        "GET",
        `/admin/analytics/latency?${RANGE}&group=provider&team_id=${fx.a.team.id}`,
      );
      expect(filtered.json.totals).toEqual(asTeamAdmin.json.totals);
      // Another team's id answers like a missing one for a team admin.
      const other = await fx.call("GET", `/admin/analytics/latency?team_id=${fx.b.team.id}`, {
        auth: fx.bearer(fx.a.secret),
      });
      expect(other.status).toBe(404);
      expect(
        (await fx.call("GET", "/admin/analytics/latency", { auth: fx.bearer(fx.a.memberSecret) })).status,
      ).toBe(403);
    });

    test("a range is widened to whole hours; an empty range has no series", async () => {
      const res = await fx.call(
        "GET",
        "/admin/analytics/latency?from=2026-11-10T10:15:00Z&to=2026-11-10T11:01:00Z&bucket=hour",
      );
      expect(res.json).toMatchObject({ from: "2026-11-10T10:00:00.000Z", to: "2026-11-10T12:00:00.000Z" });
      const want = expected(
        rows.filter(
          (r) =>
            hourOf(r).toISOString().startsWith("2026-11-10T1") &&
            ["10", "11"].includes(hourOf(r).toISOString().slice(11, 13)),
        ),
        (r) => r.model,
      );
      expectMatches(res.json.totals, want, (p) => p.group);
      const empty = await fx.call("GET", "/admin/analytics/latency?from=2025-01-01&to=2025-01-02");
      expect(empty.json.series).toEqual([]);
      expect(empty.json.totals).toEqual([]);
    });

    test("the OpenAPI document describes the route, its parameters and its answer", async () => {
      const doc = (await fx.call("GET", "/admin/openapi.json", { auth: null })).json;
      const op = doc.paths["/admin/analytics/latency"].get;
      expect(op.parameters.map((p: { name: string }) => p.name).sort()).toEqual([
        "bucket",
        "from",
        "group",
        "team_id",
        "to",
      ]);
      expect(JSON.stringify(op.responses["200"])).toContain("p99_ms");
    });

    test("bad parameters are a 422 naming the field", async () => {
      const cases: [string, string][] = [
        ["bucket=week", "query.bucket"],
        ["group=team", "query.group"],
        ["tag=x", "query.tag"],
        ["limit=5", "query.limit"],
        ["bucket=day&bucket=hour", "query.bucket"],
        ["from=yesterday", "from"],
        ["from=2026-11-10&to=2026-11-09", "from"],
        [`team_id=not-a-uuid`, "query.team_id"],
        // 32 days of hours is beyond an hourly series' bound.
        ["from=2026-10-01&to=2026-11-01&bucket=hour", "bucket"],
      ];
      for (const [query, field] of cases) {
        const res = await fx.call("GET", `/admin/analytics/latency?${query}`);
        expect([query, res.status]).toEqual([query, 422]);
        expect([query, res.json.error.field]).toEqual([query, field]);
      }
      // Like the other reports: the global administrator asking for a team with no rows gets none.
      const none = await fx.call("GET", `/admin/analytics/latency?team_id=${MISSING_ID}`);
      expect([none.status, none.json.totals]).toEqual([200, []]);
      const month = await fx.call(
        "GET",
        "/admin/analytics/latency?from=2026-10-10&to=2026-11-09&bucket=hour",
      );
      expect(month.status).toBe(200);
    });

    test("rebuilding from the raw rows changes nothing, twice; a database without the rollup is backfilled", async () => {
      const path = `/admin/analytics/latency?${RANGE}&bucket=hour`;
      const teamPath = `${path}&team_id=${fx.b.team.id}`;
      const before = (await fx.call("GET", path)).json;
      const teamBefore = (await fx.call("GET", teamPath)).json;
      expect(teamBefore.series.length).toBeGreaterThan(0);
      await fx.store.latency.rebuild();
      await fx.store.latency.rebuild();
      expect((await fx.call("GET", path)).json).toEqual(before);
      expect((await fx.call("GET", teamPath)).json).toEqual(teamBefore);

      // As if the database predated the rollup: rows, no rollup. Opening the store computes it.
      const location = fx.config.database;
      if (location.kind === "sqlite") {
        const raw = new Database(location.path);
        raw.run("DELETE FROM latency_hourly");
        raw.run("DELETE FROM latency_hourly_all");
        raw.close();
      } else {
        const raw = postgres(location.url, { max: 1, onnotice: () => {} });
        await raw`DELETE FROM latency_hourly`;
        await raw`DELETE FROM latency_hourly_all`;
        await raw.end();
      }
      expect((await fx.call("GET", path)).json.series).toEqual([]);
      expect((await fx.call("GET", teamPath)).json.series).toEqual([]);
      const reopened = await openStore(location);
      await reopened.close();
      expect((await fx.call("GET", path)).json).toEqual(before);
      expect((await fx.call("GET", teamPath)).json).toEqual(teamBefore);
    });
  });
}
