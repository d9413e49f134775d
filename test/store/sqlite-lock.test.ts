// Another process holding the SQLite file's write lock stalls only the store's write lane: /health,
// proxied requests and key lookups keep answering, and every spend row lands once the lock goes.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startTestGateway, type TestGateway } from "../helpers/gateway.ts";

let gw: TestGateway;

beforeAll(async () => {
  gw = await startTestGateway("sqlite");
});
afterAll(async () => gw.close());

function post(secret: string) {
  return fetch(`${gw.url}/v1/messages`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${secret}`,
      "content-type": "application/json",
      "anthropic-version": "2023-06-01",
    },
    body: JSON.stringify({
      model: "claude-sonnet-4-5",
      max_tokens: 50,
      messages: [{ role: "user", content: "hi" }],
    }),
  });
}

/** A separate process that takes the write lock, says "locked", holds it `ms`, commits, says "released". */
function holdLock(path: string, ms: number) {
  const script = `
    const { Database } = require("bun:sqlite");
    const db = new Database(${JSON.stringify(path)});
    db.exec("PRAGMA busy_timeout = 10000");
    db.exec("BEGIN EXCLUSIVE");
    console.log("locked");
    setTimeout(() => { db.exec("COMMIT"); console.log("released"); db.close(); }, ${ms});
  `;
  const proc = Bun.spawn([process.execPath, "-e", script], { stdout: "pipe", stderr: "inherit" });
  const said = new Set<string>();
  const waiters: [string, () => void][] = [];
  (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of proc.stdout) {
      for (const word of decoder.decode(chunk).split(/\s+/).filter(Boolean)) said.add(word);
      for (const [word, wake] of waiters) if (said.has(word)) wake();
    }
  })();
  const until = (word: string) =>
    new Promise<void>((resolve) => {
      if (said.has(word)) resolve();
      else waiters.push([word, resolve]);
    });
  return { proc, said, until };
}

test("while another process holds the write lock, /health and /v1 answer and no spend row is lost", async () => {
  const path = gw.db.location.kind === "sqlite" ? gw.db.location.path : "";
  const fresh = await gw.newKey(); // never used yet: its first request needs a store lookup
  const warm = await post(gw.secret);
  expect(warm.status).toBe(200);
  await warm.arrayBuffer();
  await gw.server.gateway.spend.flush();
  const before = (await gw.spendRows()).length;

  const lock = holdLock(path, 3000);
  await lock.until("locked");
  const statuses: number[] = [];
  for (const secret of [gw.secret, fresh.secret, gw.secret]) {
    const res = await post(secret);
    statuses.push(res.status);
    await res.arrayBuffer();
  }
  // Past the recorder's flush interval: its write is now waiting on the lock (in the write lane).
  await Bun.sleep(400);
  const health = await fetch(`${gw.url}/health`);
  expect(health.status).toBe(200);
  expect(await health.json()).toMatchObject({ status: "ok", store: { status: "ok" } });
  for (const secret of [fresh.secret, gw.secret]) {
    const res = await post(secret);
    statuses.push(res.status);
    await res.arrayBuffer();
  }
  // All of that happened while the lock was held: the rows are still queued, the lock not yet released.
  // (With the store on the event loop the first flush froze the process until the lock went, and
  // these requests only ran after it, with the queue already written.)
  expect(gw.server.gateway.spend.pending).toBe(5);
  expect(lock.said.has("released")).toBe(false);
  expect(statuses).toEqual([200, 200, 200, 200, 200]);

  await lock.until("released");
  expect(await lock.proc.exited).toBe(0);
  const rows = await gw.spendRows();
  expect(rows.length).toBe(before + 5);
  expect(rows.filter((r) => r.apiKeyId === fresh.key.id).length).toBe(2);
}, 30_000);
