// Streams that do not end well: a client that leaves, an upstream error event, an upstream that dies;
// and the bytes of a good stream, which must reach the client exactly as the upstream sent them.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { SpendRow } from "../../src/store/types.ts";
import { DIALECTS } from "../helpers/databases.ts";
import { eventually, REAL_ANTHROPIC_KEY, startTestGateway, type TestGateway } from "../helpers/gateway.ts";
import { type MockBehavior, mockHeader } from "../mock-upstream/index.ts";

const USAGE = {
  input_tokens: 1200,
  output_tokens: 345,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 700,
};
const TEXT = "The quick brown fox jumps over the lazy dog, then naps in the sun 🌞 for a while.";
const decoder = new TextDecoder();

/** A fetch that also keeps, per `x-test-id`, every byte the upstream sent the gateway. */
function recordingFetch() {
  const sent = new Map<string, Promise<Uint8Array>>();
  const wrapped = async (input: string | URL | Request, init?: RequestInit) => {
    const res = await fetch(input, init);
    const id = new Headers(init?.headers).get("x-test-id");
    if (!id || !res.body) return res;
    const [forGateway, forTest] = res.body.tee();
    sent.set(id, new Response(forTest).bytes());
    return new Response(forGateway, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
  return { sent, fetch: Object.assign(wrapped, { preconnect: fetch.preconnect }) };
}

for (const dialect of DIALECTS) {
  describe(`streams through the gateway on ${dialect}`, () => {
    let gw: TestGateway;
    const recorder = recordingFetch();

    beforeAll(async () => {
      gw = await startTestGateway(dialect, { SNODUS_UPSTREAM_TIMEOUT_MS: "1000" }, { fetch: recorder.fetch });
    });
    afterAll(async () => gw.close());

    function stream(mock: MockBehavior, init: { signal?: AbortSignal; testId?: string } = {}) {
      const headers: Record<string, string> = {
        authorization: `Bearer ${gw.secret}`,
        "content-type": "application/json",
        "anthropic-version": "2023-06-01",
        "x-mock": mockHeader(mock),
      };
      if (init.testId) headers["x-test-id"] = init.testId;
      return fetch(`${gw.url}/v1/messages`, {
        method: "POST",
        headers,
        signal: init.signal,
        body: JSON.stringify({
          model: "claude-sonnet-4-5",
          max_tokens: 1000,
          stream: true,
          messages: [{ role: "user", content: "Tell me a story" }],
        }),
      });
    }

    async function rowsOf(res: Response): Promise<SpendRow[]> {
      const id = res.headers.get("x-snodus-request-id");
      expect(id).toMatch(/^req_/);
      return (await gw.spendRows()).filter((r) => r.requestId === id);
    }

    test("client disconnects after the first chunk → one row, status 499, with the final usage", async () => {
      const abort = new AbortController();
      const res = await stream({ text: TEXT, usage: USAGE, chunkDelayMs: 60 }, { signal: abort.signal });
      expect(res.status).toBe(200);
      const reader = res.body?.getReader();
      const first = await reader?.read();
      expect(decoder.decode(first?.value)).toContain("event: message_start");
      abort.abort();
      // The gateway keeps reading the upstream to its end, so the row appears once the mock is done.
      let rows: SpendRow[] = [];
      await eventually(async () => {
        rows = await rowsOf(res);
        return rows.length > 0;
      }, 10_000);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        status: 499,
        stream: true,
        inputTokens: USAGE.input_tokens,
        outputTokens: USAGE.output_tokens,
        cacheReadInputTokens: USAGE.cache_read_input_tokens,
      });
      // Sonnet: $3 in, $15 out, cache read $0.30 per MTok.
      expect(rows[0]?.costMicros).toBe(1200 * 3 + 345 * 15 + 700 * 0.3);
      await eventually(() => gw.server.gateway.inflight.count === 0);
      expect(await rowsOf(res)).toHaveLength(1);
    });

    test("upstream error event mid-stream → the client sees it; one row", async () => {
      const res = await stream({
        text: TEXT,
        usage: USAGE,
        failMidStream: true,
        errorType: "overloaded_error",
      });
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).toContain("event: content_block_delta");
      expect(text).toContain("event: error");
      expect(text).toContain('"overloaded_error"');
      expect(text).not.toContain("event: message_stop");
      // Exactly one error event: the gateway adds none of its own when the upstream said what went wrong.
      expect(text.split("event: error").length).toBe(2);
      const rows = await rowsOf(res);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ status: 502, stream: true, inputTokens: USAGE.input_tokens });
    });

    test("upstream connection dies mid-stream → a synthesized error event; one row, 502", async () => {
      const res = await stream({ text: TEXT, usage: USAGE, abortMidStream: true });
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).toContain("event: message_start");
      expect(text).not.toContain("event: message_stop");
      const events = text.split("\n\n").filter(Boolean);
      const last = events.at(-1) ?? "";
      expect(last.startsWith("event: error\n")).toBe(true);
      expect(JSON.parse(last.slice(last.indexOf("data: ") + 6))).toMatchObject({
        type: "error",
        error: { type: "api_error" },
      });
      const rows = await rowsOf(res);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ status: 502, stream: true, inputTokens: USAGE.input_tokens });
    });

    test("upstream goes silent longer than SNODUS_UPSTREAM_TIMEOUT_MS → timeout error event; one row, 504", async () => {
      const res = await stream({ text: TEXT, usage: USAGE, chunkDelayMs: 3000 });
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text.startsWith("event: message_start\n")).toBe(true);
      const last = text.trimEnd().split("\n\n").at(-1) ?? "";
      expect(last.startsWith("event: error\n")).toBe(true);
      expect(last).toContain('"timeout_error"');
      const rows = await rowsOf(res);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ status: 504, stream: true, inputTokens: USAGE.input_tokens });
    });

    test("a non-streamed answer cut short by the upstream → 502 in Anthropic's shape; one row", async () => {
      const res = await fetch(`${gw.url}/v1/messages`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${gw.secret}`,
          "content-type": "application/json",
          "x-mock": mockHeader({ abortMidStream: true }),
        },
        body: JSON.stringify({ model: "claude-sonnet-4-5", max_tokens: 10, messages: [] }),
      });
      expect(res.status).toBe(502);
      expect(await res.json()).toMatchObject({ type: "error", error: { type: "api_error" } });
      const rows = await rowsOf(res);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ status: 502, stream: false, inputTokens: 0 });
    });

    test("a good stream reaches the client byte for byte as the upstream sent it, in several chunks", async () => {
      const mock: MockBehavior = { text: TEXT, usage: USAGE, chunkDelayMs: 20 };
      const testId = crypto.randomUUID();
      const res = await stream(mock, { testId });
      expect(res.headers.get("content-type")).toContain("text/event-stream");
      const chunks: Uint8Array[] = [];
      for await (const chunk of res.body ?? []) chunks.push(chunk);
      expect(chunks.length).toBeGreaterThan(1);
      const received = Buffer.concat(chunks);
      const upstream = await recorder.sent.get(testId);
      expect(upstream).toBeDefined();
      expect(received.equals(Buffer.from(upstream ?? []))).toBe(true);

      // And the same as a direct request to the mock, apart from the ids it makes up per request.
      const direct = await fetch(`${gw.mock.url}/v1/messages`, {
        method: "POST",
        headers: {
          "x-api-key": REAL_ANTHROPIC_KEY,
          "content-type": "application/json",
          "anthropic-version": "2023-06-01",
          "x-mock": mockHeader(mock),
        },
        body: JSON.stringify({
          model: "claude-sonnet-4-5",
          max_tokens: 1000,
          stream: true,
          messages: [{ role: "user", content: "Tell me a story" }],
        }),
      });
      const withoutIds = (s: string) => s.replace(/mock[0-9a-z]+/g, "ID");
      expect(withoutIds(decoder.decode(received))).toBe(withoutIds(await direct.text()));
      const [row] = await rowsOf(res);
      expect(row).toMatchObject({ status: 200, outputTokens: USAGE.output_tokens });
    });
  });
}
