// The attempt object's contract: every way an attempt can end finishes it exactly once.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createLogger } from "../../src/log.ts";
import { Slot } from "../../src/modules/limits/slot.ts";
import { Attempt } from "../../src/modules/proxy/attempt.ts";
import type { ProxyContext } from "../../src/modules/proxy/context.ts";
import { Inflight } from "../../src/modules/proxy/inflight.ts";
import { emptyUsage } from "../../src/pricing/usage.ts";
import type { SpendRow } from "../../src/store/types.ts";
import { eventually, REAL_OPENAI_KEY, startTestGateway, type TestGateway } from "../helpers/gateway.ts";
import { mockHeader } from "../mock-upstream/index.ts";

describe("Attempt, in isolation", () => {
  function fakeContext() {
    const rows: SpendRow[] = [];
    const settled: number[] = [];
    const warnings: string[] = [];
    const inflight = new Inflight();
    const ctx = {
      config: { upstreamTimeoutMs: 1000 },
      log: createLogger("warn", (line) => warnings.push(line)),
      now: () => 1_000,
      spend: { record: (row: SpendRow) => rows.push(row) },
      pricer: { cost: () => 42 },
      inflight,
      metrics: { attempt: () => {} },
    } as unknown as ProxyContext;
    const identity = {
      key: { id: "k" },
      user: { id: "u" },
      team: { id: "t" },
    } as unknown as ConstructorParameters<typeof Attempt>[1]["identity"];
    const releases: string[] = [];
    const slot = new Slot(() => releases.push("released"));
    const attempt = new Attempt(ctx, {
      identity,
      admission: { headers: {}, settle: (cost) => settled.push(cost) },
      model: "claude-haiku-4-5",
      provider: "anthropic",
      free: false,
      stream: false,
      startedAt: 0,
      requestId: "req_1",
      routing: null,
      clientSignal: new AbortController().signal,
      deployment: null,
      slot,
      door: "anthropic",
    });
    return { attempt, rows, settled, warnings, inflight, slot, releases };
  }

  test("the concurrency slot is given back once: after the attempt's finish and the request's end", () => {
    const { attempt, slot, releases } = fakeContext();
    slot.drop(); // the pipeline's own hold ends (the request returned its response)
    expect(releases).toEqual([]);
    attempt.finish(emptyUsage(), 200);
    expect(releases).toEqual(["released"]);
    attempt.finish(emptyUsage(), 200);
    slot.drop();
    expect(releases).toEqual(["released"]);
  });

  test("finish() records one row, settles once and leaves once; a second finish is visible and ignored", () => {
    const { attempt, rows, settled, warnings, inflight } = fakeContext();
    expect(inflight.count).toBe(1);
    expect(attempt.finish(emptyUsage(), 200)).toBe(true);
    expect(attempt.finish(emptyUsage(), 502)).toBe(false);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.status).toBe(200);
    expect(settled).toEqual([42]);
    expect(inflight.count).toBe(0);
    expect(warnings.join("\n")).toContain("attempt finished twice");
  });

  test("Inflight.leave() without enter() throws instead of clamping", () => {
    const inflight = new Inflight();
    inflight.enter();
    inflight.leave();
    expect(() => inflight.leave()).toThrow("more often than enter()");
  });
});

describe("every path through the pipeline finishes its attempts exactly once", () => {
  let gw: TestGateway;
  const warnings: string[] = [];

  beforeAll(async () => {
    gw = await startTestGateway(
      "sqlite",
      { SNODUS_FALLBACKS: "claude-opus-4-5-mock-error-529=claude-sonnet-4-5" },
      { log: createLogger("warn", (line) => warnings.push(line)), allProviders: true },
    );
  });
  afterAll(() => gw.close());

  const post = (body: unknown, extra: Record<string, string> = {}, signal?: AbortSignal) =>
    fetch(`${gw.url}/v1/messages`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${gw.secret}`,
        "content-type": "application/json",
        "anthropic-version": "2023-06-01",
        ...extra,
      },
      body: JSON.stringify(body),
      signal,
    });
  const msg = (model: string, stream = false) => ({
    model,
    max_tokens: 50,
    stream,
    messages: [{ role: "user", content: "hi" }],
  });
  const rowsOf = async (requestId: string | null) =>
    (await gw.spendRows()).filter((r) => r.requestId === requestId).map((r) => [r.model, r.status]);
  const settle = () =>
    eventually(
      () => gw.server.gateway.inflight.count === 0 && gw.server.gateway.limitStore.outstanding() === 0,
    );

  test("success, streamed and not", async () => {
    for (const stream of [false, true]) {
      const res = await post(msg("claude-haiku-4-5", stream));
      await res.text();
      await settle();
      expect(await rowsOf(res.headers.get("x-snodus-request-id"))).toEqual([["claude-haiku-4-5", 200]]);
    }
  });

  test("upstream error without fallback", async () => {
    const res = await post(msg("claude-haiku-4-5-mock-error-500"));
    expect(res.status).toBe(500);
    await settle();
    expect(await rowsOf(res.headers.get("x-snodus-request-id"))).toEqual([
      ["claude-haiku-4-5-mock-error-500", 500],
    ]);
  });

  test("fallback: one row per attempt", async () => {
    const res = await post(msg("claude-opus-4-5-mock-error-529"));
    expect(res.status).toBe(200);
    await settle();
    expect((await rowsOf(res.headers.get("x-snodus-request-id"))).sort()).toEqual([
      ["claude-opus-4-5-mock-error-529", 529],
      ["claude-sonnet-4-5", 200],
    ]);
  });

  test("mid-stream failure, passthrough and translated", async () => {
    for (const model of ["claude-haiku-4-5", "gpt-4o-mini", "llama3.2"]) {
      const res = await post(msg(model, true), { "x-mock": mockHeader({ abortMidStream: true }) });
      await res.text().catch(() => "");
      await settle();
      expect(await rowsOf(res.headers.get("x-snodus-request-id"))).toEqual([[model, 502]]);
    }
  });

  test("client disconnect mid-stream → 499", async () => {
    const controller = new AbortController();
    const res = await post(
      msg("claude-haiku-4-5", true),
      { "x-mock": mockHeader({ text: "one two three four five six seven", chunkDelayMs: 100 }) },
      controller.signal,
    );
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    controller.abort();
    await settle();
    expect(await rowsOf(res.headers.get("x-snodus-request-id"))).toEqual([["claude-haiku-4-5", 499]]);
  });

  test("client disconnect before a non-streamed answer → 499, not 200", async () => {
    const controller = new AbortController();
    const before = (await gw.spendRows()).length;
    const pending = post(
      msg("claude-haiku-4-5"),
      { "x-mock": mockHeader({ latencyMs: 400 }) },
      controller.signal,
    ).catch(() => null);
    await eventually(() => gw.server.gateway.inflight.count > 0);
    await Bun.sleep(150);
    controller.abort();
    await pending;
    await settle();
    const rows = await gw.spendRows();
    expect(rows.length).toBe(before + 1);
    expect([rows[0]?.model, rows[0]?.status, rows[0]?.stream]).toEqual(["claude-haiku-4-5", 499, false]);
  });

  test("no attempt was ever finished twice", () => {
    expect(warnings.filter((w) => w.includes("finished twice"))).toEqual([]);
  });

  test("OpenAI-Organization / OpenAI-Project headers are not forwarded", async () => {
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${gw.secret}`,
        "content-type": "application/json",
        "openai-organization": "org-client",
        "openai-project": "proj-client",
      },
      body: JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(res.status).toBe(200);
    const call = gw.mock.calls.at(-1);
    expect(call?.headers["openai-organization"]).toBeUndefined();
    expect(call?.headers["openai-project"]).toBeUndefined();
    expect(call?.headers.authorization).toBe(`Bearer ${REAL_OPENAI_KEY}`);
  });
});
