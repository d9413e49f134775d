// The Vercel AI SDK's default openai() provider (Responses API) and LangChain's ChatOpenAI with useResponsesApi.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createOpenAI } from "@ai-sdk/openai";
import { ChatOpenAI } from "@langchain/openai";
import { generateText, streamText } from "ai";
import { startTestGateway, type TestGateway } from "../helpers/gateway.ts";

describe("AI SDK and LangChain on /v1/responses", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway("sqlite", {}, { allProviders: true });
    gw.mock.setDefault({ text: "Answer from the mock", usage: { input_tokens: 40, output_tokens: 9 } });
  });
  afterAll(() => gw.close());

  const lastPathFor = (model: string) =>
    gw.mock.calls.filter((c) => c.bodyText.includes(`"${model}"`)).at(-1)?.path;

  for (const [model, upstreamPath] of [
    ["gpt-4o-mini", "/v1/responses"],
    ["claude-haiku-4-5", "/v1/messages"],
  ] as const) {
    test(`AI SDK openai("${model}"): generateText and streamText`, async () => {
      const openai = createOpenAI({ baseURL: `${gw.url}/v1`, apiKey: gw.secret });
      const whole = await generateText({ model: openai(model), prompt: "hi", maxRetries: 0 });
      expect(whole.text).toBe("Answer from the mock");
      expect(whole.usage.inputTokens).toBe(40);
      expect(lastPathFor(model)).toBe(upstreamPath);
      const streamed = streamText({ model: openai(model), prompt: "hi", maxRetries: 0 });
      let text = "";
      for await (const part of streamed.textStream) text += part;
      expect(text).toBe("Answer from the mock");
      expect((await streamed.usage).outputTokens).toBe(9);
      const rows = (await gw.spendRows()).filter((r) => r.model === model);
      expect(rows.length).toBeGreaterThanOrEqual(2);
    });

    test(`LangChain ChatOpenAI({ useResponsesApi: true }) on ${model}`, async () => {
      const chat = new ChatOpenAI({
        model,
        apiKey: gw.secret,
        configuration: { baseURL: `${gw.url}/v1` },
        useResponsesApi: true,
        maxRetries: 0,
      });
      const reply = await chat.invoke("hi");
      expect(reply.text).toBe("Answer from the mock");
      expect(reply.usage_metadata?.input_tokens).toBe(40);
      let streamed = "";
      for await (const chunk of await chat.stream("hi")) streamed += chunk.text;
      expect(streamed).toBe("Answer from the mock");
      expect(lastPathFor(model)).toBe(upstreamPath);
    });
  }
});
