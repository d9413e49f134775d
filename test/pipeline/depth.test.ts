// A hostile nesting depth is refused wherever the gateway walks the body (translation, routing), and
// a body that is only passed through is not scanned.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startTestGateway, type TestGateway } from "../helpers/gateway.ts";

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway("sqlite", { SNODUS_ROUTER_ENABLED: "true" }, { allProviders: true });
});
afterAll(() => gw.close());

/** A tool input nested `depth` arrays deep, as text (JSON.stringify would recurse as deep). */
const deepBody = (model: string, depth: number) =>
  `{"model":${JSON.stringify(model)},"max_tokens":10,"messages":[{"role":"user","content":"hi"},` +
  `{"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"x","input":{"v":${"[".repeat(depth)}${"]".repeat(depth)}}}]}]}`;

const post = (text: string) =>
  fetch(`${gw.url}/v1/messages`, {
    method: "POST",
    headers: { authorization: `Bearer ${gw.secret}`, "content-type": "application/json" },
    body: text,
  });

test("translated and routed requests nested 5,000 deep are a 400 json_too_deep; nothing reaches an upstream", async () => {
  for (const model of ["gpt-4o-mini", "auto"]) {
    const before = gw.mock.calls.length;
    const res = await post(deepBody(model, 5_000));
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain("deeper than 128 levels");
    expect(gw.mock.calls.filter((c) => !c.path.startsWith("/api/")).length).toBe(
      gw.mock.calls.slice(0, before).filter((c) => !c.path.startsWith("/api/")).length,
    );
  }
});

test("a passthrough request is not scanned: the same depth reaches Anthropic as sent", async () => {
  const text = deepBody("claude-haiku-4-5", 200);
  const res = await post(text);
  await res.arrayBuffer();
  expect(gw.mock.calls.at(-1)?.bodyText).toBe(text);
});
