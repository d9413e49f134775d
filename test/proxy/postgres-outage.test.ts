// A Postgres outage, played with a TCP forwarder between the gateway and the shared server: warm keys keep
// working, a never-seen key gets 503 with Retry-After in its protocol's shape, and everything recovers
// as soon as the database is back — rows queued during the outage included.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { freshDatabase, type TestDatabase } from "../helpers/databases.ts";
import { eventually, startTestGateway, type TestGateway } from "../helpers/gateway.ts";
import { startTcpProxy, type TcpProxy } from "../helpers/tcp-proxy.ts";

const MESSAGES = JSON.stringify({
  model: "claude-haiku-4-5",
  max_tokens: 8,
  messages: [{ role: "user", content: "hi" }],
});
const CHAT = JSON.stringify({
  model: "gpt-4o-mini",
  max_tokens: 8,
  messages: [{ role: "user", content: "hi" }],
});

describe("Postgres outage", () => {
  let db: TestDatabase;
  let tcp: TcpProxy;
  let gw: TestGateway;

  beforeAll(async () => {
    db = await freshDatabase("postgres");
    const direct = new URL(db.url);
    tcp = await startTcpProxy({ hostname: direct.hostname, port: Number(direct.port || 5432) });
    const proxied = new URL(db.url);
    proxied.host = `127.0.0.1:${tcp.port}`;
    gw = await startTestGateway("postgres", { DATABASE_URL: proxied.toString() }, { allProviders: true });
  });
  afterAll(async () => {
    tcp.restore();
    await gw.close();
    tcp.stop();
    await db.drop();
  });

  const post = (path: string, secret: string, body: string) =>
    fetch(`${gw.url}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
      body,
    });

  // `failures`: store reads that fail during the outage before the test's requests. Each failed
  // connection attempt lengthens the driver's reconnect backoff, which is what used to keep requests
  // stalled after the database came back.
  for (const [how, outage, failures] of [
    ["the database stopped (connections refused)", () => tcp.cut(), 15],
    ["a proxy in front of a dead database (accepted, then closed)", () => tcp.hangUp(), 0],
  ] as const)
    test(`${how}: warm key 200, never-seen key 503 + Retry-After; after it: all 200`, async () => {
      expect((await post("/v1/messages", gw.secret, MESSAGES)).status).toBe(200);
      const unseen = await gw.newKey({ rateLimit: 1000 });
      const unseenChat = await gw.newKey({ rateLimit: 1000 });
      const later = await gw.newKey({ rateLimit: 1000 });
      const before = (await gw.spendRows()).length;

      outage();
      for (let i = 0; i < failures; i++) await gw.server.gateway.keys.refresh();
      const warm = await post("/v1/messages", gw.secret, MESSAGES);
      expect(warm.status).toBe(200);
      await warm.arrayBuffer();

      const cold = await post("/v1/messages", unseen.secret, MESSAGES);
      expect(cold.status).toBe(503);
      expect(Number(cold.headers.get("retry-after"))).toBeGreaterThan(0);
      const body = await cold.json();
      expect(body).toMatchObject({ type: "error", error: { type: "api_error" } });
      expect(JSON.stringify(body)).not.toContain("postgres");

      const coldChat = await post("/v1/chat/completions", unseenChat.secret, CHAT);
      expect(coldChat.status).toBe(503);
      expect(coldChat.headers.get("retry-after")).not.toBeNull();
      expect((await coldChat.json()).error).toMatchObject({ code: "store_unavailable" });

      const admin = await fetch(`${gw.url}/admin/keys`, {
        headers: { authorization: `Bearer ${unseen.secret}` },
      });
      expect(admin.status).toBe(503);

      tcp.restore();
      // The first request after the outage, with a key the cache has never seen, goes straight through:
      // were the driver still backing off, the lookup would hit its 3 s bound and answer 503.
      const back = await post("/v1/messages", later.secret, MESSAGES);
      expect(back.status).toBe(200);
      expect((await post("/v1/messages", unseen.secret, MESSAGES)).status).toBe(200);
      // The warm key's request during the outage was written once the database came back. The test's
      // own read goes through the same pool, where a connection the driver opened while the proxy's
      // port was down can still be waiting out its connect timeout: it is retried, not the gateway.
      let rows = -1;
      await eventually(async () => {
        rows = await gw.spendRows().then(
          (r) => r.length,
          () => -1,
        );
        return rows === before + 3;
      }, 15_000).catch(() => {});
      expect(rows).toBe(before + 3);
    });
});
