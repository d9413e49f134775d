// Dashboard figures from the spend log: date ranges, breakdowns by day/model/user/provider/routing, recent rows.
import type { SpendCursor, SpendFilter, SpendGroup, SpendRow, Store } from "../../store/types.ts";
import { type Scope, teamFilter } from "../auth/scope.ts";
import { tagProblem } from "../proxy/attribution.ts";
import { ValidationError } from "../users/service.ts";

const DAY_MS = 86_400_000;
const DEFAULT_DAYS = 30;
/** Gap-filling a daily series stops here; longer ranges list only the days that had traffic. */
const MAX_FILLED_DAYS = 400;

export interface RangeQuery {
  from?: string;
  to?: string;
  team_id?: string;
  tag?: string;
  end_user?: string;
}

export interface Range {
  from: Date;
  to: Date;
  teamId: string | undefined;
  /** Only rows carrying this tag / of this end user. */
  tag?: string;
  endUser?: string;
}

/** Money and tokens of one group, in the API's units: µ$ exactly, cents as µ$ / 10 000 (not rounded). */
export interface Figures {
  requests: number;
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  cost_micros: number;
  cost_cents: number;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

function parseBound(field: "from" | "to", raw: string): Date {
  const bare = DATE_ONLY.test(raw);
  const ms = bare ? Date.parse(`${raw}T00:00:00Z`) : DATE_TIME.test(raw) ? Date.parse(raw) : Number.NaN;
  if (Number.isNaN(ms))
    throw new ValidationError(
      field,
      `must be YYYY-MM-DD or an ISO 8601 date-time with a zone (got "${raw}")`,
    );
  // A bare `to` date includes that whole day: the range ends at the next midnight (UTC).
  return new Date(bare && field === "to" ? ms + DAY_MS : ms);
}

/** The range and team a report covers; a team admin is always narrowed to their own team. */
export function resolveRange(scope: Scope, query: RangeQuery, now: number): Range {
  const to = query.to === undefined ? new Date(now) : parseBound("to", query.to);
  const from =
    query.from === undefined
      ? new Date(to.getTime() - DEFAULT_DAYS * DAY_MS)
      : parseBound("from", query.from);
  if (from.getTime() >= to.getTime()) throw new ValidationError("from", "must be before to");
  if (query.tag !== undefined) {
    const problem = tagProblem(query.tag);
    if (problem) throw new ValidationError("tag", problem);
  }
  return {
    from,
    to,
    teamId: teamFilter(scope, query.team_id),
    ...(query.tag ? { tag: query.tag } : {}),
    ...(query.end_user ? { endUser: query.end_user } : {}),
  };
}

export const filterOf = (r: Range): SpendFilter => ({
  from: r.from,
  to: r.to,
  teamId: r.teamId,
  tag: r.tag,
  endUser: r.endUser,
});

export function figures(g: Omit<SpendGroup, "dims" | "errors" | "durationMsTotal">): Figures {
  return {
    requests: g.requests,
    input_tokens: g.inputTokens,
    output_tokens: g.outputTokens,
    cache_creation_input_tokens: g.cacheCreationInputTokens,
    cache_read_input_tokens: g.cacheReadInputTokens,
    cost_micros: g.costMicros,
    cost_cents: g.costMicros / 10_000,
  };
}

const ZERO: Figures = figures({
  requests: 0,
  inputTokens: 0,
  outputTokens: 0,
  cacheCreationInputTokens: 0,
  cacheReadInputTokens: 0,
  costMicros: 0,
});

function sum(groups: SpendGroup[]): Figures {
  const out = { ...ZERO };
  for (const g of groups) {
    const f = figures(g);
    for (const k of Object.keys(out) as (keyof Figures)[]) out[k] += f[k];
  }
  out.cost_cents = out.cost_micros / 10_000;
  return out;
}

export const costliestFirst = (a: SpendGroup, b: SpendGroup) =>
  b.costMicros - a.costMicros || b.requests - a.requests;

/** The range every report answers beside its rows. */
export const envelope = (r: Range) => ({
  from: r.from.toISOString(),
  to: r.to.toISOString(),
  team_id: r.teamId ?? null,
});

export async function daily(store: Store, r: Range) {
  const groups = await store.spend.groupBy(["day"], filterOf(r));
  const byDay = new Map(groups.map((g) => [g.dims.day ?? "", figures(g)]));
  const days: string[] = [];
  const first = Date.parse(`${r.from.toISOString().slice(0, 10)}T00:00:00Z`);
  const last = r.to.getTime() - 1;
  if ((last - first) / DAY_MS <= MAX_FILLED_DAYS) {
    for (let d = first; d <= last; d += DAY_MS) days.push(new Date(d).toISOString().slice(0, 10));
  } else days.push(...[...byDay.keys()].sort());
  return {
    ...envelope(r),
    totals: sum(groups),
    data: days.map((day) => ({ day, ...(byDay.get(day) ?? ZERO) })),
  };
}

export async function byModel(store: Store, r: Range) {
  const groups = await store.spend.groupBy(["model", "provider"], filterOf(r));
  return {
    ...envelope(r),
    data: groups.sort(costliestFirst).map((g) => ({
      model: g.dims.model ?? "",
      provider: g.dims.provider ?? "",
      ...figures(g),
    })),
  };
}

export async function byUser(store: Store, r: Range) {
  const groups = (await store.spend.groupBy(["userId"], filterOf(r))).sort(costliestFirst);
  const users = new Map(
    (await store.users.getMany(groups.map((g) => g.dims.userId ?? "").filter(Boolean))).map((u) => [u.id, u]),
  );
  return {
    ...envelope(r),
    data: groups.map((g) => {
      const user = users.get(g.dims.userId ?? "");
      return {
        user_id: g.dims.userId ?? "",
        email: user?.email ?? null,
        name: user?.name ?? null,
        ...figures(g),
      };
    }),
  };
}

export async function byProvider(store: Store, r: Range) {
  const groups = await store.spend.groupBy(["provider"], filterOf(r));
  return {
    ...envelope(r),
    data: groups.sort(costliestFirst).map((g) => ({
      provider: g.dims.provider ?? "",
      errors: g.errors,
      avg_duration_ms: g.requests ? Math.round(g.durationMsTotal / g.requests) : 0,
      ...figures(g),
    })),
  };
}

export async function routing(store: Store, r: Range) {
  const groups = await store.spend.groupBy(["routedFrom", "routingMethod", "model"], filterOf(r));
  const routed = groups.filter((g) => g.dims.routedFrom !== null && g.dims.routedFrom !== undefined);
  return {
    ...envelope(r),
    requests: groups.reduce((n, g) => n + g.requests, 0),
    routed_requests: routed.reduce((n, g) => n + g.requests, 0),
    data: routed.sort(costliestFirst).map((g) => ({
      routed_from: g.dims.routedFrom ?? "",
      routing_method: g.dims.routingMethod ?? null,
      model: g.dims.model ?? "",
      ...figures(g),
    })),
  };
}

/** One spend row as the API shows it (recent requests, CSV export). */
export function spendView(row: SpendRow) {
  return {
    id: row.id,
    created_at: row.createdAt.toISOString(),
    request_id: row.requestId,
    team_id: row.teamId,
    user_id: row.userId,
    api_key_id: row.apiKeyId,
    model: row.model,
    provider: row.provider,
    input_tokens: row.inputTokens,
    output_tokens: row.outputTokens,
    cache_creation_input_tokens: row.cacheCreationInputTokens,
    cache_read_input_tokens: row.cacheReadInputTokens,
    cost_micros: row.costMicros,
    cost_cents: row.costMicros / 10_000,
    duration_ms: row.durationMs,
    status: row.status,
    stream: row.stream,
    routed_from: row.routedFrom,
    routing_method: row.routingMethod,
    routing_reason: row.routingReason,
    tags: row.tags ? row.tags.split(",") : [],
    end_user: row.endUser ?? null,
    deployment: row.deployment ?? null,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Cursors are opaque to clients: base64url of "<µs since epoch in base 36>.<row id>". */
export function encodeCursor(c: SpendCursor): string {
  return Buffer.from(`${c.micros.toString(36)}.${c.id}`).toString("base64url");
}

export function decodeCursor(raw: string): SpendCursor {
  const [micros36, id] = Buffer.from(raw, "base64url").toString().split(".");
  const micros = Number.parseInt(micros36 ?? "", 36);
  if (!id || !UUID.test(id) || !Number.isSafeInteger(micros) || micros < 0)
    throw new ValidationError("cursor", "is not a cursor this API returned");
  return { micros, id };
}

export interface RecentFilterQuery {
  api_key_id?: string;
  user_id?: string;
  model?: string;
  provider?: string;
  /** "4xx" (a class) or "429" (exact); the route's schema has checked the shape. */
  status?: string;
  request_id?: string;
}

/** The row filters of /admin/analytics/recent, beyond range and team. */
export function recentFilter(q: RecentFilterQuery): SpendFilter {
  const out: SpendFilter = {};
  if (q.api_key_id) out.apiKeyId = q.api_key_id;
  if (q.user_id) out.userId = q.user_id;
  if (q.model) out.model = q.model;
  if (q.provider) out.provider = q.provider;
  if (q.request_id) out.requestId = q.request_id;
  if (q.status) {
    const cls = /^([1-5])xx$/.exec(q.status);
    const base = cls ? Number(cls[1]) * 100 : Number(q.status);
    out.statusMin = base;
    out.statusMax = cls ? base + 99 : base;
  }
  return out;
}

/**
 * Newest rows first, a page at a time (keyset: stable while new rows arrive), optionally filtered.
 * `after` is the decoded cursor (decodeCursor), checked by the caller before any store work.
 */
export async function recent(
  store: Store,
  r: Range,
  limit: number,
  after: SpendCursor | null,
  rows: SpendFilter = {},
) {
  const page = await store.spend.scan({ ...rows, ...filterOf(r) }, { after, limit, order: "desc" });
  return { data: page.rows.map(spendView), next_cursor: page.next ? encodeCursor(page.next) : null };
}
