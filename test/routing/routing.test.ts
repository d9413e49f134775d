// Smart routing of "model": "auto" and fallbacks across the chain, through a running gateway.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { claudeCodeSizedBody } from "../helpers/claude-code-body.ts";
import { startTestGateway, type TestGateway } from "../helpers/gateway.ts";

function post(gw: TestGateway, body: Record<string, unknown>) {
  return fetch(`${gw.url}/v1/messages`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${gw.secret}`,
      "content-type": "application/json",
      "anthropic-version": "2023-06-01",
    },
    body: JSON.stringify(body),
  });
}

describe("router enabled", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway("sqlite", {
      SNODUS_ROUTER_ENABLED: "true",
      SNODUS_FALLBACKS:
        "claude-opus-4-5-mock-error-529=claude-sonnet-4-5;claude-haiku-4-5-mock-error-500=claude-haiku-4-5-mock-error-503",
    });
  });
  afterAll(async () => gw.close());

  test("a Claude Code-sized request whose last turn is 'translate this to French' goes to the cheap tier", async () => {
    const body = claudeCodeSizedBody("translate this to French: good morning");
    expect(JSON.stringify(body).length).toBeGreaterThan(70_000);
    const res = await post(gw, body);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-snodus-routed-model")).toBe("claude-haiku-4-5");
    const reason = res.headers.get("x-snodus-routing-reason") ?? "";
    // Plain ASCII, readable as it is: not percent-encoded.
    expect(reason).toContain('"translate"');
    expect(reason).not.toContain("%");
    expect((await res.json()).model).toBe("claude-haiku-4-5");
    const sent = JSON.parse(gw.mock.calls.at(-1)?.bodyText ?? "{}");
    expect(sent.model).toBe("claude-haiku-4-5");
    expect(sent.tools).toHaveLength(24);
    const [row] = await gw.spendRows();
    expect(row).toMatchObject({ model: "claude-haiku-4-5", routedFrom: "auto", routingMethod: "rules" });
    expect(row?.routingReason).toContain("cheap tier");
  });

  test("a short 'refactor this module' goes to the top tier", async () => {
    const res = await post(gw, {
      model: "auto",
      max_tokens: 100,
      messages: [{ role: "user", content: "refactor this module" }],
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-snodus-routed-model")).toBe("claude-opus-4-5");
    const [row] = await gw.spendRows();
    expect(row?.routingReason).toContain('complex keyword "refactor"');
  });

  test("only `model` changes on the way upstream when routed; everything else is byte-identical", async () => {
    const text =
      '{"model":"auto","max_tokens":  10,"messages":[{"role":"user","content":"hi"}],"x_unknown":{"a":[1,2]}}';
    const res = await fetch(`${gw.url}/v1/messages`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${gw.secret}`,
        "content-type": "application/json",
        "anthropic-version": "2023-06-01",
      },
      body: text,
    });
    expect(res.status).toBe(200);
    expect(gw.mock.calls.at(-1)?.bodyText).toBe(text.replace('"model":"auto"', '"model":"claude-haiku-4-5"'));
  });

  test("fallback: the primary answers 529 → the request succeeds on the fallback, both attempts logged", async () => {
    const res = await post(gw, {
      model: "claude-opus-4-5-mock-error-529",
      max_tokens: 100,
      messages: [{ role: "user", content: "hi" }],
    });
    expect(res.status).toBe(200);
    expect((await res.json()).model).toBe("claude-sonnet-4-5");
    const requestId = res.headers.get("x-snodus-request-id");
    const rows = (await gw.spendRows()).filter((r) => r.requestId === requestId);
    expect(rows.map((r) => [r.model, r.status]).sort()).toEqual([
      ["claude-opus-4-5-mock-error-529", 529],
      ["claude-sonnet-4-5", 200],
    ]);
    expect(gw.server.gateway.limitStore.outstanding()).toBe(0);
  });

  test("when every candidate fails, the client gets the last upstream error", async () => {
    const res = await post(gw, {
      model: "claude-haiku-4-5-mock-error-500",
      max_tokens: 10,
      messages: [{ role: "user", content: "hi" }],
    });
    expect(res.status).toBe(503);
    expect((await res.json()).type).toBe("error");
  });

  test("a model no configured provider serves → 404 naming the configured providers", async () => {
    const res = await post(gw, {
      model: "gpt-4o",
      max_tokens: 10,
      messages: [{ role: "user", content: "hi" }],
    });
    expect(res.status).toBe(404);
    const body = await res.json();
    expect(body.error.message).toContain('"gpt-4o"');
    expect(body.error.message).toContain("configured: anthropic");
  });
});

test("router disabled: model auto → 400 naming SNODUS_ROUTER_ENABLED", async () => {
  const gw = await startTestGateway("sqlite");
  try {
    const res = await post(gw, {
      model: "auto",
      max_tokens: 10,
      messages: [{ role: "user", content: "hi" }],
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toContain("SNODUS_ROUTER_ENABLED");
  } finally {
    await gw.close();
  }
});
