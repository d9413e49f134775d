// The one body of queries behind the Store interface, shared by the SQLite and Postgres dialects.
import { and, asc, count, desc, eq, gte, inArray, lt, lte, or, type SQL, sql } from "drizzle-orm";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import type { CappedWriter } from "./capped.ts";
import { latencySeries } from "./latency-read.ts";
import { PLANS } from "./plans.ts";
import { chooseRollup, mergeGroups, splitMonths, splitRange } from "./rollup.ts";
import { rollupGroupBy } from "./rollup-query.ts";
import type * as pgSchema from "./schema/postgres.ts";
import type { SignupWriter } from "./signup.ts";
import type { SpendWriter } from "./spend-writer.ts";
import {
  type Dialect,
  type KeyIdentity,
  type Plan,
  type SpendDimension,
  type SpendFilter,
  type SpendGroup,
  type SpendRow,
  type SpendTotals,
  type Store,
  StoreConflictError,
  StoreNotFoundError,
} from "./types.ts";

export type QueryDb = PostgresJsDatabase<typeof pgSchema>;
type Tables = typeof pgSchema;

export interface RepositoryDeps {
  dialect: Dialect;
  db: QueryDb;
  tables: Tables;
  /** The signup transaction, written per dialect (see ./signup.ts). */
  signup: SignupWriter;
  /** Inserts within a plan cap, check and insert in one transaction (see ./capped.ts). */
  capped: CappedWriter;
  /** The spend_log insert, written per dialect for speed (see ./spend-writer.ts). */
  insertSpend: SpendWriter;
  /** The latency rollup's rebuild from raw rows, per dialect (see ./latency-rollup.ts). */
  rebuildLatency(): Promise<void>;
  close(): Promise<void>;
  ping(): Promise<void>;
}

const newId = () => Bun.randomUUIDv7();

/** Maps a unique-constraint violation of either driver to the field that collided. */
function conflictField(err: unknown): string | null {
  // drizzle wraps driver errors; the driver's own error (with code and constraint) is the cause.
  const cause = (err as { cause?: unknown })?.cause ?? err;
  const e = cause as { code?: unknown; message?: unknown; constraint_name?: unknown; detail?: unknown };
  const text = `${String(e.message ?? "")} ${String(e.constraint_name ?? "")} ${String(e.detail ?? "")}`;
  const unique =
    e.code === "23505" || e.code === "SQLITE_CONSTRAINT_UNIQUE" || /UNIQUE constraint failed/.test(text);
  if (!unique) return null;
  for (const field of ["email", "key_hash", "name"]) if (text.includes(field)) return field;
  return "value";
}

async function mapConflict<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const field = conflictField(err);
    if (field) throw new StoreConflictError(field);
    throw err;
  }
}

function first<T>(rows: T[], entity: string, id: string): T {
  const row = rows[0];
  if (!row) throw new StoreNotFoundError(entity, id);
  return row;
}

/** Case-insensitive substring match in both dialects (SQLite has no ILIKE); % and _ match literally. */
function contains(column: SQL | unknown, needle: string): SQL {
  const pattern = `%${needle.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql`lower(${column}) like ${pattern} escape '\\'`;
}

// Postgres returns sums of bigints as strings; SQLite as numbers. Normalise once here.
const num = (column: SQL | unknown) => sql<number>`coalesce(sum(${column}), 0)`.mapWith(Number);

export function createRepository(deps: RepositoryDeps): Store {
  const { db, tables: t } = deps;

  function spendWhere(filter?: SpendFilter): SQL | undefined {
    const parts: SQL[] = [];
    if (filter?.from) parts.push(gte(t.spendLog.createdAt, filter.from));
    if (filter?.to) parts.push(lt(t.spendLog.createdAt, filter.to));
    if (filter?.teamId) parts.push(eq(t.spendLog.teamId, filter.teamId));
    if (filter?.apiKeyId) parts.push(eq(t.spendLog.apiKeyId, filter.apiKeyId));
    if (filter?.userId) parts.push(eq(t.spendLog.userId, filter.userId));
    if (filter?.model) parts.push(eq(t.spendLog.model, filter.model));
    if (filter?.provider) parts.push(eq(t.spendLog.provider, filter.provider));
    if (filter?.statusMin !== undefined) parts.push(gte(t.spendLog.status, filter.statusMin));
    if (filter?.statusMax !== undefined) parts.push(lte(t.spendLog.status, filter.statusMax));
    if (filter?.requestId) parts.push(eq(t.spendLog.requestId, filter.requestId));
    if (filter?.endUser) parts.push(eq(t.spendLog.endUser, filter.endUser));
    if (filter?.tag) {
      // Tags are stored "a,b"; wrapping both sides in commas matches whole tags only. `_` is a LIKE wildcard.
      const pattern = `%,${filter.tag.replaceAll("\\", "\\\\").replaceAll("_", "\\_").replaceAll("%", "\\%")},%`;
      parts.push(sql`(',' || ${t.spendLog.tags} || ',') LIKE ${pattern} ESCAPE '\\'`);
    }
    return parts.length ? and(...parts) : undefined;
  }

  // Budgets at boot, the account summary and the CLI's reports: answered like any report (rollup + edges).
  async function totalsBy(dimension: "apiKeyId" | "teamId", from: Date, to: Date) {
    const out = new Map<string, SpendTotals>();
    for (const g of await groupBy([dimension], { from, to })) {
      const { costMicros, inputTokens, outputTokens, requests } = g;
      out.set(g.dims[dimension] ?? "", { costMicros, inputTokens, outputTokens, requests });
    }
    return out;
  }

  /**
   * Reports: the daily rollup for the whole UTC days of the range, the raw rows for the partial days at
   * its edges, added up per group; filters no rollup carries go to the raw rows alone (see ./rollup.ts).
   */
  async function groupBy(dimensions: SpendDimension[], filter: SpendFilter = {}): Promise<SpendGroup[]> {
    const rollup = chooseRollup(dimensions, filter);
    if (!rollup) return rawGroupBy(dimensions, filter);
    const { days, edges } = splitRange(filter.from, filter.to);
    // Per key, whole months come from spend_monthly_key: a day's row per key adds up over long ranges.
    const split = days && rollup === "key" && !dimensions.includes("day") ? splitMonths(days) : null;
    const parts = await Promise.all([
      ...edges.map((e) => rawGroupBy(dimensions, { ...filter, from: e.from, to: e.to })),
      ...(split
        ? [
            ...(split.months ? [rollupGroupBy(db, t, "keyMonth", dimensions, filter, split.months)] : []),
            ...split.days.map((d) => rollupGroupBy(db, t, "key", dimensions, filter, d)),
          ]
        : days
          ? [rollupGroupBy(db, t, rollup, dimensions, filter, days)]
          : []),
    ]);
    return mergeGroups(dimensions, parts);
  }

  function identities(where: SQL): Promise<KeyIdentity[]> {
    return db
      .select({ key: t.apiKeys, user: t.users, team: t.teams })
      .from(t.apiKeys)
      .innerJoin(t.users, eq(t.users.id, t.apiKeys.userId))
      .innerJoin(t.teams, eq(t.teams.id, t.users.teamId))
      .where(where);
  }

  /** Totals straight from spend_log: the edges of a range, and filters no rollup carries. */
  async function rawGroupBy(dimensions: SpendDimension[], filter?: SpendFilter): Promise<SpendGroup[]> {
    const dims = dimensions.map((d) => spendDimension(d));
    const fields: Record<string, SQL> = {
      requests: sql<number>`count(*)`.mapWith(Number),
      costMicros: num(t.spendLog.costMicros),
      inputTokens: num(t.spendLog.inputTokens),
      outputTokens: num(t.spendLog.outputTokens),
      cacheCreationInputTokens: num(t.spendLog.cacheCreationInputTokens),
      cacheReadInputTokens: num(t.spendLog.cacheReadInputTokens),
      errors: num(sql`case when ${t.spendLog.status} >= 400 then 1 else 0 end`),
      durationMsTotal: num(t.spendLog.durationMs),
    };
    dims.forEach((d, i) => {
      fields[`d${i}`] = d;
    });
    const query = db.select(fields).from(t.spendLog).where(spendWhere(filter));
    const rows = (await (dims.length ? query.groupBy(...dims) : query)) as Record<string, unknown>[];
    return rows.map((r): SpendGroup => {
      const group: Partial<Record<SpendDimension, string | null>> = {};
      dimensions.forEach((d, i) => {
        const v = r[`d${i}`];
        group[d] = v === null || v === undefined ? null : String(v);
      });
      return {
        dims: group,
        requests: Number(r.requests),
        costMicros: Number(r.costMicros),
        inputTokens: Number(r.inputTokens),
        outputTokens: Number(r.outputTokens),
        cacheCreationInputTokens: Number(r.cacheCreationInputTokens),
        cacheReadInputTokens: Number(r.cacheReadInputTokens),
        errors: Number(r.errors),
        durationMsTotal: Number(r.durationMsTotal),
      };
    });
  }

  // The few expressions whose SQL differs by dialect: created_at is integer ms in SQLite, timestamptz in Postgres.
  function spendDimension(d: SpendDimension): SQL {
    const c = t.spendLog;
    switch (d) {
      case "day":
        return deps.dialect === "sqlite"
          ? sql`strftime('%Y-%m-%d', ${c.createdAt} / 1000, 'unixepoch')`
          : sql`to_char(${c.createdAt} at time zone 'UTC', 'YYYY-MM-DD')`;
      case "month":
        return deps.dialect === "sqlite"
          ? sql`strftime('%Y-%m', ${c.createdAt} / 1000, 'unixepoch')`
          : sql`to_char(${c.createdAt} at time zone 'UTC', 'YYYY-MM')`;
      case "teamId":
        return sql`${c.teamId}`;
      case "model":
        return sql`${c.model}`;
      case "provider":
        return sql`${c.provider}`;
      case "userId":
        return sql`${c.userId}`;
      case "routedFrom":
        return sql`${c.routedFrom}`;
      case "routingMethod":
        return sql`${c.routingMethod}`;
      case "apiKeyId":
        return sql`${c.apiKeyId}`;
      case "routingRule":
        return deps.dialect === "sqlite"
          ? sql`substr(${c.routingReason}, 1, instr(${c.routingReason} || ' (', ' (') - 1)`
          : sql`split_part(${c.routingReason}, ' (', 1)`;
    }
  }

  /** created_at as integer µs since the epoch, exact in both dialects (Postgres keeps µs, SQLite ms). */
  function spendMicros() {
    return (
      deps.dialect === "sqlite"
        ? sql<number>`${t.spendLog.createdAt} * 1000`
        : sql<number>`(extract(epoch from ${t.spendLog.createdAt}) * 1000000)::bigint`
    ).mapWith(Number);
  }

  const store: Store = {
    dialect: deps.dialect,

    teams: {
      async create(input) {
        const row = {
          id: newId(),
          name: input.name,
          budgetMonthlyCents: input.budgetMonthlyCents ?? null,
          plan: input.plan ?? "free",
          allowedModels: input.allowedModels ?? null,
        };
        return mapConflict(async () =>
          first(await db.insert(t.teams).values(row).returning(), "team", row.id),
        );
      },
      async get(id) {
        return (await db.select().from(t.teams).where(eq(t.teams.id, id)))[0] ?? null;
      },
      async list() {
        return db.select().from(t.teams).orderBy(asc(t.teams.createdAt));
      },
      async update(id, patch) {
        if (Object.keys(patch).length === 0) {
          const team = await store.teams.get(id);
          if (!team) throw new StoreNotFoundError("team", id);
          return team;
        }
        return mapConflict(async () =>
          first(await db.update(t.teams).set(patch).where(eq(t.teams.id, id)).returning(), "team", id),
        );
      },
      async listPage(filter, page) {
        const where = filter.teamId ? eq(t.teams.id, filter.teamId) : undefined;
        const [rows, [n]] = await Promise.all([
          db
            .select()
            .from(t.teams)
            .where(where)
            .orderBy(asc(t.teams.createdAt), asc(t.teams.id))
            .limit(page.limit)
            .offset(page.offset),
          db.select({ n: count() }).from(t.teams).where(where),
        ]);
        return { rows, total: Number(n?.n ?? 0) };
      },
    },

    users: {
      async create(input, cap) {
        const row = {
          id: newId(),
          email: input.email,
          name: input.name,
          teamId: input.teamId,
          role: input.role ?? "member",
        };
        return mapConflict(async () =>
          cap
            ? deps.capped.user(row, cap.max)
            : first(await db.insert(t.users).values(row).returning(), "user", row.id),
        );
      },
      async get(id) {
        return (await db.select().from(t.users).where(eq(t.users.id, id)))[0] ?? null;
      },
      async list(filter) {
        const where = filter?.teamId ? eq(t.users.teamId, filter.teamId) : undefined;
        return db.select().from(t.users).where(where).orderBy(asc(t.users.createdAt));
      },
      async countByTeam(teamId) {
        const [row] = await db.select({ n: count() }).from(t.users).where(eq(t.users.teamId, teamId));
        return Number(row?.n ?? 0);
      },
      async update(id, patch) {
        if (Object.keys(patch).length === 0) {
          const user = await store.users.get(id);
          if (!user) throw new StoreNotFoundError("user", id);
          return user;
        }
        return first(await db.update(t.users).set(patch).where(eq(t.users.id, id)).returning(), "user", id);
      },
      async setActive(id, active) {
        return first(
          await db.update(t.users).set({ isActive: active }).where(eq(t.users.id, id)).returning(),
          "user",
          id,
        );
      },
      async listPage(filter, page) {
        const parts: SQL[] = [];
        if (filter.teamId) parts.push(eq(t.users.teamId, filter.teamId));
        if (filter.search)
          parts.push(
            or(contains(t.users.name, filter.search), contains(t.users.email, filter.search)) as SQL,
          );
        const where = parts.length ? and(...parts) : undefined;
        const dir = filter.newestFirst ? desc : asc;
        const [rows, [n]] = await Promise.all([
          db
            .select()
            .from(t.users)
            .where(where)
            .orderBy(dir(t.users.createdAt), dir(t.users.id))
            .limit(page.limit)
            .offset(page.offset),
          db.select({ n: count() }).from(t.users).where(where),
        ]);
        return { rows, total: Number(n?.n ?? 0) };
      },
      async getMany(ids) {
        const out = [];
        for (let i = 0; i < ids.length; i += 500)
          out.push(
            ...(await db
              .select()
              .from(t.users)
              .where(inArray(t.users.id, ids.slice(i, i + 500)))),
          );
        return out;
      },
    },

    keys: {
      async create(input, cap) {
        const row = {
          id: newId(),
          keyHash: input.keyHash,
          keyPrefix: input.keyPrefix,
          userId: input.userId,
          name: input.name,
          rateLimit: input.rateLimit ?? 60,
          budgetMonthlyCents: input.budgetMonthlyCents ?? null,
          expiresAt: input.expiresAt ?? null,
          allowedModels: input.allowedModels ?? null,
          maxConcurrent: input.maxConcurrent ?? null,
        };
        return mapConflict(async () =>
          cap
            ? deps.capped.key(row, cap.teamId, cap.max)
            : first(await db.insert(t.apiKeys).values(row).returning(), "key", row.id),
        );
      },
      async get(id) {
        return (await db.select().from(t.apiKeys).where(eq(t.apiKeys.id, id)))[0] ?? null;
      },
      async list(filter) {
        const parts: SQL[] = [];
        if (filter?.userId) parts.push(eq(t.apiKeys.userId, filter.userId));
        if (filter?.teamId) parts.push(eq(t.users.teamId, filter.teamId));
        const rows = await db
          .select({ key: t.apiKeys })
          .from(t.apiKeys)
          .innerJoin(t.users, eq(t.users.id, t.apiKeys.userId))
          .where(parts.length ? and(...parts) : undefined)
          .orderBy(asc(t.apiKeys.createdAt));
        return rows.map((r) => r.key);
      },
      async countActiveByTeam(teamId) {
        const [row] = await db
          .select({ n: count() })
          .from(t.apiKeys)
          .innerJoin(t.users, eq(t.users.id, t.apiKeys.userId))
          .where(and(eq(t.users.teamId, teamId), eq(t.apiKeys.isActive, true)));
        return Number(row?.n ?? 0);
      },
      async update(id, patch) {
        if (Object.keys(patch).length === 0) {
          const key = await store.keys.get(id);
          if (!key) throw new StoreNotFoundError("key", id);
          return key;
        }
        return first(
          await db.update(t.apiKeys).set(patch).where(eq(t.apiKeys.id, id)).returning(),
          "key",
          id,
        );
      },
      async identityByHash(keyHash): Promise<KeyIdentity | null> {
        return (await identities(eq(t.apiKeys.keyHash, keyHash)))[0] ?? null;
      },
      async labels(ids) {
        const out = [];
        for (let i = 0; i < ids.length; i += 500)
          out.push(
            ...(await db
              .select({
                id: t.apiKeys.id,
                name: t.apiKeys.name,
                keyPrefix: t.apiKeys.keyPrefix,
                userId: t.apiKeys.userId,
              })
              .from(t.apiKeys)
              .where(inArray(t.apiKeys.id, ids.slice(i, i + 500)))),
          );
        return out;
      },
      async identitiesByIds(ids) {
        const out: KeyIdentity[] = [];
        // Chunked to stay under bound-parameter limits on both drivers.
        for (let i = 0; i < ids.length; i += 500)
          out.push(...(await identities(inArray(t.apiKeys.id, ids.slice(i, i + 500)))));
        return out;
      },
      async markRotated(id, replacedBy, expiresAt) {
        first(
          await db.update(t.apiKeys).set({ replacedBy, expiresAt }).where(eq(t.apiKeys.id, id)).returning(),
          "key",
          id,
        );
      },
      async revoke(id) {
        return first(
          await db.update(t.apiKeys).set({ isActive: false }).where(eq(t.apiKeys.id, id)).returning(),
          "key",
          id,
        );
      },
      async touch(lastUsed) {
        for (const [id, at] of lastUsed) {
          await db.update(t.apiKeys).set({ lastUsedAt: at }).where(eq(t.apiKeys.id, id));
        }
      },
      async listPage(filter, page) {
        const parts: SQL[] = [];
        if (filter.userId) parts.push(eq(t.apiKeys.userId, filter.userId));
        if (filter.teamId) parts.push(eq(t.users.teamId, filter.teamId));
        if (filter.active !== undefined) parts.push(eq(t.apiKeys.isActive, filter.active));
        if (filter.search)
          parts.push(
            or(
              contains(t.apiKeys.name, filter.search),
              contains(t.apiKeys.keyPrefix, filter.search),
              contains(t.users.name, filter.search),
              contains(t.users.email, filter.search),
            ) as SQL,
          );
        const where = parts.length ? and(...parts) : undefined;
        const dir = filter.newestFirst ? desc : asc;
        const [rows, [n]] = await Promise.all([
          db
            .select({ key: t.apiKeys, teamId: t.users.teamId })
            .from(t.apiKeys)
            .innerJoin(t.users, eq(t.users.id, t.apiKeys.userId))
            .where(where)
            .orderBy(dir(t.apiKeys.createdAt), dir(t.apiKeys.id))
            .limit(page.limit)
            .offset(page.offset),
          db
            .select({ n: count() })
            .from(t.apiKeys)
            .innerJoin(t.users, eq(t.users.id, t.apiKeys.userId))
            .where(where),
        ]);
        return { rows, total: Number(n?.n ?? 0) };
      },
    },

    plans: {
      async list(): Promise<Plan[]> {
        const rows = await db.select().from(t.plans);
        const order = new Map(PLANS.map((p, i) => [p.id, i]));
        return rows.sort((a, b) => (order.get(a.id) ?? 99) - (order.get(b.id) ?? 99));
      },
      async get(id) {
        return (await db.select().from(t.plans).where(eq(t.plans.id, id)))[0] ?? null;
      },
    },

    spend: {
      async insertMany(rows: SpendRow[]) {
        // Chunked so one flush never exceeds either driver's bound-parameter limit.
        for (let i = 0; i < rows.length; i += 500) await deps.insertSpend(rows.slice(i, i + 500));
      },
      totalsByKey: (from, to) => totalsBy("apiKeyId", from, to),
      totalsByTeam: (from, to) => totalsBy("teamId", from, to),
      async count(filter) {
        const [row] = await db.select({ n: count() }).from(t.spendLog).where(spendWhere(filter));
        return Number(row?.n ?? 0);
      },
      async recent(limit, filter) {
        return db
          .select()
          .from(t.spendLog)
          .where(spendWhere(filter))
          .orderBy(desc(t.spendLog.createdAt), desc(t.spendLog.id))
          .limit(limit);
      },
      groupBy,
      async scan(filter, { after, limit, order }) {
        const parts: SQL[] = [];
        const base = spendWhere(filter);
        if (base) parts.push(base);
        if (after) {
          const key = sql`(${t.spendLog.createdAt}, ${t.spendLog.id})`;
          const at =
            deps.dialect === "sqlite"
              ? sql`(${Math.floor(after.micros / 1000)}, ${after.id})`
              : sql`(timestamptz 'epoch' + ${after.micros}::bigint * interval '1 microsecond', ${after.id}::uuid)`;
          parts.push(order === "asc" ? sql`${key} > ${at}` : sql`${key} < ${at}`);
        }
        const dir = order === "asc" ? asc : desc;
        const rows = await db
          .select({ row: t.spendLog, micros: spendMicros() })
          .from(t.spendLog)
          .where(parts.length ? and(...parts) : undefined)
          .orderBy(dir(t.spendLog.createdAt), dir(t.spendLog.id))
          .limit(limit);
        const last = rows.at(-1);
        return {
          rows: rows.map((r) => r.row),
          next: last && rows.length === limit ? { micros: last.micros, id: last.row.id } : null,
        };
      },
    },

    latency: {
      series: (query) => latencySeries(db, t, deps.dialect, query),
      rebuild: () => deps.rebuildLatency(),
    },

    async signup(input) {
      const teamId = newId();
      const userId = newId();
      return mapConflict(() =>
        deps.signup({
          team: { id: teamId, name: input.team.name, plan: input.team.plan, budgetMonthlyCents: null },
          user: { id: userId, email: input.user.email, name: input.user.name, teamId, role: "admin" },
          key: { id: newId(), userId, ...input.key, budgetMonthlyCents: null },
        }),
      );
    },

    ping: deps.ping,
    close: deps.close,
  };
  return store;
}

/** Upserts the spec's plans so price or cap changes in code reach existing databases. */
export async function seedPlans(db: QueryDb, t: Tables): Promise<void> {
  for (const plan of PLANS) {
    await db
      .insert(t.plans)
      .values(plan)
      .onConflictDoUpdate({
        target: t.plans.id,
        set: {
          name: plan.name,
          priceCents: plan.priceCents,
          tokensPerMonth: plan.tokensPerMonth,
          maxUsers: plan.maxUsers,
          maxKeys: plan.maxKeys,
        },
      });
  }
}
