// The Ollama door over HTTP: errors in Ollama's shape and status, byte passthrough, NDJSON, limits and fallbacks.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eventually, startTestGateway, type TestGateway } from "../helpers/gateway.ts";
import { mockHeader } from "../mock-upstream/index.ts";

describe("the Ollama door", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway(
      "sqlite",
      { SNODUS_FALLBACKS: "claude-opus-4-5-mock-error-529=gpt-4o" },
      { allProviders: true },
    );
    await eventually(() => gw.server.gateway.providers.ollamaModels().includes("llama3.2:latest"));
  });
  afterAll(() => gw.close());

  const post = (
    path: string,
    body: string | object,
    headers: Record<string, string> = {},
    secret = gw.secret,
  ) =>
    fetch(`${gw.url}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });

  test("errors are Ollama's {error} with the right status", async () => {
    const noKey = await fetch(`${gw.url}/api/tags`);
    expect(noKey.status).toBe(401);
    expect(Object.keys(await noKey.json())).toEqual(["error"]);
    const badKey = await post("/api/chat", { model: "claude-haiku-4-5", messages: [] }, {}, "sk-nope");
    expect(badKey.status).toBe(401);
    const noModel = await post("/api/chat", { messages: [] });
    expect(noModel.status).toBe(400);
    expect((await noModel.json()).error).toStartWith("model:");
    const badRole = await post("/api/chat", {
      model: "claude-haiku-4-5",
      messages: [{ role: "x", content: "" }],
    });
    expect(badRole.status).toBe(400);
    const unknown = await post("/api/chat", { model: "mystery-model", messages: [] });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error).toContain("mystery-model");
    const notJson = await post("/api/chat", "{nope");
    expect(notJson.status).toBe(400);
    expect(typeof (await notJson.json()).error).toBe("string");
    // An upstream's own error reaches the client in Ollama's shape too, status kept.
    const refused = await post(
      "/api/chat",
      { model: "claude-haiku-4-5", messages: [{ role: "user", content: "x" }], stream: false },
      { "x-mock": mockHeader({ status: 400, errorMessage: "prompt is too long" }) },
    );
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ error: "prompt is too long" });
  });

  test("a local model gets the client's bytes unchanged, and its NDJSON back unchanged", async () => {
    const raw =
      '{ "model" : "llama3.2:latest",  "messages":[{"role":"user","content":"hi"}], "keep_alive": "5m" }';
    const res = await post("/api/chat", raw);
    expect(res.headers.get("content-type")).toBe("application/x-ndjson");
    const text = await res.text();
    expect(gw.mock.calls.at(-1)?.bodyText).toBe(raw);
    const lines = text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.at(-1)).toMatchObject({ done: true, eval_count: 8 });
    const row = (await gw.spendRows()).find((r) => r.model === "llama3.2:latest");
    expect(row).toMatchObject({ provider: "ollama", stream: true, outputTokens: 8, costMicros: 0 });
  });

  test("a translated stream is NDJSON too", async () => {
    const res = await post("/api/chat", {
      model: "claude-haiku-4-5",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(res.headers.get("content-type")).toBe("application/x-ndjson");
    const lines = (await res.text())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.at(-1)).toMatchObject({ done: true, done_reason: "stop" });
  });

  test("a budget that is spent answers 402 in Ollama's shape; nothing reaches the upstream", async () => {
    const { secret } = await gw.newKey({ budgetMonthlyCents: 0 });
    const before = gw.mock.calls.length;
    const res = await post(
      "/api/chat",
      { model: "claude-haiku-4-5", messages: [{ role: "user", content: "x" }] },
      {},
      secret,
    );
    expect(res.status).toBe(402);
    expect(Object.keys(await res.json())).toEqual(["error"]);
    expect(gw.mock.calls.filter((c) => c.path !== "/api/tags").length).toBe(
      gw.mock.calls.slice(0, before).filter((c) => c.path !== "/api/tags").length,
    );
  });

  test("a refused model falls back to the next one, translated into Ollama's answer", async () => {
    const res = await post("/api/chat", {
      model: "claude-opus-4-5-mock-error-529",
      messages: [{ role: "user", content: "x" }],
      stream: false,
    });
    const body = await res.json();
    expect(res.status).toBe(200);
    expect(body.done).toBe(true);
    const requestId = res.headers.get("x-snodus-request-id");
    const rows = (await gw.spendRows()).filter((r) => r.requestId === requestId);
    expect(rows.map((r) => [r.model, r.status]).sort()).toEqual([
      ["claude-opus-4-5-mock-error-529", 529],
      ["gpt-4o", 200],
    ]);
  });
});
