// `snodus serve` holds more than Bun's default 256 upstream requests at once (src/cli/fetch-limit.ts).
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { runSnodus } from "../helpers/cli.ts";
import { freshDatabase, type TestDatabase } from "../helpers/databases.ts";
import { type ServeProcess, spawnServe } from "../helpers/process.ts";

setDefaultTimeout(60_000);

const CLIENTS = 400; // well past 256
let db: TestDatabase;
let upstream: ReturnType<typeof Bun.serve>;
let inFlight = 0;
let maxInFlight = 0;
let key: string;
let holdTarget = CLIENTS;
let release: () => void = () => {};
let allArrived = Promise.resolve();
/** Holds each upstream request until `n` are open at once (or 10 s pass), then answers them all. */
function holdUntil(n: number) {
  holdTarget = n;
  maxInFlight = 0;
  allArrived = new Promise<void>((r) => {
    release = r;
  });
}
const env = () => ({
  DATABASE_URL: db.url,
  ANTHROPIC_API_KEY: "sk-ant-upstream",
  ANTHROPIC_UPSTREAM_URL: `http://127.0.0.1:${upstream.port}`,
});

beforeAll(async () => {
  db = await freshDatabase("sqlite");
  upstream = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch() {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      if (inFlight >= holdTarget) release();
      await Promise.race([allArrived, Bun.sleep(10_000)]);
      inFlight--;
      return Response.json({
        id: "msg_held",
        type: "message",
        role: "assistant",
        model: "claude-sonnet-4-5",
        content: [{ type: "text", text: "ok" }],
        stop_reason: "end_turn",
        stop_sequence: null,
        usage: { input_tokens: 3, output_tokens: 1 },
      });
    },
  });
  key = await newKey();
});
afterAll(async () => {
  upstream.stop(true);
  await db.drop();
});

async function newKey(): Promise<string> {
  const json = async (args: string[]) => {
    const r = await runSnodus([...args, "--json"], env());
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout);
  };
  const team = await json(["teams", "create", "--name", "held"]);
  const user = await json([
    "users",
    "create",
    "--email",
    "held@example.com",
    "--name",
    "H",
    "--team-id",
    team.id,
  ]);
  const key = await json(["keys", "create", "--user-id", user.id, "--name", "k", "--rate-limit", "100000"]);
  return key.api_key;
}

/**
 * The clients use raw sockets: the test runner is itself a Bun process whose fetch() is capped at 256,
 * which would hide what the gateway does.
 */
function post(url: string, body: string): Promise<number> {
  const { hostname, port } = new URL(url);
  const head =
    `POST /v1/messages HTTP/1.1\r\nhost: ${hostname}:${port}\r\nconnection: close\r\n` +
    `authorization: Bearer ${key}\r\nanthropic-version: 2023-06-01\r\ncontent-type: application/json\r\n` +
    `content-length: ${Buffer.byteLength(body)}\r\n\r\n`;
  return new Promise((resolve, reject) => {
    let reply = "";
    Bun.connect({
      hostname,
      port: Number(port),
      socket: {
        open: (socket) => void socket.write(head + body),
        data: (_socket, chunk) => {
          reply += chunk.toString();
        },
        close: () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(reply)?.[1] ?? 0)),
        error: (_socket, err) => reject(err),
      },
    }).catch(reject);
  });
}

function holdMany(serve: ServeProcess): Promise<number[]> {
  const body = JSON.stringify({
    model: "claude-sonnet-4-5",
    max_tokens: 8,
    messages: [{ role: "user", content: "hi" }],
  });
  return Promise.all(Array.from({ length: CLIENTS }, () => post(serve.url, body)));
}

test(`${CLIENTS} concurrent requests are all open upstream at the same time`, async () => {
  holdUntil(CLIENTS);
  const serve = await spawnServe(env());
  try {
    const statuses = await holdMany(serve);
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(maxInFlight).toBe(CLIENTS);
    expect(serve.logs()).not.toContain("limited to 256");
  } finally {
    expect(await serve.stop()).toBe(0);
  }
});

test("with BUN_CONFIG_MAX_HTTP_REQUESTS set by the admin, serve keeps that value", async () => {
  holdUntil(100);
  const serve = await spawnServe({ ...env(), BUN_CONFIG_MAX_HTTP_REQUESTS: "100" });
  try {
    // The first 100 are held until all 100 are open; the rest queue in Bun and never exceed the cap.
    const statuses = await holdMany(serve);
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(maxInFlight).toBe(100);
  } finally {
    expect(await serve.stop()).toBe(0);
  }
});
