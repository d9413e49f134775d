// The key cache under load: one store read per new or unknown key however many requests race for
// it, none once warm, and a revocation from the CLI takes effect within a second.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { runSnodus } from "../helpers/cli.ts";
import { DIALECTS } from "../helpers/databases.ts";
import { startTestGateway, type TestGateway } from "../helpers/gateway.ts";

const BODY = JSON.stringify({
  model: "claude-haiku-4-5",
  max_tokens: 10,
  messages: [{ role: "user", content: "hi" }],
});

for (const dialect of DIALECTS) {
  describe(`key cache on ${dialect}`, () => {
    let gw: TestGateway;
    const lookups = () => gw.server.gateway.keys.lookups;

    beforeAll(async () => {
      gw = await startTestGateway(dialect);
    });
    afterAll(async () => gw.close());

    const send = (secret: string) =>
      fetch(`${gw.url}/v1/messages`, {
        method: "POST",
        headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
        body: BODY,
      }).then(async (res) => {
        await res.arrayBuffer();
        return res.status;
      });

    const flood = (secret: string, n: number) => Promise.all(Array.from({ length: n }, () => send(secret)));

    test("200 concurrent first requests with a new key → one store lookup; warm → none", async () => {
      const { secret } = await gw.newKey({ rateLimit: 100_000 });
      const before = lookups();
      const statuses = await flood(secret, 200);
      expect(statuses.every((s) => s === 200)).toBe(true);
      expect(lookups()).toBe(before + 1);

      const warm = await flood(secret, 100);
      expect(warm.every((s) => s === 200)).toBe(true);
      expect(lookups()).toBe(before + 1);
    });

    test("a flood of one unknown key → one lookup (negative cache), all 401", async () => {
      const unknown = `sk-${crypto.randomUUID().replaceAll("-", "")}abcdefgh`;
      const before = lookups();
      const statuses = await flood(unknown, 200);
      expect(new Set(statuses)).toEqual(new Set([401]));
      expect(lookups()).toBe(before + 1);
      await flood(unknown, 50);
      expect(lookups()).toBe(before + 1);
    });

    test("a key revoked through the CLI stops working within 1 second", async () => {
      const { key, secret } = await gw.newKey({ rateLimit: 100_000 });
      expect(await send(secret)).toBe(200);
      const lookupsWhenWarm = lookups();

      const cli = await runSnodus(["keys", "revoke", "--id", key.id], { DATABASE_URL: gw.db.url });
      expect(cli.code).toBe(0);
      const revokedAt = Date.now();
      let status = 200;
      while (status !== 403 && Date.now() - revokedAt < 3000) {
        await Bun.sleep(50);
        status = await send(secret);
      }
      const elapsed = Date.now() - revokedAt;
      expect(status).toBe(403);
      expect(elapsed).toBeLessThan(1000);
      // Revalidation is a bulk re-read, not a per-request lookup.
      expect(lookups()).toBe(lookupsWhenWarm);
    });
  });
}
