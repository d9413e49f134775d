// SIGTERM with streams that outlast SNODUS_SHUTDOWN_GRACE_MS: each ends with an error event and one spend row.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createKey } from "../../src/modules/keys/service.ts";
import { openStore } from "../../src/store/open.ts";
import { freshDatabase, type TestDatabase } from "../helpers/databases.ts";
import { REAL_ANTHROPIC_KEY, REAL_OPENAI_KEY } from "../helpers/gateway.ts";
import { type ServeProcess, spawnServe } from "../helpers/process.ts";
import { type MockUpstream, mockHeader, startMockUpstream } from "../mock-upstream/index.ts";

const STREAMS = 20;
let db: TestDatabase;
let mock: MockUpstream;
let serve: ServeProcess | undefined;

beforeAll(async () => {
  db = await freshDatabase("sqlite");
  mock = await startMockUpstream();
});
afterAll(async () => {
  if (serve && serve.proc.exitCode === null) await serve.stop("SIGKILL");
  await mock.stop();
  await db.drop();
});

test(`${STREAMS} streams still running at the deadline: error event, exit 0, ${STREAMS} rows with usage so far`, async () => {
  const store = await openStore(db.location);
  const team = await store.teams.create({ name: "Deadline", plan: "enterprise" });
  const user = await store.users.create({ email: "dl@example.com", name: "DL", teamId: team.id });
  const { secret } = await createKey(store, { userId: user.id, name: "dl", rateLimit: 100_000 });
  await store.close();

  serve = await spawnServe({
    DATABASE_URL: db.url,
    ANTHROPIC_API_KEY: REAL_ANTHROPIC_KEY,
    ANTHROPIC_UPSTREAM_URL: mock.url,
    OPENAI_API_KEY: REAL_OPENAI_KEY,
    OPENAI_UPSTREAM_URL: mock.url,
    SNODUS_SHUTDOWN_GRACE_MS: "1000",
  });
  const url = serve.url;
  const started: Promise<void>[] = [];
  // Half pass Anthropic's bytes through, half are translated from OpenAI: both must end in an error event.
  const streams = Array.from({ length: STREAMS }, (_, i) => {
    let firstBytes!: () => void;
    started.push(new Promise<void>((resolve) => (firstBytes = resolve)));
    return (async () => {
      const res = await fetch(`${url}/v1/messages`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${secret}`,
          "content-type": "application/json",
          "x-mock": mockHeader({ text: "a slow answer that takes a while", chunkDelayMs: 3000 }),
        },
        body: JSON.stringify({
          model: i % 2 ? "gpt-4o-mini" : "claude-haiku-4-5",
          max_tokens: 100,
          stream: true,
          messages: [{ role: "user", content: `stream ${i}` }],
        }),
      });
      let text = "";
      const decoder = new TextDecoder();
      for await (const chunk of res.body ?? []) {
        if (text === "") firstBytes();
        text += decoder.decode(chunk, { stream: true });
      }
      return text;
    })();
  });
  await Promise.all(started);
  const signalledAt = Date.now();
  serve.proc.kill("SIGTERM");
  const texts = await Promise.all(streams);
  expect(Date.now() - signalledAt).toBeLessThan(8_000);
  for (const text of texts) {
    expect(text).toContain("event: error");
    expect(text).toContain("shutting down");
    expect(text).not.toContain("message_stop");
  }
  expect(await serve.proc.exited).toBe(0);

  const check = await openStore(db.location);
  try {
    const rows = await check.spend.recent(1000, { teamId: team.id });
    expect(rows).toHaveLength(STREAMS);
    expect(new Set(rows.map((r) => r.requestId)).size).toBe(STREAMS);
    for (const row of rows) {
      expect(row.status).toBe(503);
      expect(row.stream).toBe(true);
    }
    // The Anthropic passthrough streams had reported their input tokens in message_start.
    expect(rows.filter((r) => r.provider === "anthropic").every((r) => r.inputTokens > 0)).toBe(true);
  } finally {
    await check.close();
  }
}, 60_000);
