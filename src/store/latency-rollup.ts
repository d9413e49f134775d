// The hourly latency rollup's writes: folding spend rows into latency_hourly, per dialect, inside the
// spend batch's own transaction (called from ./spend-writer.ts), and the idempotent rebuild from raw rows.
//
// A batch is first folded in memory into one record per (hour, team, model, provider), then added to
// the stored counters with one upsert per record (SQLite) or one multi-row upsert (Postgres), so a
// 400-row flush costs a few dozen upserts, not 400. Every counter only ever grows by addition, which
// is why batches from several gateways, retried batches and a chunked rebuild all land exactly.
import type { Database } from "bun:sqlite";
import type { Sql, TransactionSql } from "postgres";
import { LATENCY_BUCKETS, latencyBucket } from "./latency-buckets.ts";
import type { SpendRow } from "./types.ts";

const HOUR_MS = 3_600_000;
const KEY = ["hour", "team_id", "model", "provider"] as const;
const COUNTERS = [
  "requests",
  "errors_4xx",
  "client_closed",
  "errors_5xx",
  ...Array.from({ length: LATENCY_BUCKETS }, (_, i) => `d${i}`),
];
const COLUMNS = [...KEY, ...COUNTERS];

/** What the rollup reads of a spend row. */
export interface LatencySample {
  createdAtMs: number;
  teamId: string;
  model: string;
  provider: string;
  durationMs: number;
  status: number;
}

/** The rollup's view of spend rows as the writer gets them. */
export function* samplesOf(rows: readonly SpendRow[]): Iterable<LatencySample> {
  for (const r of rows)
    yield {
      createdAtMs: r.createdAt.getTime(),
      teamId: r.teamId,
      model: r.model,
      provider: r.provider,
      durationMs: r.durationMs,
      status: r.status,
    };
}

/** One rollup row's increments: the key, then COUNTERS in order. */
interface Increment {
  hourMs: number;
  teamId: string;
  model: string;
  provider: string;
  counts: number[];
}

/** Folds samples into one increment per rollup key; `into` lets a rebuild fold chunk after chunk. */
export function foldLatency(samples: Iterable<LatencySample>, into = new Map<string, Increment>()) {
  for (const s of samples) {
    const hourMs = Math.floor(s.createdAtMs / HOUR_MS) * HOUR_MS;
    const key = `${hourMs}\u0000${s.teamId}\u0000${s.model}\u0000${s.provider}`;
    let inc = into.get(key);
    if (!inc) {
      inc = { hourMs, teamId: s.teamId, model: s.model, provider: s.provider, counts: COUNTERS.map(() => 0) };
      into.set(key, inc);
    }
    const c = inc.counts;
    c[0] = (c[0] ?? 0) + 1;
    // 499 (the client left) is its own counter, not a 4xx the client caused by what it sent.
    const slot = s.status === 499 ? 2 : s.status >= 500 ? 3 : s.status >= 400 ? 1 : -1;
    if (slot > 0) c[slot] = (c[slot] ?? 0) + 1;
    const b = 4 + latencyBucket(s.durationMs);
    c[b] = (c[b] ?? 0) + 1;
  }
  return into;
}

/** Increments in key order, so concurrent Postgres upserts lock rows in one order (no deadlock). */
function ordered(incs: Map<string, Increment>): Increment[] {
  return [...incs.values()].sort(
    (a, b) =>
      a.hourMs - b.hourMs ||
      (a.teamId < b.teamId ? -1 : a.teamId > b.teamId ? 1 : 0) ||
      (a.model < b.model ? -1 : a.model > b.model ? 1 : 0) ||
      (a.provider < b.provider ? -1 : a.provider > b.provider ? 1 : 0),
  );
}

const addAll = (table: string) => COUNTERS.map((c) => `"${c}" = ${table}"${c}" + excluded."${c}"`).join(", ");

/** Rows read back from spend_log for a rebuild, oldest first, this many at a time. */
const REBUILD_CHUNK = 20_000;

export interface SqliteLatencyRollup {
  /** Adds a batch; call inside the transaction that inserts the batch's spend rows. */
  add(samples: Iterable<LatencySample>): void;
  /** Replaces the rollup with one computed from every spend row, in one transaction. */
  rebuild(): void;
  /** Rebuilds only when the rollup is empty and spend rows exist (a database from before it). */
  backfillIfEmpty(): void;
}

export function sqliteLatencyRollup(client: Database): SqliteLatencyRollup {
  const upsert = client.prepare(
    `INSERT INTO latency_hourly (${COLUMNS.map((c) => `"${c}"`).join(", ")}) VALUES (${COLUMNS.map(() => "?").join(", ")}) ` +
      `ON CONFLICT (${KEY.map((c) => `"${c}"`).join(", ")}) DO UPDATE SET ${addAll("")}`,
  );
  const write = (incs: Map<string, Increment>) => {
    for (const i of incs.values()) upsert.run(i.hourMs, i.teamId, i.model, i.provider, ...i.counts);
  };
  const add = (samples: Iterable<LatencySample>) => write(foldLatency(samples));
  const rebuild = client.transaction(() => {
    client.run("DELETE FROM latency_hourly");
    const scan = client.query<
      { t: number; team: string; model: string; provider: string; d: number; s: number },
      []
    >(
      "SELECT created_at AS t, team_id AS team, model, provider, duration_ms AS d, status AS s FROM spend_log ORDER BY created_at",
    );
    let chunk = new Map<string, Increment>();
    let n = 0;
    for (const r of scan.iterate()) {
      foldLatency(
        [
          {
            createdAtMs: r.t,
            teamId: r.team,
            model: r.model,
            provider: r.provider,
            durationMs: r.d,
            status: r.s,
          },
        ],
        chunk,
      );
      if (++n % REBUILD_CHUNK === 0) {
        write(chunk);
        chunk = new Map();
      }
    }
    write(chunk);
  });
  const isEmpty = (table: string) => client.query(`SELECT 1 FROM ${table} LIMIT 1`).get() === null;
  return {
    add,
    rebuild: () => rebuild(),
    backfillIfEmpty: () => {
      if (isEmpty("latency_hourly") && !isEmpty("spend_log")) rebuild();
    },
  };
}

export interface PostgresLatencyRollup {
  /** Adds a batch; call with the transaction that inserts the batch's spend rows. */
  add(tx: TransactionSql, samples: Iterable<LatencySample>): Promise<void>;
  /** Replaces the rollup with one computed from every spend row, spend writes held off meanwhile. */
  rebuild(): Promise<void>;
  /** Rebuilds only when the rollup is empty and spend rows exist (a database from before it). */
  backfillIfEmpty(): Promise<void>;
}

export function postgresLatencyRollup(client: Sql): PostgresLatencyRollup {
  const write = async (tx: TransactionSql, incs: Map<string, Increment>) => {
    if (incs.size === 0) return;
    const records = ordered(incs).map((i) => {
      const r: Record<string, string | number> = {
        hour: new Date(i.hourMs).toISOString(),
        team_id: i.teamId,
        model: i.model,
        provider: i.provider,
      };
      COUNTERS.forEach((c, k) => {
        r[c] = i.counts[k] ?? 0;
      });
      return r;
    });
    // Postgres caps a statement at 65 535 parameters; 86 columns a row → at most 700 rows a statement.
    for (let k = 0; k < records.length; k += 700)
      await tx`INSERT INTO latency_hourly ${tx(records.slice(k, k + 700), COLUMNS)}
        ON CONFLICT (hour, team_id, model, provider) DO UPDATE SET ${tx.unsafe(addAll("latency_hourly."))}`;
  };
  const rebuild = (onlyIfEmpty: boolean) =>
    client.begin(async (tx) => {
      // SHARE blocks spend inserts until this commits (they wait, then add to the rebuilt rollup);
      // EXCLUSIVE on the rollup makes two gateways starting together rebuild once, one after the other.
      await tx`LOCK TABLE spend_log IN SHARE MODE`;
      await tx`LOCK TABLE latency_hourly IN EXCLUSIVE MODE`;
      if (onlyIfEmpty) {
        const [rolled] = await tx`SELECT 1 FROM latency_hourly LIMIT 1`;
        const [raw] = await tx`SELECT 1 FROM spend_log LIMIT 1`;
        if (rolled || !raw) return;
      }
      await tx`DELETE FROM latency_hourly`;
      const cursor = tx<{ t: string; team: string; model: string; provider: string; d: number; s: number }[]>`
        SELECT floor(extract(epoch from created_at) * 1000)::bigint AS t, team_id AS team, model, provider,
               duration_ms AS d, status AS s
        FROM spend_log ORDER BY created_at`.cursor(REBUILD_CHUNK);
      for await (const rows of cursor) {
        const chunk = foldLatency(
          rows.map((r) => ({
            createdAtMs: Number(r.t),
            teamId: r.team,
            model: r.model,
            provider: r.provider,
            durationMs: r.d,
            status: r.s,
          })),
        );
        await write(tx, chunk);
      }
    });
  return {
    add: (tx, samples) => write(tx, foldLatency(samples)),
    rebuild: async () => {
      await rebuild(false);
    },
    backfillIfEmpty: async () => {
      // Checked once without locks first: every start of every gateway would otherwise hold spend writes.
      const [rolled] = await client`SELECT 1 FROM latency_hourly LIMIT 1`;
      if (!rolled) await rebuild(true);
    },
  };
}
