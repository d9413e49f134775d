// The hourly latency rollups' writes: folding spend rows into latency_hourly (per team) and
// latency_hourly_all (every team), per dialect, inside the spend batch's own transaction (called from
// ./spend-writer.ts), and the idempotent rebuild of both from raw rows.
//
// A batch is first folded in memory into one record per rollup key, then added to the stored counters
// with one upsert per record (SQLite) or one multi-row upsert per table (Postgres), so a 400-row flush
// costs a few hundred upserts at most, not one per row. Every counter only ever grows by addition,
// which is why batches from several gateways, retried batches and a chunked rebuild all land exactly.
import type { Database } from "bun:sqlite";
import type { Sql, TransactionSql } from "postgres";
import { LATENCY_BUCKETS, latencyBucket } from "./latency-buckets.ts";
import type { SpendRow } from "./types.ts";

const HOUR_MS = 3_600_000;
const COUNTERS = [
  "requests",
  "errors_4xx",
  "client_closed",
  "errors_5xx",
  ...Array.from({ length: LATENCY_BUCKETS }, (_, i) => `d${i}`),
];

/** The two tables: their key columns (the per-team one has team_id) and all their columns. */
const TABLES = {
  team: { name: "latency_hourly", key: ["hour", "team_id", "model", "provider"] },
  all: { name: "latency_hourly_all", key: ["hour", "model", "provider"] },
} as const;
type Grain = keyof typeof TABLES;
const GRAINS = Object.keys(TABLES) as Grain[];
const columnsOf = (g: Grain) => [...TABLES[g].key, ...COUNTERS];

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

/** One rollup row's increments: the key (team null in the all-teams table), then COUNTERS in order. */
interface Increment {
  hourMs: number;
  teamId: string | null;
  model: string;
  provider: string;
  counts: number[];
}

/** Increments of both tables; a rebuild folds chunk after chunk into fresh ones. */
type Folded = Record<Grain, Map<string, Increment>>;
const emptyFold = (): Folded => ({ team: new Map(), all: new Map() });

function bump(into: Map<string, Increment>, key: Omit<Increment, "counts">, slot: number, bucket: number) {
  const id = `${key.hourMs}\u0000${key.teamId ?? ""}\u0000${key.model}\u0000${key.provider}`;
  let inc = into.get(id);
  if (!inc) {
    inc = { ...key, counts: COUNTERS.map(() => 0) };
    into.set(id, inc);
  }
  const c = inc.counts;
  c[0] = (c[0] ?? 0) + 1;
  if (slot > 0) c[slot] = (c[slot] ?? 0) + 1;
  c[bucket] = (c[bucket] ?? 0) + 1;
}

export function foldLatency(samples: Iterable<LatencySample>, into: Folded = emptyFold()): Folded {
  for (const s of samples) {
    const hourMs = Math.floor(s.createdAtMs / HOUR_MS) * HOUR_MS;
    // 499 (the client left) is its own counter, not a 4xx the client caused by what it sent.
    const slot = s.status === 499 ? 2 : s.status >= 500 ? 3 : s.status >= 400 ? 1 : -1;
    const bucket = 4 + latencyBucket(s.durationMs);
    bump(into.team, { hourMs, teamId: s.teamId, model: s.model, provider: s.provider }, slot, bucket);
    bump(into.all, { hourMs, teamId: null, model: s.model, provider: s.provider }, slot, bucket);
  }
  return into;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Increments in key order, so concurrent Postgres upserts lock rows in one order (no deadlock). */
function ordered(incs: Map<string, Increment>): Increment[] {
  return [...incs.values()].sort(
    (a, b) =>
      a.hourMs - b.hourMs ||
      cmp(a.teamId ?? "", b.teamId ?? "") ||
      cmp(a.model, b.model) ||
      cmp(a.provider, b.provider),
  );
}

const keyValues = (g: Grain, i: Increment) =>
  g === "team" ? [i.hourMs, i.teamId ?? "", i.model, i.provider] : [i.hourMs, i.model, i.provider];

/** `SET "c" = <table>."c" + excluded."c"` for every counter. */
const addAll = (qualifier: string) =>
  COUNTERS.map((c) => `"${c}" = ${qualifier}"${c}" + excluded."${c}"`).join(", ");

/** Rows read back from spend_log for a rebuild, oldest first, this many at a time. */
const REBUILD_CHUNK = 20_000;

export interface SqliteLatencyRollup {
  /** Adds a batch; call inside the transaction that inserts the batch's spend rows. */
  add(samples: Iterable<LatencySample>): void;
  /** Replaces both rollups with ones computed from every spend row, in one transaction. */
  rebuild(): void;
  /** Rebuilds only when the rollup is empty and spend rows exist (a database from before it). */
  backfillIfEmpty(): void;
}

export function sqliteLatencyRollup(client: Database): SqliteLatencyRollup {
  const upserts = Object.fromEntries(
    GRAINS.map((g) => {
      const cols = columnsOf(g);
      return [
        g,
        client.prepare(
          `INSERT INTO ${TABLES[g].name} (${cols.map((c) => `"${c}"`).join(", ")}) VALUES (${cols.map(() => "?").join(", ")}) ` +
            `ON CONFLICT (${TABLES[g].key.map((c) => `"${c}"`).join(", ")}) DO UPDATE SET ${addAll("")}`,
        ),
      ];
    }),
  ) as Record<Grain, ReturnType<Database["prepare"]>>;
  const write = (folded: Folded) => {
    for (const g of GRAINS)
      for (const i of folded[g].values()) upserts[g].run(...keyValues(g, i), ...i.counts);
  };
  const rebuild = client.transaction(() => {
    for (const g of GRAINS) client.run(`DELETE FROM ${TABLES[g].name}`);
    const scan = client.query<
      { t: number; team: string; model: string; provider: string; d: number; s: number },
      []
    >(
      "SELECT created_at AS t, team_id AS team, model, provider, duration_ms AS d, status AS s FROM spend_log ORDER BY created_at",
    );
    let chunk: LatencySample[] = [];
    const flush = () => {
      write(foldLatency(chunk));
      chunk = [];
    };
    for (const r of scan.iterate()) {
      chunk.push({
        createdAtMs: r.t,
        teamId: r.team,
        model: r.model,
        provider: r.provider,
        durationMs: r.d,
        status: r.s,
      });
      if (chunk.length === REBUILD_CHUNK) flush();
    }
    flush();
  });
  const isEmpty = (table: string) => client.query(`SELECT 1 FROM ${table} LIMIT 1`).get() === null;
  return {
    add: (samples) => write(foldLatency(samples)),
    rebuild: () => rebuild(),
    backfillIfEmpty: () => {
      if (isEmpty("latency_hourly") && !isEmpty("spend_log")) rebuild();
    },
  };
}

export interface PostgresLatencyRollup {
  /** Adds a batch; call with the transaction that inserts the batch's spend rows. */
  add(tx: TransactionSql, samples: Iterable<LatencySample>): Promise<void>;
  /** Replaces both rollups with ones computed from every spend row, spend writes held off meanwhile. */
  rebuild(): Promise<void>;
  /** Rebuilds only when the rollup is empty and spend rows exist (a database from before it). */
  backfillIfEmpty(): Promise<void>;
}

export function postgresLatencyRollup(client: Sql): PostgresLatencyRollup {
  const write = async (tx: TransactionSql, folded: Folded) => {
    for (const g of GRAINS) {
      const cols = columnsOf(g);
      const records = ordered(folded[g]).map((i) => {
        const values = keyValues(g, i);
        const r: Record<string, string | number> = {};
        cols.forEach((c, k) => {
          r[c] = k === 0 ? new Date(i.hourMs).toISOString() : (values[k] ?? i.counts[k - values.length] ?? 0);
        });
        return r;
      });
      // Postgres caps a statement at 65 535 parameters; 86 columns a row → 700 rows a statement.
      for (let k = 0; k < records.length; k += 700)
        await tx`INSERT INTO ${tx(TABLES[g].name)} ${tx(records.slice(k, k + 700), cols)}
          ON CONFLICT (${tx.unsafe(TABLES[g].key.join(", "))})
          DO UPDATE SET ${tx.unsafe(addAll(`${TABLES[g].name}.`))}`;
    }
  };
  const rebuild = (onlyIfEmpty: boolean) =>
    client.begin(async (tx) => {
      // SHARE blocks spend inserts until this commits (they wait, then add to the rebuilt rollup);
      // EXCLUSIVE on the rollup makes two gateways starting together rebuild once, one after the other.
      await tx`LOCK TABLE spend_log IN SHARE MODE`;
      await tx`LOCK TABLE latency_hourly, latency_hourly_all IN EXCLUSIVE MODE`;
      if (onlyIfEmpty) {
        const [rolled] = await tx`SELECT 1 FROM latency_hourly LIMIT 1`;
        const [raw] = await tx`SELECT 1 FROM spend_log LIMIT 1`;
        if (rolled || !raw) return;
      }
      await tx`DELETE FROM latency_hourly`;
      await tx`DELETE FROM latency_hourly_all`;
      const cursor = tx<{ t: string; team: string; model: string; provider: string; d: number; s: number }[]>`
        SELECT floor(extract(epoch from created_at) * 1000)::bigint AS t, team_id AS team, model, provider,
               duration_ms AS d, status AS s
        FROM spend_log ORDER BY created_at`.cursor(REBUILD_CHUNK);
      for await (const rows of cursor) {
        const folded = foldLatency(
          rows.map((r) => ({
            createdAtMs: Number(r.t),
            teamId: r.team,
            model: r.model,
            provider: r.provider,
            durationMs: r.d,
            status: r.s,
          })),
        );
        await write(tx, folded);
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
