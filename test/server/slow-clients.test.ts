// 2,000 slow connections against a gateway whose file descriptors are capped (ulimit -n in the shell
// that starts it): stalled bodies and idle keep-alive connections are closed by the idle timeout, so
// /health and normal /v1 clients keep getting answers instead of waiting for a descriptor forever.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createKey } from "../../src/modules/keys/service.ts";
import { openStore } from "../../src/store/open.ts";
import { ADMIN_PASSWORD, BASIC } from "../admin/fixture.ts";
import { SOURCE_ENTRY } from "../helpers/cli.ts";
import { freshDatabase, type TestDatabase } from "../helpers/databases.ts";
import { type ServeProcess, spawnServe } from "../helpers/process.ts";
import { type MockUpstream, startMockUpstream } from "../mock-upstream/index.ts";

const FD_LIMIT = 1024;
const SLOW = 2_000;

describe(`${SLOW} slow connections with ulimit -n ${FD_LIMIT}`, () => {
  let db: TestDatabase;
  let mock: MockUpstream;
  let serve: ServeProcess;
  let secret = "";
  let dir = "";
  const sockets: Socket[] = [];

  beforeAll(async () => {
    db = await freshDatabase("sqlite");
    mock = await startMockUpstream();
    const store = await openStore(db.location);
    const team = await store.teams.create({ name: "Slow", plan: "enterprise" });
    const user = await store.users.create({ email: "slow@example.com", name: "Slow", teamId: team.id });
    secret = (await createKey(store, { userId: user.id, name: "k", rateLimit: 100_000 })).secret;
    await store.close();
    // The limit applies to the gateway only: set in the shell that execs it.
    dir = mkdtempSync(join(tmpdir(), "snodus-slow-"));
    const exe = join(dir, "serve-with-fd-limit");
    writeFileSync(
      exe,
      `#!/bin/bash\nulimit -n ${FD_LIMIT}\nexec "${process.execPath}" "${SOURCE_ENTRY}" "$@"\n`,
    );
    chmodSync(exe, 0o755);
    serve = await spawnServe(
      {
        DATABASE_URL: db.url,
        ADMIN_PASSWORD,
        ANTHROPIC_API_KEY: "sk-ant-test",
        ANTHROPIC_UPSTREAM_URL: mock.url,
        SNODUS_IDLE_TIMEOUT_S: "2",
      },
      { exe },
    );
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await serve?.stop();
    await mock?.stop();
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test("/health and /v1/messages still answer while the slow connections outnumber the descriptors", async () => {
    const { hostname, port } = new URL(serve.url);
    const opened = Array.from({ length: SLOW }, (_, i) => {
      // Half stall in the middle of an authenticated body, half sit idle after a request.
      const send =
        i % 2 === 0
          ? `POST /admin/teams HTTP/1.1\r\nHost: x\r\nAuthorization: ${BASIC}\r\n` +
            'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"name":'
          : "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";
      return new Promise<void>((resolve) => {
        const socket = connect(Number(port), hostname, () => {
          socket.write(send);
          resolve();
        });
        socket.on("error", () => resolve());
        sockets.push(socket);
      });
    });
    await Promise.all(opened);

    const health = Array.from({ length: 5 }, () =>
      fetch(`${serve.url}/health`, { headers: { connection: "close" }, signal: AbortSignal.timeout(50_000) }),
    );
    const messages = Array.from({ length: 5 }, () =>
      fetch(`${serve.url}/v1/messages`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${secret}`,
          "content-type": "application/json",
          connection: "close",
        },
        body: JSON.stringify({
          model: "claude-haiku-4-5",
          max_tokens: 8,
          messages: [{ role: "user", content: "hi" }],
        }),
        signal: AbortSignal.timeout(50_000),
      }),
    );
    const answers = await Promise.all([...health, ...messages]).catch((err) => {
      throw new Error(`${err}\n--- gateway log (exit ${serve.proc.exitCode}):\n${serve.logs().slice(-3000)}`);
    });
    expect(answers.map((r) => r.status)).toEqual(Array(10).fill(200));
    // The gateway is still the same process: it did not fall over for lack of descriptors.
    expect(serve.proc.exitCode).toBeNull();
  }, 90_000);
});
