// The Anthropic SDK on /v1/messages with OpenAI and Ollama models: text, streaming, tool-use round trip.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import { startTestGateway, type TestGateway } from "../helpers/gateway.ts";
import { mockHeader } from "../mock-upstream/index.ts";

const TOOLS = [
  {
    name: "get_weather",
    description: "Weather for a city",
    input_schema: { type: "object" as const, properties: { city: { type: "string" } }, required: ["city"] },
  },
];

let gw: TestGateway;
let client: Anthropic;
beforeAll(async () => {
  gw = await startTestGateway("sqlite", {}, { allProviders: true });
  client = new Anthropic({ baseURL: gw.url, apiKey: gw.secret, maxRetries: 0 });
});
afterAll(async () => gw.close());

const opts = (b: Record<string, unknown>) => ({ headers: { "x-mock": mockHeader(b) } });

for (const [provider, model, upstreamPath] of [
  ["openai", "gpt-4o-mini", "/v1/chat/completions"],
  ["ollama", "llama3.2:latest", "/api/chat"],
] as const) {
  describe(`${provider} behind /v1/messages (${model})`, () => {
    test("non-streaming text and usage", async () => {
      const msg = await client.messages.create(
        { model, max_tokens: 100, system: "Be brief.", messages: [{ role: "user", content: "Hello" }] },
        opts({ text: `Hi from ${provider}`, usage: { input_tokens: 30, output_tokens: 7 } }),
      );
      expect(msg.type).toBe("message");
      expect(msg.model).toBe(model);
      expect(msg.content[0]).toMatchObject({ type: "text", text: `Hi from ${provider}` });
      expect(msg.stop_reason).toBe("end_turn");
      expect(msg.usage).toMatchObject({ input_tokens: 30, output_tokens: 7 });
      const call = gw.mock.calls.at(-1);
      expect(call?.path).toBe(upstreamPath);
      const [row] = await gw.spendRows();
      expect(row).toMatchObject({ provider, model, inputTokens: 30, outputTokens: 7, status: 200 });
      if (provider === "ollama") expect(row?.costMicros).toBe(0);
      else expect(row?.costMicros).toBe(Math.round(30 * 0.15 + 7 * 0.6));
    });

    test("streaming: the SDK's accumulator builds the right final message", async () => {
      const stream = client.messages.stream(
        { model, max_tokens: 100, messages: [{ role: "user", content: "Stream" }] },
        opts({ text: "alpha beta gamma delta", usage: { input_tokens: 11, output_tokens: 4 } }),
      );
      const final = await stream.finalMessage();
      expect(final.content).toEqual(
        [{ type: "text", text: "alpha beta gamma delta", citations: null }].map((b) =>
          expect.objectContaining({ type: b.type, text: b.text }),
        ),
      );
      expect(final.stop_reason).toBe("end_turn");
      expect(final.usage.output_tokens).toBe(4);
      const [row] = await gw.spendRows();
      expect(row).toMatchObject({ provider, stream: true, inputTokens: 11, outputTokens: 4, status: 200 });
    });

    test("tool-use round trip: tool_use answer, then a tool_result turn", async () => {
      const first = await client.messages
        .stream(
          {
            model,
            max_tokens: 200,
            tools: TOOLS,
            messages: [{ role: "user", content: "Weather in Paris?" }],
          },
          opts({ toolUse: { name: "get_weather", input: { city: "Paris" }, id: "call_abc" } }),
        )
        .finalMessage();
      expect(first.stop_reason).toBe("tool_use");
      const use = first.content.find((b) => b.type === "tool_use");
      expect(use).toMatchObject({ type: "tool_use", name: "get_weather", input: { city: "Paris" } });
      if (use?.type !== "tool_use") throw new Error("no tool_use block");
      if (provider === "openai") expect(use.id).toBe("call_abc");
      else expect(use.id).toMatch(/^toolu_/);

      const second = await client.messages.create(
        {
          model,
          max_tokens: 200,
          tools: TOOLS,
          messages: [
            { role: "user", content: "Weather in Paris?" },
            { role: "assistant", content: first.content },
            { role: "user", content: [{ type: "tool_result", tool_use_id: use.id, content: "18°C" }] },
          ],
        },
        opts({ text: "It is 18°C." }),
      );
      expect(second.content[0]).toMatchObject({ type: "text", text: "It is 18°C." });
      const sent = JSON.parse(gw.mock.calls.at(-1)?.bodyText ?? "{}");
      const toolMessage = sent.messages.find((m: { role: string }) => m.role === "tool");
      expect(toolMessage.content).toContain("18°C");
      if (provider === "openai") expect(toolMessage.tool_call_id).toBe("call_abc");
    });

    test("an upstream error mid-stream becomes an Anthropic error event; one row", async () => {
      const res = await fetch(`${gw.url}/v1/messages`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${gw.secret}`,
          "content-type": "application/json",
          "anthropic-version": "2023-06-01",
          "x-mock": mockHeader({ failMidStream: true }),
        },
        body: JSON.stringify({
          model,
          max_tokens: 50,
          stream: true,
          messages: [{ role: "user", content: "x" }],
        }),
      });
      const text = await res.text();
      expect(text).toContain("event: message_start");
      expect(text).toContain("event: error");
      const [row] = await gw.spendRows();
      expect(row?.status).toBe(502);
    });

    test("an upstream error status is returned in Anthropic's error shape", async () => {
      const res = await fetch(`${gw.url}/v1/messages`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${gw.secret}`,
          "content-type": "application/json",
          "x-mock": mockHeader({ status: 429 }),
        },
        body: JSON.stringify({ model, max_tokens: 50, messages: [{ role: "user", content: "x" }] }),
      });
      expect(res.status).toBe(429);
      expect(await res.json()).toMatchObject({ type: "error", error: { type: "rate_limit_error" } });
    });
  });
}

test("/v1/models lists models across providers, Ollama's as discovered", async () => {
  await gw.server.gateway.providers.refreshOllama();
  const ids = (await client.models.list()).data.map((m) => m.id);
  expect(ids).toContain("claude-sonnet-4-5");
  expect(ids).toContain("gpt-4o-mini");
  expect(ids).toContain("llama3.2:latest");
});
