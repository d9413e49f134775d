// Postgres only: `rows` spend rows generated inside the server (generate_series), then the rollups
// rebuilt by the very statements of the migration that backfills an upgraded database.
//
// Ten million rows through the store take most of an hour on the shared machine; this takes minutes.
// The rows are not the store-path seed's (another generator), but have its shape: 2,000 keys, 5 models,
// 1 in 40 an error, 1 in 5 routed, spread evenly over `days` days up to now.
import postgres from "postgres";
import { postgresMigrations } from "../src/store/migrations.gen.ts";

export async function bulkSeedPostgres(
  url: string,
  keys: { id: string; userId: string; teamId: string }[],
  total: number,
  days: number,
): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`CREATE TEMP TABLE seed_keys (n int PRIMARY KEY, id uuid, user_id uuid, team_id uuid)`;
    await sql`INSERT INTO seed_keys ${sql(keys.map((k, n) => ({ n, id: k.id, user_id: k.userId, team_id: k.teamId })))}`;
    const span = days * 86_400_000;
    const end = Date.now();
    const CHUNK = 1_000_000;
    for (let from = 0; from < total; from += CHUNK) {
      const to = Math.min(total, from + CHUNK) - 1;
      // Two multiplicative hashes of the row number (mod primes), cut into independent digits, pick
      // the key, model and figures, so no field follows another (a plain g % n would tie models to keys).
      await sql`
        INSERT INTO spend_log (id, created_at, api_key_id, user_id, team_id, model, provider, input_tokens,
          output_tokens, cache_creation_input_tokens, cache_read_input_tokens, cost_micros, duration_ms, status,
          stream, routed_from, routing_method, routing_reason, request_id)
        SELECT gen_random_uuid(),
          to_timestamp((${end - span}::bigint + (g * ${span}::bigint) / ${total}::bigint) / 1000.0),
          k.id, k.user_id, k.team_id,
          (ARRAY['claude-sonnet-4-5','claude-haiku-4-5','claude-opus-4-1','gpt-4o-mini','llama3.1'])[1 + (h % 5)::int],
          (ARRAY['anthropic','anthropic','anthropic','openai','ollama'])[1 + (h % 5)::int],
          CASE WHEN err THEN 0 ELSE 100 + (h2 / 2000) % 20000 END,
          CASE WHEN err THEN 0 ELSE 10 + (h / 40000) % 2000 END,
          0,
          CASE WHEN (h2 / 7) % 3 = 0 THEN (h2 / 21) % 10000 ELSE 0 END,
          CASE WHEN err THEN 0 ELSE (h / 80000000) % 200000 END,
          50 + (h2 / 50000) % 10000,
          CASE WHEN err THEN (ARRAY[429, 502, 499, 500])[1 + ((h / 200) % 4)::int] ELSE 200 END,
          (h / 800) % 2 = 0,
          CASE WHEN (h / 1600) % 5 = 0 THEN 'auto' END, NULL, NULL,
          'req_bulk_' || g
        FROM generate_series(${from}::bigint, ${to}::bigint) g,
          LATERAL (SELECT (g * 2654435761) % 4294967291 AS h, (g * 48271 + 11) % 2147483647 AS h2) x,
          LATERAL (SELECT (h / 5) % 40 = 0 AS err) e
        , seed_keys k WHERE k.n = (h2 % ${keys.length})`;
      console.error(`seeded ${to + 1} rows`);
    }
    // The rollups from scratch, by the migration's own backfill (same SQL an upgrade runs).
    const backfill = postgresMigrations.find((m) => m.tag.endsWith("_spend_rollups_backfill"));
    if (!backfill) throw new Error("no rollup backfill migration");
    await sql.begin(async (tx) => {
      await tx`TRUNCATE spend_daily_model, spend_daily_key, spend_monthly_key`;
      for (const statement of backfill.sql.split("--> statement-breakpoint")) await tx.unsafe(statement);
    });
    await sql`ANALYZE`;
  } finally {
    await sql.end();
  }
}
