// A running gateway in front of the mock upstream, on a fresh database, with one team, user and key.
import { loadConfig } from "../../src/config/env.ts";
import { type Logger, silentLogger } from "../../src/log.ts";
import { createKey } from "../../src/modules/keys/service.ts";
import { type RunningServer, startServer } from "../../src/server.ts";
import type { ApiKey, Dialect, SpendRow, Team, User } from "../../src/store/types.ts";
import { type MockUpstream, startMockUpstream } from "../mock-upstream/index.ts";
import { freshDatabase, type TestDatabase } from "./databases.ts";

export const REAL_OPENAI_KEY = "sk-proj-REAL-OPENAI-UPSTREAM-KEY-never-shown";
export const REAL_ANTHROPIC_KEY = "sk-ant-api03-REAL-UPSTREAM-KEY-never-shown";

export interface TestGateway {
  url: string;
  server: RunningServer;
  mock: MockUpstream;
  db: TestDatabase;
  team: Team;
  user: User;
  key: ApiKey;
  /** The virtual key's secret. */
  secret: string;
  /** Writes pending spend rows and returns them, newest first. */
  spendRows(): Promise<SpendRow[]>;
  newKey(opts?: {
    rateLimit?: number;
    budgetMonthlyCents?: number | null;
  }): Promise<{ key: ApiKey; secret: string }>;
  close(): Promise<void>;
}

export async function startTestGateway(
  dialect: Dialect,
  env: Record<string, string> = {},
  opts: { fetch?: typeof fetch; now?: () => number; log?: Logger; allProviders?: boolean } = {},
): Promise<TestGateway> {
  const mock = await startMockUpstream();
  const db = await freshDatabase(dialect);
  const config = loadConfig({
    DATABASE_URL: db.url,
    SNODUS_ADDR: "127.0.0.1:0",
    ANTHROPIC_API_KEY: REAL_ANTHROPIC_KEY,
    ANTHROPIC_UPSTREAM_URL: mock.url,
    SNODUS_SHUTDOWN_GRACE_MS: "5000",
    // The mock speaks all three protocols, so one server stands in for every provider.
    ...(opts.allProviders
      ? { OPENAI_API_KEY: REAL_OPENAI_KEY, OPENAI_UPSTREAM_URL: mock.url, OLLAMA_BASE_URL: mock.url }
      : {}),
    ...env,
  });
  const server = await startServer(config, opts.log ?? silentLogger, opts);
  const store = server.store;
  const team = await store.teams.create({
    name: `Team ${Math.random().toString(36).slice(2)}`,
    plan: "enterprise",
  });
  const user = await store.users.create({
    email: `dev-${Math.random().toString(36).slice(2)}@example.com`,
    name: "Dev",
    teamId: team.id,
  });
  const newKey = async (o: { rateLimit?: number; budgetMonthlyCents?: number | null } = {}) => {
    const created = await createKey(store, { userId: user.id, name: "test", ...o });
    return { key: created.key, secret: created.secret };
  };
  const { key, secret } = await newKey({ rateLimit: 100_000 });
  return {
    url: server.url,
    server,
    mock,
    db,
    team,
    user,
    key,
    secret,
    newKey,
    async spendRows() {
      await server.gateway.spend.flush();
      return store.spend.recent(10_000, { teamId: team.id });
    },
    async close() {
      await server.shutdown();
      await mock.stop();
      await db.drop();
    },
  };
}

/** Polls `check` until it returns true or `timeoutMs` passes (for effects that are asynchronous by design). */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error("condition not met in time");
    await Bun.sleep(10);
  }
}
