// SNODUS_LOG_FORMAT=json: every stderr line of `snodus serve` is one JSON object, carries the request id, and no secret.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createKey } from "../../src/modules/keys/service.ts";
import { openStore } from "../../src/store/open.ts";
import type { Store } from "../../src/store/types.ts";
import { freshDatabase, type TestDatabase } from "../helpers/databases.ts";
import { eventually } from "../helpers/gateway.ts";
import { type ServeProcess, spawnServe } from "../helpers/process.ts";

const UPSTREAM_SECRET = "sk-ant-api03-json-log-secret-never-printed";
const ADMIN_SECRET = "json log admin password";
let db: TestDatabase;
let store: Store;
let serve: ServeProcess;

beforeAll(async () => {
  db = await freshDatabase("sqlite");
  store = await openStore(db.location);
  // A closed local port: the upstream call fails and the gateway logs it with the request id.
  serve = await spawnServe({
    DATABASE_URL: db.url,
    ANTHROPIC_API_KEY: UPSTREAM_SECRET,
    ANTHROPIC_UPSTREAM_URL: "http://127.0.0.1:9",
    ADMIN_PASSWORD: ADMIN_SECRET,
    SNODUS_LOG_FORMAT: "json",
  });
});
afterAll(async () => {
  await serve?.stop();
  await store.close();
  await db.drop();
});

test("one JSON object per line, the failed request's line has its request_id, no secret anywhere", async () => {
  const team = await store.teams.create({ name: "Logs" });
  const user = await store.users.create({ email: "logs@example.com", name: "L", teamId: team.id });
  const { secret } = await createKey(store, { userId: user.id, name: "logs" });
  const res = await fetch(`${serve.url}/v1/messages`, {
    method: "POST",
    headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
    body: JSON.stringify({
      model: "claude-haiku-4-5",
      max_tokens: 5,
      messages: [{ role: "user", content: "hi" }],
    }),
  });
  expect(res.status).toBe(502);
  const requestId = res.headers.get("x-snodus-request-id");
  expect(requestId).toMatch(/^req_/);
  await eventually(() => serve.logs().includes(requestId ?? "-"));
  const lines = serve.logs().trim().split("\n");
  const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  for (const r of records) {
    expect(typeof r.time).toBe("string");
    expect(["debug", "info", "warn", "error"]).toContain(r.level as string);
    expect(typeof r.msg).toBe("string");
  }
  expect(records.some((r) => r.msg === "upstream request failed" && r.request_id === requestId)).toBe(true);
  expect(records.some((r) => String(r.msg).startsWith("listening on"))).toBe(true);
  const all = serve.logs();
  for (const s of [UPSTREAM_SECRET, ADMIN_SECRET, secret]) expect(all).not.toContain(s);
});

test("a bad SNODUS_LOG_FORMAT stops start-up with one clear line", async () => {
  const { loadConfig, ConfigError } = await import("../../src/config/env.ts");
  expect(() => loadConfig({ SNODUS_LOG_FORMAT: "yaml" })).toThrow(ConfigError);
  try {
    loadConfig({ SNODUS_LOG_FORMAT: "yaml" });
  } catch (err) {
    expect(String((err as Error).message)).toContain("SNODUS_LOG_FORMAT must be text or json");
  }
});
