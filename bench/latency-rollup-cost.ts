// What the latency rollup adds to a spend batch: bun bench/latency-rollup-cost.ts [batches] [rows]
//
// Writes `batches` batches (default 200) of `rows` spend rows (default 400, what the recorder flushes
// at ~2,000 req/s) through each dialect's spend writer twice, into fresh databases: once with the
// rollup a no-op, once with the real one. Rows spread over 50 teams × 5 models within the current
// hour, so every batch touches many rollup rows (the rollup's worst case per batch). Prints the
// median and p99 ms per batch of each, as JSON, with the load average (the machine may be shared).
import { Database } from "bun:sqlite";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { postgresLatencyRollup, sqliteLatencyRollup } from "../src/store/latency-rollup.ts";
import { openStore } from "../src/store/open.ts";
import * as pgSchema from "../src/store/schema/postgres.ts";
import * as liteSchema from "../src/store/schema/sqlite.ts";
import { postgresSpendWriter, type SpendWriter, sqliteSpendWriter } from "../src/store/spend-writer.ts";
import { openSqliteDirect } from "../src/store/sqlite.ts";
import type { SpendRow } from "../src/store/types.ts";
import { freshDatabase } from "../test/helpers/databases.ts";

const batches = Number(Bun.argv[2] ?? 200);
const size = Number(Bun.argv[3] ?? 400);
const TEAMS = Array.from({ length: 50 }, () => Bun.randomUUIDv7());
const MODELS = ["claude-sonnet-4-5", "claude-haiku-4-5", "claude-opus-4-1", "gpt-4o-mini", "llama3.1"];

let seq = 1;
function batch(): SpendRow[] {
  const now = Date.now();
  return Array.from({ length: size }, () => {
    seq = (seq * 48271) % 2147483647;
    return {
      id: Bun.randomUUIDv7(),
      createdAt: new Date(now),
      apiKeyId: Bun.randomUUIDv7(),
      userId: Bun.randomUUIDv7(),
      teamId: TEAMS[seq % TEAMS.length] ?? "",
      model: MODELS[Math.floor(seq / TEAMS.length) % MODELS.length] ?? "",
      provider: "anthropic",
      inputTokens: 100,
      outputTokens: 50,
      cacheCreationInputTokens: 0,
      cacheReadInputTokens: 0,
      costMicros: 1000,
      durationMs: seq % 20_000,
      status: seq % 40 === 0 ? 502 : 200,
      stream: false,
      routedFrom: null,
      routingMethod: null,
      routingReason: null,
      requestId: `req_${seq}`,
    };
  });
}

async function time(write: SpendWriter) {
  const ms: number[] = [];
  for (let i = 0; i < batches; i++) {
    const rows = batch();
    const t = performance.now();
    await write(rows);
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const at = (p: number) =>
    Math.round((ms[Math.min(ms.length - 1, Math.floor(p * ms.length))] ?? 0) * 100) / 100;
  return { p50_ms: at(0.5), p99_ms: at(0.99) };
}

const noSqlite = { add() {}, rebuild() {}, backfillIfEmpty() {} };
const noPostgres = { add: async () => {}, rebuild: async () => {}, backfillIfEmpty: async () => {} };

async function sqlite(withRollup: boolean) {
  const dir = mkdtempSync(join(tmpdir(), "snodus-rollup-cost-"));
  const path = join(dir, "cost.db");
  await (await openSqliteDirect(path, { migrate: true })).close();
  const client = new Database(path);
  client.exec("PRAGMA journal_mode = WAL");
  client.exec("PRAGMA synchronous = NORMAL");
  const writer = sqliteSpendWriter(client, liteSchema, withRollup ? sqliteLatencyRollup(client) : noSqlite);
  const result = await time(writer);
  client.close();
  rmSync(dir, { recursive: true, force: true });
  return result;
}

async function pg(withRollup: boolean) {
  const db = await freshDatabase("postgres");
  await (await openStore(db.location)).close();
  const client = postgres(db.url, { max: 4, onnotice: () => {} });
  const writer = postgresSpendWriter(
    client,
    pgSchema,
    withRollup ? postgresLatencyRollup(client) : noPostgres,
  );
  const result = await time(writer);
  await client.end();
  await db.drop();
  return result;
}

console.log(
  JSON.stringify({
    batches,
    rows_per_batch: size,
    sqlite: { without_rollup: await sqlite(false), with_rollup: await sqlite(true) },
    postgres: { without_rollup: await pg(false), with_rollup: await pg(true) },
    loadavg: loadavg().map((l) => Math.round(l * 100) / 100),
  }),
);
