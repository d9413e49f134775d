// `serve` on port 0: /health answers 200 with the store up and 503 when the store is down; probes answer.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config/env.ts";
import { silentLogger } from "../../src/log.ts";
import { type RunningServer, startServer } from "../../src/server.ts";
import type { Store } from "../../src/store/types.ts";
import { freshDatabase, type TestDatabase } from "../helpers/databases.ts";

let db: TestDatabase;
let server: RunningServer;

beforeAll(async () => {
  db = await freshDatabase("sqlite");
  const config = loadConfig({ DATABASE_URL: db.url, SNODUS_ADDR: "127.0.0.1:0" });
  server = await startServer(config, silentLogger);
});
afterAll(async () => {
  await server.shutdown();
  await db.drop();
});

test("GET /health is 200 with version and store status", async () => {
  const res = await fetch(`${server.url}/health`);
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({
    status: "ok",
    version: "0.1.0",
    store: { dialect: "sqlite", status: "ok" },
  });
});

test("HEAD / and HEAD /api/hello answer 200 (Claude Code probes them)", async () => {
  for (const path of ["/", "/api/hello"]) {
    const res = await fetch(`${server.url}${path}`, { method: "HEAD" });
    expect(res.status).toBe(200);
  }
});

test("/health is 503 when the store does not answer", async () => {
  const downStore = {
    dialect: "postgres",
    ping: async () => {
      throw new Error("connection refused");
    },
  } as unknown as Store;
  const config = loadConfig({});
  const app = createApp({ config, store: downStore, log: silentLogger, fetch, now: Date.now });
  const res = await app.handle(new Request("http://local/health"));
  expect(res.status).toBe(503);
  expect(await res.json()).toMatchObject({ status: "unavailable", store: { status: "unreachable" } });
});

test("/health is 503 against a real Postgres that went away", async () => {
  const pg = await freshDatabase("postgres");
  const config = loadConfig({ DATABASE_URL: pg.url, SNODUS_ADDR: "127.0.0.1:0" });
  const running = await startServer(config, silentLogger);
  expect((await fetch(`${running.url}/health`)).status).toBe(200);
  await pg.drop(); // WITH (FORCE) terminates the gateway's connections and removes the database
  const res = await fetch(`${running.url}/health`);
  expect(res.status).toBe(503);
  await running.shutdown();
});
