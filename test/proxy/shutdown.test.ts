// SIGTERM on `snodus serve` with 50 streams in flight: every stream completes, the process exits 0,
// and every request has its spend row in the store; a request still uploading is waited for too.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createKey } from "../../src/modules/keys/service.ts";
import { openStore } from "../../src/store/open.ts";
import type { Dialect } from "../../src/store/types.ts";
import { DIALECTS, freshDatabase, type TestDatabase } from "../helpers/databases.ts";
import { eventually, REAL_ANTHROPIC_KEY, startTestGateway } from "../helpers/gateway.ts";
import { type ServeProcess, spawnServe } from "../helpers/process.ts";
import { type MockUpstream, mockHeader, startMockUpstream } from "../mock-upstream/index.ts";

const STREAMS = 50;
const USAGE = { input_tokens: 40, output_tokens: 30 };

/** A team, a user and a key, written straight into the database the server will open. */
async function seed(dialect: Dialect, db: TestDatabase) {
  const store = await openStore(db.location);
  try {
    const team = await store.teams.create({ name: `Shutdown ${dialect}`, plan: "enterprise" });
    const user = await store.users.create({ email: "sd@example.com", name: "SD", teamId: team.id });
    const { secret } = await createKey(store, { userId: user.id, name: "sd", rateLimit: 100_000 });
    return { teamId: team.id, secret };
  } finally {
    await store.close();
  }
}

/** The text an SSE reply spells out with its text deltas. */
function answerOf(sse: string): string {
  let out = "";
  for (const line of sse.split("\n")) {
    if (!line.startsWith("data: ")) continue;
    const data = JSON.parse(line.slice(6));
    if (data.delta?.type === "text_delta") out += data.delta.text;
  }
  return out;
}

for (const dialect of DIALECTS) {
  describe(`graceful shutdown of snodus serve on ${dialect}`, () => {
    let db: TestDatabase;
    let mock: MockUpstream;
    let serve: ServeProcess | undefined;

    beforeAll(async () => {
      db = await freshDatabase(dialect);
      mock = await startMockUpstream();
    });
    afterAll(async () => {
      if (serve && serve.proc.exitCode === null) await serve.stop("SIGKILL");
      await mock.stop();
      await db.drop();
    });

    test(`SIGTERM with ${STREAMS} streams in flight: all complete, exit 0, ${STREAMS} spend rows`, async () => {
      const { teamId, secret } = await seed(dialect, db);
      serve = await spawnServe({
        DATABASE_URL: db.url,
        ANTHROPIC_API_KEY: REAL_ANTHROPIC_KEY,
        ANTHROPIC_UPSTREAM_URL: mock.url,
        SNODUS_SHUTDOWN_GRACE_MS: "20000",
      });
      const url = serve.url;

      let finished = 0;
      const started: Promise<void>[] = [];
      const bodies = Array.from({ length: STREAMS }, (_, i) => {
        let firstBytes!: () => void;
        started.push(new Promise<void>((resolve) => (firstBytes = resolve)));
        return (async () => {
          const res = await fetch(`${url}/v1/messages`, {
            method: "POST",
            headers: {
              authorization: `Bearer ${secret}`,
              "content-type": "application/json",
              "anthropic-version": "2023-06-01",
              "x-mock": mockHeader({ text: `Stream number ${i} is here.`, usage: USAGE, chunkDelayMs: 50 }),
            },
            body: JSON.stringify({
              model: "claude-haiku-4-5",
              max_tokens: 100,
              stream: true,
              messages: [{ role: "user", content: `stream ${i}` }],
            }),
          });
          expect(res.status).toBe(200);
          const decoder = new TextDecoder();
          let text = "";
          for await (const chunk of res.body ?? []) {
            if (text === "") firstBytes();
            text += decoder.decode(chunk, { stream: true });
          }
          finished++;
          return text;
        })();
      });

      await Promise.all(started);
      serve.proc.kill("SIGTERM");
      const finishedBeforeSignal = finished;

      const texts = await Promise.all(bodies);
      // The signal really landed while streams were open (each has ~400 ms to go after its first bytes).
      expect(finishedBeforeSignal).toBeLessThan(STREAMS);
      texts.forEach((text, i) => {
        expect(answerOf(text)).toBe(`Stream number ${i} is here.`);
        expect(text).toContain("event: message_delta");
        expect(text.trimEnd().endsWith('data: {"type":"message_stop"}')).toBe(true);
      });
      expect(await serve.proc.exited).toBe(0);
      expect(serve.logs()).toContain("stopped");

      const store = await openStore(db.location);
      try {
        const rows = await store.spend.recent(1000, { teamId });
        expect(rows).toHaveLength(STREAMS);
        for (const row of rows) {
          expect(row).toMatchObject({ status: 200, stream: true, inputTokens: 40, outputTokens: 30 });
        }
        expect(new Set(rows.map((r) => r.requestId)).size).toBe(STREAMS);
      } finally {
        await store.close();
      }
    }, 60_000);

    test("shutdown waits for a request whose body is still uploading; it is answered and billed", async () => {
      const gw = await startTestGateway(dialect);
      try {
        const encoder = new TextEncoder();
        let release!: () => void;
        const released = new Promise<void>((resolve) => (release = resolve));
        const body = new ReadableStream<Uint8Array>({
          async start(controller) {
            controller.enqueue(encoder.encode('{"model":"claude-haiku-4-5","max_tokens":10,'));
            await released;
            controller.enqueue(encoder.encode('"messages":[{"role":"user","content":"late"}]}'));
            controller.close();
          },
        });
        const answer = fetch(`${gw.url}/v1/messages`, {
          method: "POST",
          headers: { authorization: `Bearer ${gw.secret}`, "content-type": "application/json" },
          body,
        });
        // Counted from its first byte, not only once it reaches the upstream.
        await eventually(() => gw.server.gateway.inflight.count === 1);
        const stopped = gw.server.shutdown();
        release();
        const res = await answer;
        expect(res.status).toBe(200);
        expect(await res.json()).toMatchObject({ type: "message" });
        await stopped;
        expect(gw.server.gateway.spend.written).toBe(1);
      } finally {
        await gw.close();
      }
    });
  });
}
