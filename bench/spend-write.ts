// What a spend batch costs the store: bun bench/spend-write.ts DATABASE_URL [batches] [rows per batch]
//
// Writes `batches` batches (default 200) of `rows` spend rows (default 400: the recorder's flush at
// 2,000 req/s) through store.spend.insertMany on a fresh database, the rows of each batch spread over
// 2,000 keys, 50 teams and 5 models within the current hour, as live traffic writes them. Prints the
// median and p90 time per batch and µs per row. Run it on two builds to see what a change adds.
import { loadavg } from "node:os";
import { parseDatabaseUrl } from "../src/config/database-url.ts";
import { openStore } from "../src/store/open.ts";
import type { SpendRow } from "../src/store/types.ts";

const [url, batchesArg, rowsArg] = Bun.argv.slice(2);
if (!url) {
  console.error("usage: bun bench/spend-write.ts DATABASE_URL [batches] [rows per batch]");
  process.exit(2);
}
const batches = Number(batchesArg ?? 200);
const perBatch = Number(rowsArg ?? 400);
const store = await openStore(parseDatabaseUrl(url), { inline: true });

const teams = Array.from({ length: 50 }, () => Bun.randomUUIDv7());
const users = Array.from({ length: 500 }, (_, i) => ({
  id: Bun.randomUUIDv7(),
  teamId: teams[i % 50] ?? "",
}));
const keys = Array.from({ length: 2000 }, (_, i) => ({ id: Bun.randomUUIDv7(), user: users[i % 500] }));
const MODELS = [
  ["claude-sonnet-4-5", "anthropic"],
  ["claude-haiku-4-5", "anthropic"],
  ["claude-opus-4-1", "anthropic"],
  ["gpt-4o-mini", "openai"],
  ["llama3.1", "ollama"],
] as const;
let seq = 777;
const next = (n: number) => {
  seq = (seq * 48271) % 2147483647;
  return seq % n;
};

function batch(n: number): SpendRow[] {
  return Array.from({ length: n }, () => {
    const k = keys[next(keys.length)];
    const [model, provider] = MODELS[next(MODELS.length)] ?? MODELS[0];
    return {
      id: Bun.randomUUIDv7(),
      createdAt: new Date(Date.now() - next(3_600_000)),
      apiKeyId: k?.id ?? "",
      userId: k?.user?.id ?? "",
      teamId: k?.user?.teamId ?? "",
      model,
      provider,
      inputTokens: next(20_000),
      outputTokens: next(2_000),
      cacheCreationInputTokens: 0,
      cacheReadInputTokens: next(10_000),
      costMicros: next(200_000),
      durationMs: next(10_000),
      status: next(40) === 0 ? 502 : 200,
      stream: next(2) === 0,
      routedFrom: next(5) === 0 ? "auto" : null,
      routingMethod: null,
      routingReason: null,
      requestId: `req_w_${seq}`,
    };
  });
}

for (let i = 0; i < 10; i++) await store.spend.insertMany(batch(perBatch)); // warm-up
const took: number[] = [];
for (let i = 0; i < batches; i++) {
  const rows = batch(perBatch);
  const t = performance.now();
  await store.spend.insertMany(rows);
  took.push(performance.now() - t);
}
await store.close();
took.sort((a, b) => a - b);
const at = (p: number) => took[Math.min(took.length - 1, Math.floor(p * took.length))] ?? 0;
const r = (x: number) => Math.round(x * 100) / 100;
console.log(
  JSON.stringify({
    dialect: store.dialect,
    batches,
    rowsPerBatch: perBatch,
    batchMsMedian: r(at(0.5)),
    batchMsP90: r(at(0.9)),
    usPerRowMedian: r((at(0.5) * 1000) / perBatch),
    loadavg: loadavg().map(r),
  }),
);
