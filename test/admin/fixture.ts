// An in-process gateway on a fresh database with two teams, each with an admin (and its key) and a member.
import { createGateway, type Gateway } from "../../src/app.ts";
import { type Config, loadConfig } from "../../src/config/env.ts";
import { silentLogger } from "../../src/log.ts";
import { createKey } from "../../src/modules/keys/service.ts";
import { openStore } from "../../src/store/open.ts";
import type { ApiKey, Dialect, SpendRow, Store, Team, User } from "../../src/store/types.ts";
import { freshDatabase, type TestDatabase } from "../helpers/databases.ts";

export const ADMIN_PASSWORD = "correct horse battery staple";
export const BASIC = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString("base64")}`;
/** A valid UUID no row has. */
export const MISSING_ID = "01900000-0000-7000-8000-000000000000";

export interface Tenant {
  team: Team;
  admin: User;
  member: User;
  /** The admin's key (role admin) and its secret. */
  adminKey: ApiKey;
  secret: string;
  /** A key of the member (role member). */
  memberKey: ApiKey;
  memberSecret: string;
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON shapes.
  json: any;
}

export interface CallOptions {
  /** An Authorization header value, `{ key }` for x-api-key, or null for none. Default: Basic. */
  auth?: string | { key: string } | null;
  body?: unknown;
  /** A raw body (sent as JSON content type), e.g. malformed JSON. */
  raw?: string;
}

export interface AdminFixture {
  dialect: Dialect;
  config: Config;
  store: Store;
  gateway: Gateway;
  clock: { now: number };
  a: Tenant;
  b: Tenant;
  call(method: string, path: string, opts?: CallOptions): Promise<Reply>;
  bearer(secret: string): string;
  close(): Promise<void>;
}

let seq = 0;
const unique = () =>
  `${Date.now().toString(36)}${(seq++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;

export async function tenant(store: Store, opts: { plan?: string; budgetCents?: number | null } = {}) {
  const team = await store.teams.create({
    name: `Team ${unique()}`,
    plan: opts.plan ?? "enterprise",
    budgetMonthlyCents: opts.budgetCents ?? null,
  });
  const admin = await store.users.create({
    email: `admin-${unique()}@example.com`,
    name: "Admin",
    teamId: team.id,
    role: "admin",
  });
  const member = await store.users.create({
    email: `m-${unique()}@example.com`,
    name: "Member",
    teamId: team.id,
  });
  const a = await createKey(store, { userId: admin.id, name: "admin key", rateLimit: 1000 });
  const m = await createKey(store, { userId: member.id, name: "member key" });
  return {
    team,
    admin,
    member,
    adminKey: a.key,
    secret: a.secret,
    memberKey: m.key,
    memberSecret: m.secret,
  } satisfies Tenant;
}

export async function adminFixture(
  dialect: Dialect,
  env: Record<string, string> = {},
): Promise<AdminFixture> {
  const db: TestDatabase = await freshDatabase(dialect);
  const config = loadConfig({ DATABASE_URL: db.url, ADMIN_PASSWORD, ...env });
  // As `serve` opens it: reports run in the store's report lane (a worker thread) on both dialects.
  const store = await openStore(config.database, { lane: true });
  const clock = { now: Date.parse("2026-11-15T12:00:00Z") };
  const gateway = createGateway({ config, store, log: silentLogger, fetch, now: () => clock.now });
  const a = await tenant(store, { budgetCents: 10_000 });
  const b = await tenant(store, { budgetCents: 20_000 });
  return {
    dialect,
    config,
    store,
    gateway,
    clock,
    a,
    b,
    bearer: (secret) => `Bearer ${secret}`,
    async call(method, path, opts = {}) {
      const headers: Record<string, string> = {};
      const auth = opts.auth === undefined ? BASIC : opts.auth;
      if (typeof auth === "string") headers.authorization = auth;
      else if (auth) headers["x-api-key"] = auth.key;
      let body: string | undefined;
      if (opts.raw !== undefined || opts.body !== undefined) {
        headers["content-type"] = "application/json";
        body = opts.raw ?? JSON.stringify(opts.body);
      }
      const res = await gateway.app.handle(new Request(`http://localhost${path}`, { method, headers, body }));
      const text = await res.text();
      let json: unknown = null;
      try {
        json = JSON.parse(text);
      } catch {}
      return { status: res.status, headers: res.headers, text, json };
    },
    async close() {
      gateway.keys.stop();
      await gateway.spend.close();
      await store.close();
      await db.drop();
    },
  };
}

/** A spend row with sensible defaults. */
export function spendRow(
  over: Partial<SpendRow> & Pick<SpendRow, "apiKeyId" | "userId" | "teamId">,
): SpendRow {
  return {
    id: Bun.randomUUIDv7(),
    createdAt: new Date("2026-11-10T10:00:00Z"),
    model: "claude-sonnet-4-5",
    provider: "anthropic",
    inputTokens: 100,
    outputTokens: 50,
    cacheCreationInputTokens: 0,
    cacheReadInputTokens: 0,
    costMicros: 1_050,
    durationMs: 120,
    status: 200,
    stream: false,
    routedFrom: null,
    routingMethod: null,
    routingReason: null,
    requestId: `req_${unique()}`,
    deployment: null,
    ...over,
  };
}

/** Every table's rows, to show that refused calls changed nothing. */
export async function snapshot(store: Store) {
  const [teams, users, keys] = await Promise.all([store.teams.list(), store.users.list(), store.keys.list()]);
  const norm = (rows: { id: string }[]) => JSON.stringify([...rows].sort((x, y) => x.id.localeCompare(y.id)));
  return { teams: norm(teams), users: norm(users), keys: norm(keys) };
}
