// Every error of POST /v1/messages: Anthropic's shape, a request id, one spend row when the upstream was
// reached, and never a key in a response, a spend row or a log line.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createLogger } from "../../src/log.ts";
import { createKey, rotateKey } from "../../src/modules/keys/service.ts";
import { MAX_BODY_BYTES } from "../../src/modules/proxy/request-body.ts";
import type { SpendRow } from "../../src/store/types.ts";
import { DIALECTS } from "../helpers/databases.ts";
import { REAL_ANTHROPIC_KEY, startTestGateway, type TestGateway } from "../helpers/gateway.ts";
import { mockHeader } from "../mock-upstream/index.ts";

const BODY = JSON.stringify({
  model: "claude-sonnet-4-5",
  max_tokens: 100,
  messages: [{ role: "user", content: "Hello" }],
});

interface Sent {
  status: number;
  headers: Headers;
  text: string;
  json: { type?: string; error?: { type?: string; message?: string } };
}

/** A port nothing listens on: bound once by us, then released. */
function closedPort(): number {
  const probe = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = probe.port;
  probe.stop(true);
  return port;
}

for (const dialect of DIALECTS) {
  describe(`POST /v1/messages errors on ${dialect}`, () => {
    let gw: TestGateway;
    let unreachable: TestGateway;
    const logs: string[] = [];
    // Every byte any client was sent, to prove afterwards that no key is among them.
    const seen: string[] = [];
    const secrets = () => [gw.secret, unreachable.secret, REAL_ANTHROPIC_KEY];

    beforeAll(async () => {
      const log = createLogger("debug", (line) => logs.push(line));
      gw = await startTestGateway(dialect, { SNODUS_UPSTREAM_TIMEOUT_MS: "1000" }, { log });
      unreachable = await startTestGateway(
        dialect,
        { ANTHROPIC_UPSTREAM_URL: `http://127.0.0.1:${closedPort()}` },
        { log },
      );
    });
    afterAll(async () => {
      await gw.close();
      await unreachable.close();
    });

    async function send(
      opts: {
        key?: string | null;
        body?: string | Uint8Array<ArrayBuffer>;
        mock?: Parameters<typeof mockHeader>[0];
        to?: TestGateway;
      } = {},
    ): Promise<Sent> {
      const target = opts.to ?? gw;
      const key = opts.key === undefined ? target.secret : opts.key;
      const headers: Record<string, string> = {
        "content-type": "application/json",
        "anthropic-version": "2023-06-01",
      };
      if (key !== null) headers.authorization = `Bearer ${key}`;
      if (opts.mock) headers["x-mock"] = mockHeader(opts.mock);
      const res = await fetch(`${target.url}/v1/messages`, {
        method: "POST",
        headers,
        body: opts.body ?? BODY,
      });
      const text = await res.text();
      seen.push(text, JSON.stringify([...res.headers]));
      let json: Sent["json"] = {};
      try {
        json = JSON.parse(text);
      } catch {
        // Asserted by the caller: every error body must be JSON.
      }
      return { status: res.status, headers: res.headers, text, json };
    }

    /** Our own errors: Anthropic's envelope, the given type, a request id in header and body. */
    function expectGatewayError(res: Sent, status: number, type: string) {
      expect(res.status).toBe(status);
      expect(res.headers.get("content-type")).toContain("application/json");
      // Plain comparisons: Bun's toMatchObject writes asymmetric matchers into the received object.
      expect(res.json.type).toBe("error");
      expect(res.json.error?.type).toBe(type);
      expect(typeof res.json.error?.message).toBe("string");
      const requestId = res.headers.get("request-id");
      expect(requestId).toMatch(/^req_/);
      expect(res.headers.get("x-snodus-request-id")).toBe(requestId);
      expect(res.json).toMatchObject({ request_id: requestId });
    }

    async function rowsFor(res: Sent, target = gw): Promise<SpendRow[]> {
      const id = res.headers.get("x-snodus-request-id");
      expect(id).toMatch(/^req_/);
      return (await target.spendRows()).filter((r) => r.requestId === id);
    }

    /** Errors raised before the upstream: nothing sent there, nothing billed. */
    async function expectNothingForwarded(run: () => Promise<Sent>, status: number, type: string) {
      const calls = gw.mock.calls.length;
      const rows = (await gw.spendRows()).length;
      const res = await run();
      expectGatewayError(res, status, type);
      expect(gw.mock.calls.length).toBe(calls);
      expect((await gw.spendRows()).length).toBe(rows);
      return res;
    }

    test("missing key → 401 authentication_error", async () => {
      await expectNothingForwarded(() => send({ key: null }), 401, "authentication_error");
    });

    test("unknown key → 401; a real Anthropic key sent as the virtual key is refused too", async () => {
      const unknown = `sk-${"0".repeat(40)}`;
      await expectNothingForwarded(() => send({ key: unknown }), 401, "authentication_error");
      await expectNothingForwarded(() => send({ key: REAL_ANTHROPIC_KEY }), 401, "authentication_error");
    });

    test("revoked key → 403 permission_error", async () => {
      const { key, secret } = await gw.newKey();
      await gw.server.store.keys.revoke(key.id);
      const res = await expectNothingForwarded(() => send({ key: secret }), 403, "permission_error");
      expect(res.json.error?.message).toContain("revoked");
    });

    test("a rotated key past its 24 h → 403; its replacement works", async () => {
      const { key, secret } = await gw.newKey({ rateLimit: 1000 });
      const rotated = await rotateKey(gw.server.store, key.id, new Date(Date.now() - 25 * 3600_000));
      expect(rotated.old.expiresAt?.getTime()).toBeLessThan(Date.now());
      const res = await expectNothingForwarded(() => send({ key: secret }), 403, "permission_error");
      expect(res.json.error?.message).toContain("expired");
      expect((await send({ key: rotated.secret })).status).toBe(200);
    });

    test("a key of an inactive user → 403", async () => {
      const store = gw.server.store;
      const user = await store.users.create({
        email: `gone-${Math.random().toString(36).slice(2)}@example.com`,
        name: "Gone",
        teamId: gw.team.id,
      });
      const { secret } = await createKey(store, { userId: user.id, name: "k" });
      await store.users.setActive(user.id, false);
      const res = await expectNothingForwarded(() => send({ key: secret }), 403, "permission_error");
      expect(res.json.error?.message).toContain("inactive");
    });

    test("malformed JSON → 400 invalid_request_error", async () => {
      await expectNothingForwarded(
        () => send({ body: '{"model": "claude-sonnet-4-5", "messages": [' }),
        400,
        "invalid_request_error",
      );
    });

    test("a 33 MB body → 413 request_too_large", async () => {
      const filler = "a".repeat(33 * 1024 * 1024);
      const body = `{"model":"claude-sonnet-4-5","max_tokens":1,"messages":[{"role":"user","content":"${filler}"}]}`;
      expect(body.length).toBeGreaterThan(MAX_BODY_BYTES);
      await expectNothingForwarded(() => send({ body }), 413, "request_too_large");
    });

    test("a 33 MB body sent chunked, without Content-Length → 413 as well", async () => {
      const chunk = new Uint8Array(1024 * 1024).fill(0x61);
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent++ < 33) controller.enqueue(chunk);
          else controller.close();
        },
      });
      const calls = gw.mock.calls.length;
      const res = await fetch(`${gw.url}/v1/messages`, {
        method: "POST",
        headers: { authorization: `Bearer ${gw.secret}`, "content-type": "application/json" },
        body,
      });
      const text = await res.text();
      seen.push(text, JSON.stringify([...res.headers]));
      expect(res.status).toBe(413);
      expect(JSON.parse(text)).toMatchObject({ type: "error", error: { type: "request_too_large" } });
      expect(gw.mock.calls.length).toBe(calls);
    });

    test("upstream unreachable → 502 api_error, one spend row", async () => {
      const res = await send({ to: unreachable });
      expectGatewayError(res, 502, "api_error");
      // The cause stays in the log: the client learns nothing about the network behind the gateway.
      expect(res.text).not.toContain("ECONNREFUSED");
      expect(res.text).not.toContain("127.0.0.1");
      const rows = await rowsFor(res, unreachable);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ status: 502, inputTokens: 0, outputTokens: 0, costMicros: 0 });
      // The cause is logged once, with the request id, for the operator.
      const line = logs.find((l) => l.includes(res.headers.get("request-id") ?? "?"));
      expect(line).toContain("upstream request failed");
      expect(line).toContain("cause=");
    });

    test("upstream slower than SNODUS_UPSTREAM_TIMEOUT_MS → 504 timeout_error, one spend row", async () => {
      const res = await send({ mock: { latencyMs: 3000 } });
      expectGatewayError(res, 504, "timeout_error");
      const rows = await rowsFor(res);
      expect(rows).toHaveLength(1);
      expect(rows[0]?.status).toBe(504);
    });

    for (const status of [400, 429, 500, 529]) {
      test(`upstream ${status} → ${status} with the upstream's exact body, one spend row`, async () => {
        const message = `upstream says no (${status})`;
        const res = await send({ mock: { status, errorMessage: message } });
        expect(res.status).toBe(status);
        const upstreamId = res.headers.get("request-id");
        expect(upstreamId).toMatch(/^req_mock/);
        const type = { 400: "invalid_request_error", 429: "rate_limit_error", 500: "api_error" }[status];
        // Byte for byte what the mock produced (its request id is the one in the passed-through header).
        expect(res.text).toBe(
          JSON.stringify({
            type: "error",
            error: { type: type ?? "overloaded_error", message },
            request_id: upstreamId,
          }),
        );
        if (status === 429) expect(res.headers.get("retry-after")).toBe("1");
        const rows = await rowsFor(res);
        expect(rows).toHaveLength(1);
        expect(rows[0]).toMatchObject({ status, inputTokens: 0, outputTokens: 0, costMicros: 0 });
      });
    }

    test("a streaming request the upstream refuses (529) passes through the same way", async () => {
      const body = JSON.stringify({ ...JSON.parse(BODY), stream: true });
      const res = await send({ body, mock: { status: 529 } });
      expect(res.status).toBe(529);
      expect(res.json).toMatchObject({ type: "error", error: { type: "overloaded_error" } });
      const rows = await rowsFor(res);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ status: 529, stream: true });
    });

    test("no key in any response, spend row, upstream call or log line", async () => {
      // A few of each kind again, so this test stands on its own when run alone (-t).
      await send({ key: REAL_ANTHROPIC_KEY });
      await send({ mock: { status: 500 } });
      await send({ to: unreachable });
      expect((await send()).status).toBe(200);
      const rows = JSON.stringify([...(await gw.spendRows()), ...(await unreachable.spendRows())]);
      const upstreamCalls = JSON.stringify(
        gw.mock.calls.map((c) => ({ ...c, headers: { ...c.headers, "x-api-key": "" } })),
      );
      expect(logs.length).toBeGreaterThan(0);
      for (const secret of secrets()) {
        for (const text of seen) expect(text).not.toContain(secret);
        expect(rows).not.toContain(secret);
        for (const line of logs) expect(line).not.toContain(secret);
      }
      // The upstream gets the real key (in x-api-key only), never a virtual one.
      expect(upstreamCalls).not.toContain(gw.secret);
      expect(upstreamCalls).not.toContain(REAL_ANTHROPIC_KEY);
    });
  });
}
