// The connect timeout bounds connecting only: an upstream that takes 30 s to send headers is waited for.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startTestGateway, type TestGateway } from "../helpers/gateway.ts";
import { mockHeader } from "../mock-upstream/index.ts";

let gw: TestGateway;
beforeAll(async () => {
  // The default connect timeout (10 s) is far below the 30 s header delay.
  gw = await startTestGateway("sqlite", {}, { allProviders: true });
  gw.mock.setDefault({ ollamaModels: ["llama3.2:latest"] });
  await gw.server.gateway.providers.refreshOllama();
});
afterAll(() => gw.close());

test("a 30 s wait for headers is not a connect timeout, on all three providers, streamed", async () => {
  const results = await Promise.all(
    ["claude-haiku-4-5", "gpt-4o-mini", "llama3.2:latest"].map(async (model) => {
      const res = await fetch(`${gw.url}/v1/messages`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${gw.secret}`,
          "content-type": "application/json",
          "x-mock": mockHeader({ latencyMs: 30_000, text: "LateButFine" }),
        },
        body: JSON.stringify({
          model,
          max_tokens: 20,
          stream: true,
          messages: [{ role: "user", content: "hi" }],
        }),
      });
      const sse = await res.text();
      // The mock splits the text into three deltas; a complete message ends with message_stop.
      return [model, res.status, sse.includes('"Late"') && sse.includes("message_stop")];
    }),
  );
  expect(results).toEqual([
    ["claude-haiku-4-5", 200, true],
    ["gpt-4o-mini", 200, true],
    ["llama3.2:latest", 200, true],
  ]);
}, 60_000);
