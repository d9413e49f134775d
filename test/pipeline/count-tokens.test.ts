// count_tokens for models Anthropic does not serve is answered here, with a real tokenizer, never forwarded.
import { afterAll, beforeAll, expect, test } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { startTestGateway, type TestGateway } from "../helpers/gateway.ts";

let gw: TestGateway;
let client: Anthropic;
beforeAll(async () => {
  gw = await startTestGateway("sqlite", {}, { allProviders: true });
  gw.mock.setDefault({ ollamaModels: ["llama3.2:latest"] });
  await gw.server.gateway.providers.refreshOllama();
  client = new Anthropic({ baseURL: gw.url, apiKey: gw.secret, maxRetries: 0 });
});
afterAll(() => gw.close());

const PROMPT = "Explain how a B-tree keeps itself balanced when keys are inserted.";

test("OpenAI and local models are counted locally with o200k_base; nothing reaches an upstream", async () => {
  for (const model of ["gpt-4o-mini", "llama3.2:latest"]) {
    const before = gw.mock.calls.filter((c) => c.path.includes("count_tokens")).length;
    const { input_tokens } = await client.messages.countTokens({
      model,
      system: "Be brief.",
      messages: [{ role: "user", content: PROMPT }],
    });
    // system + one message with its role overhead.
    expect(input_tokens).toBe(countTokens("Be brief.") + 3 + countTokens(PROMPT));
    expect(gw.mock.calls.filter((c) => c.path.includes("count_tokens")).length).toBe(before);
  }
  expect((await gw.spendRows()).length).toBe(0);
});

test("Claude models are still counted by Anthropic", async () => {
  const { input_tokens } = await client.messages.countTokens({
    model: "claude-haiku-4-5",
    messages: [{ role: "user", content: PROMPT }],
  });
  expect(input_tokens).toBeGreaterThan(0);
  expect(gw.mock.calls.at(-1)?.path).toBe("/v1/messages/count_tokens");
});

test("a model nobody serves → 404", async () => {
  const status = await client.messages
    .countTokens({ model: "mystery-1", messages: [{ role: "user", content: "x" }] })
    .then(
      () => 200,
      (err: { status?: number }) => err.status,
    );
  expect(status).toBe(404);
});
