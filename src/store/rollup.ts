// Daily spend rollups: what a batch of spend rows adds to them, and which reports they can answer.
//
// Reports scale with days, not rows: a spend batch upserts one row per distinct (UTC day × group) into
// spend_daily_model / spend_daily_key in the transaction that inserts the raw rows (./spend-writer.ts),
// and a report reads the rollup for the whole UTC days inside its range and the raw rows only for the
// partial days at its edges, so it says exactly what the raw rows say. Filters a rollup does not carry
// (tag, end user, status, request id) are answered from the raw rows: tags and end users are unbounded
// per day and would turn the rollup back into the log.
import type { SpendDimension, SpendFilter, SpendGroup, SpendRow } from "./types.ts";

const DAY_MS = 86_400_000;

/** The UTC calendar day of an instant, as the rollups key it (YYYY-MM-DD, sorts as it reads). */
export const utcDay = (at: Date | number): string => new Date(at).toISOString().slice(0, 10);

/**
 * Rollup key columns cannot be NULL, so a nullable spend column is stored as "" for NULL and "=" + value
 * for a value: an empty string and NULL stay apart, as they are in the raw rows.
 */
export const encodeNullable = (v: string | null | undefined): string =>
  v === null || v === undefined ? "" : `=${v}`;
export const decodeNullable = (s: string): string | null => (s === "" ? null : s.slice(1));

/** The routing reason up to its first " (" — the same cut the raw query makes (see repository.ts). */
export function routingRule(reason: string | null): string | null {
  if (reason === null) return null;
  const at = reason.indexOf(" (");
  return at < 0 ? reason : reason.slice(0, at);
}

export interface RollupSums {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cacheCreationInputTokens: number;
  cacheReadInputTokens: number;
  costMicros: number;
  errors: number;
  durationMs: number;
}

export const SUM_FIELDS = [
  "requests",
  "inputTokens",
  "outputTokens",
  "cacheCreationInputTokens",
  "cacheReadInputTokens",
  "costMicros",
  "errors",
  "durationMs",
] as const satisfies readonly (keyof RollupSums)[];

export interface ModelRollupRow extends RollupSums {
  day: string;
  teamId: string;
  model: string;
  provider: string;
  routedFrom: string;
  routingMethod: string;
  routingRule: string;
}

export interface KeyRollupRow extends RollupSums {
  day: string;
  teamId: string;
  userId: string;
  apiKeyId: string;
}

export const MODEL_KEY_FIELDS = [
  "day",
  "teamId",
  "model",
  "provider",
  "routedFrom",
  "routingMethod",
  "routingRule",
] as const satisfies readonly (keyof ModelRollupRow)[];
export const KEY_KEY_FIELDS = [
  "day",
  "teamId",
  "userId",
  "apiKeyId",
] as const satisfies readonly (keyof KeyRollupRow)[];

export interface KeyMonthRollupRow extends RollupSums {
  month: string;
  teamId: string;
  userId: string;
  apiKeyId: string;
}

export const KEY_MONTH_KEY_FIELDS = [
  "month",
  "teamId",
  "userId",
  "apiKeyId",
] as const satisfies readonly (keyof KeyMonthRollupRow)[];

function add(into: RollupSums, row: SpendRow): void {
  into.requests += 1;
  into.inputTokens += row.inputTokens;
  into.outputTokens += row.outputTokens;
  into.cacheCreationInputTokens += row.cacheCreationInputTokens;
  into.cacheReadInputTokens += row.cacheReadInputTokens;
  into.costMicros += row.costMicros;
  into.errors += row.status >= 400 ? 1 : 0;
  into.durationMs += row.durationMs;
}

const zero = (): RollupSums => ({
  requests: 0,
  inputTokens: 0,
  outputTokens: 0,
  cacheCreationInputTokens: 0,
  cacheReadInputTokens: 0,
  costMicros: 0,
  errors: 0,
  durationMs: 0,
});

function groupOf<K extends object>(groups: Map<string, K & RollupSums>, id: string, key: K): K & RollupSums {
  const have = groups.get(id);
  if (have) return have;
  const fresh = { ...key, ...zero() };
  groups.set(id, fresh);
  return fresh;
}

/** Groups a batch into its rollup rows, each list sorted by key so concurrent upserts lock in one order. */
export function rollupBatch(rows: readonly SpendRow[]): {
  model: ModelRollupRow[];
  key: KeyRollupRow[];
  keyMonth: KeyMonthRollupRow[];
} {
  const model = new Map<string, ModelRollupRow>();
  const key = new Map<string, KeyRollupRow>();
  const keyMonth = new Map<string, KeyMonthRollupRow>();
  for (const row of rows) {
    const day = utcDay(row.createdAt);
    const m = {
      day,
      teamId: row.teamId,
      model: row.model,
      provider: row.provider,
      routedFrom: encodeNullable(row.routedFrom),
      routingMethod: encodeNullable(row.routingMethod),
      routingRule: encodeNullable(routingRule(row.routingReason)),
    };
    add(groupOf(model, JSON.stringify(MODEL_KEY_FIELDS.map((f) => m[f])), m), row);
    const k = { day, teamId: row.teamId, userId: row.userId, apiKeyId: row.apiKeyId };
    add(groupOf(key, JSON.stringify(KEY_KEY_FIELDS.map((f) => k[f])), k), row);
    const km = { month: day.slice(0, 7), teamId: row.teamId, userId: row.userId, apiKeyId: row.apiKeyId };
    add(groupOf(keyMonth, JSON.stringify(KEY_MONTH_KEY_FIELDS.map((f) => km[f])), km), row);
  }
  const sorted = <T>(m: Map<string, T>) =>
    [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
  return { model: sorted(model), key: sorted(key), keyMonth: sorted(keyMonth) };
}

/** The daily rollups a query is planned on; "key" also has a monthly table (spend_monthly_key). */
export type RollupName = "model" | "key";

interface RollupSpec {
  name: RollupName;
  dims: ReadonlySet<SpendDimension>;
  filters: ReadonlySet<keyof SpendFilter>;
}

// Smallest first: the first rollup that carries every dimension and filter of a query answers it.
const SPECS: readonly RollupSpec[] = [
  {
    name: "model",
    dims: new Set([
      "day",
      "month",
      "teamId",
      "model",
      "provider",
      "routedFrom",
      "routingMethod",
      "routingRule",
    ]),
    filters: new Set(["from", "to", "teamId", "model", "provider"]),
  },
  {
    name: "key",
    dims: new Set(["day", "month", "teamId", "userId", "apiKeyId"]),
    filters: new Set(["from", "to", "teamId", "userId", "apiKeyId"]),
  },
];

/** The rollup that can answer this grouping and filter, or null when only the raw rows can. */
export function chooseRollup(dims: readonly SpendDimension[], filter: SpendFilter = {}): RollupName | null {
  const used = (Object.keys(filter) as (keyof SpendFilter)[]).filter((k) => filter[k] !== undefined);
  const spec = SPECS.find((s) => dims.every((d) => s.dims.has(d)) && used.every((f) => s.filters.has(f)));
  return spec?.name ?? null;
}

/** Whole UTC days (YYYY-MM-DD) or months (YYYY-MM): `period >= from and period < to`, either side open when absent. */
export interface PeriodRange {
  from?: string;
  to?: string;
}
export type DayRange = PeriodRange;

/** A time range cut into the whole UTC days inside it (rollup) and the partial days at its edges (raw rows). */
export function splitRange(
  from?: Date,
  to?: Date,
): { days: DayRange | null; edges: { from: Date; to: Date }[] } {
  const lo = from ? Math.ceil(from.getTime() / DAY_MS) * DAY_MS : undefined;
  const hi = to ? Math.floor(to.getTime() / DAY_MS) * DAY_MS : undefined;
  if (from && to && lo !== undefined && hi !== undefined && lo >= hi)
    return { days: null, edges: [{ from, to }] };
  const edges: { from: Date; to: Date }[] = [];
  if (from && lo !== undefined && from.getTime() < lo) edges.push({ from, to: new Date(lo) });
  if (to && hi !== undefined && to.getTime() > hi) edges.push({ from: new Date(hi), to });
  const days: DayRange = {};
  if (lo !== undefined) days.from = utcDay(lo);
  if (hi !== undefined) days.to = utcDay(hi);
  return { days, edges };
}

/** Adds up groups with the same dimension values (the rollup's part and the edges' parts of one report). */
export function mergeGroups(dims: readonly SpendDimension[], parts: readonly SpendGroup[][]): SpendGroup[] {
  const out = new Map<string, SpendGroup>();
  for (const part of parts)
    for (const g of part) {
      const k = JSON.stringify(dims.map((d) => g.dims[d] ?? null));
      const have = out.get(k);
      if (!have) {
        out.set(k, { ...g, dims: { ...g.dims } });
        continue;
      }
      have.requests += g.requests;
      have.costMicros += g.costMicros;
      have.inputTokens += g.inputTokens;
      have.outputTokens += g.outputTokens;
      have.cacheCreationInputTokens += g.cacheCreationInputTokens;
      have.cacheReadInputTokens += g.cacheReadInputTokens;
      have.errors += g.errors;
      have.durationMsTotal += g.durationMsTotal;
    }
  return [...out.values()];
}

function nextMonth(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
}

/** Whole days cut again into the whole calendar months inside them and the days left at either end. */
export function splitMonths(days: DayRange): { months: PeriodRange | null; days: DayRange[] } {
  const lo = days.from
    ? days.from.endsWith("-01")
      ? days.from.slice(0, 7)
      : nextMonth(days.from.slice(0, 7))
    : undefined;
  const hi = days.to?.slice(0, 7);
  if (lo !== undefined && hi !== undefined && lo >= hi) return { months: null, days: [days] };
  const rest: DayRange[] = [];
  if (days.from && lo !== undefined && `${lo}-01` > days.from) rest.push({ from: days.from, to: `${lo}-01` });
  if (days.to && hi !== undefined && `${hi}-01` < days.to) rest.push({ from: `${hi}-01`, to: days.to });
  const months: PeriodRange = {};
  if (lo !== undefined) months.from = lo;
  if (hi !== undefined) months.to = hi;
  return { months, days: rest };
}
