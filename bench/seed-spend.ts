// Seeds a spend log for the admin benchmarks: bun bench/seed-spend.ts DATABASE_URL [rows] [days] [--bulk]
//
// 50 teams, 500 users, 2,000 keys and `rows` spend rows (default 1,000,000) spread evenly over the last
// `days` days (default 90), through the store itself, so the rows are exactly what the gateway writes
// and every rollup written with a spend batch (the daily spend rollups, the hourly latency rollup) fills
// as it does in serve. `--bulk` (Postgres only, for 10M rows) generates the rows inside the server and
// rebuilds the rollups with the migrations' backfill instead.
// Ends with ANALYZE on Postgres. Prints the admin key (a team admin of the first team) and the ids the
// benchmark needs, as JSON.
import postgres from "postgres";
import { parseDatabaseUrl } from "../src/config/database-url.ts";
import { createKey } from "../src/modules/keys/service.ts";
import { openStore } from "../src/store/open.ts";
import type { SpendRow } from "../src/store/types.ts";
import { bulkSeedPostgres } from "./seed-spend-bulk.ts";

const bulk = Bun.argv.includes("--bulk");
const [url, rowsArg, daysArg] = Bun.argv.slice(2).filter((a) => a !== "--bulk");
if (!url) {
  console.error("usage: bun bench/seed-spend.ts DATABASE_URL [rows] [days] [--bulk]");
  process.exit(2);
}
const total = Number(rowsArg ?? 1_000_000);
const days = Number(daysArg ?? 90);
const store = await openStore(parseDatabaseUrl(url), { inline: true });

const MODELS = [
  ["claude-sonnet-4-5", "anthropic"],
  ["claude-haiku-4-5", "anthropic"],
  ["claude-opus-4-1", "anthropic"],
  ["gpt-4o-mini", "openai"],
  ["llama3.1", "ollama"],
] as const;

const teams = [];
for (let i = 0; i < 50; i++)
  teams.push(await store.teams.create({ name: `Bench team ${i} ${Date.now()}`, plan: "enterprise" }));
const users = [];
for (let i = 0; i < 500; i++) {
  const team = teams[i % teams.length];
  if (!team) continue;
  users.push(
    await store.users.create({
      email: `bench-${i}-${Date.now()}@bench.test`,
      name: `Bench ${i}`,
      teamId: team.id,
      role: i < 50 ? "admin" : "member",
    }),
  );
}
const keys = [];
for (let i = 0; i < 2000; i++) {
  const user = users[i % users.length];
  if (!user) continue;
  keys.push({
    ...(await createKey(store, { userId: user.id, name: `bench-key-${i}`, rateLimit: 1_000_000 })),
    user,
  });
}

// A fixed sequence, so two seedings of the same size hold the same figures.
let seq = 12345;
const next = (n: number) => {
  seq = (seq * 48271) % 2147483647;
  return seq % n;
};
const end = Date.now();
const span = days * 86_400_000;
const started = performance.now();
const BATCH = 5_000;
if (bulk) {
  if (store.dialect !== "postgres") throw new Error("--bulk is for Postgres");
  const ids = keys.map((k) => ({ id: k.key.id, userId: k.user.id, teamId: k.user.teamId }));
  await bulkSeedPostgres(url, ids, total, days);
}
for (let done = 0; !bulk && done < total; done += BATCH) {
  const rows: SpendRow[] = [];
  for (let i = done; i < Math.min(total, done + BATCH); i++) {
    const k = keys[next(keys.length)];
    const [model, provider] = MODELS[next(MODELS.length)] ?? MODELS[0];
    if (!k) continue;
    const status = next(40) === 0 ? ([429, 502, 499, 500][next(4)] ?? 502) : 200;
    rows.push({
      id: Bun.randomUUIDv7(),
      createdAt: new Date(end - span + Math.floor((i / total) * span)),
      apiKeyId: k.key.id,
      userId: k.user.id,
      teamId: k.user.teamId,
      model,
      provider,
      inputTokens: status === 200 ? 100 + next(20_000) : 0,
      outputTokens: status === 200 ? 10 + next(2_000) : 0,
      cacheCreationInputTokens: 0,
      cacheReadInputTokens: next(3) === 0 ? next(10_000) : 0,
      costMicros: status === 200 ? next(200_000) : 0,
      durationMs: 50 + next(10_000),
      status,
      stream: next(2) === 0,
      routedFrom: next(5) === 0 ? "auto" : null,
      routingMethod: null,
      routingReason: null,
      requestId: `req_bench_${i}`,
    });
  }
  await store.spend.insertMany(rows);
  if ((done / BATCH) % 20 === 0) console.error(`seeded ${done + rows.length} rows`);
}
// Fresh statistics, as autovacuum would give a live database: a bulk load just after creating the
// table leaves the planner estimating a few thousand rows for a month and choosing a bitmap scan and a
// sort for an export's keyset chunks (~200 ms a 2,000-row chunk instead of ~15).
if (store.dialect === "postgres") {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  await sql`ANALYZE`;
  await sql.end();
}
const admin = keys[0];
console.log(
  JSON.stringify({
    rows: total,
    days,
    seedSeconds: Math.round((performance.now() - started) / 100) / 10,
    teamId: teams[0]?.id,
    adminSecret: admin?.secret,
    keySecret: keys[1]?.secret,
  }),
);
await store.close();
