// The `ollama` npm client and LangChain's ChatOllama against the gateway's Ollama door, on Claude, GPT and a local model.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { tool } from "@langchain/core/tools";
import { ChatOllama, OllamaEmbeddings } from "@langchain/ollama";
import { Ollama } from "ollama";
import { z } from "zod";
import { eventually, startTestGateway, type TestGateway } from "../helpers/gateway.ts";

const MODELS = [
  { model: "claude-haiku-4-5", upstreamPath: "/v1/messages", provider: "anthropic" },
  { model: "gpt-4o-mini", upstreamPath: "/v1/chat/completions", provider: "openai" },
  { model: "llama3.2:latest", upstreamPath: "/api/chat", provider: "ollama" },
] as const;

describe("Ollama clients on the Ollama door", () => {
  let gw: TestGateway;
  let client: Ollama;
  beforeAll(async () => {
    gw = await startTestGateway("sqlite", { SNODUS_ROUTER_ENABLED: "true" }, { allProviders: true });
    gw.mock.setDefault({ text: "Answer from the mock", usage: { input_tokens: 40, output_tokens: 9 } });
    client = new Ollama({ host: gw.url, headers: { Authorization: `Bearer ${gw.secret}` } });
    // The local model is discovered from the upstream's /api/tags at start.
    await eventually(async () => (await client.list()).models.some((m) => m.name === "llama3.2:latest"));
  });
  afterAll(() => gw.close());

  const lastCallFor = (model: string) =>
    gw.mock.calls.filter((c) => c.bodyText.includes(`"${model}"`)).at(-1);

  test("list() shows every model the gateway serves, with auto; show() and version() answer", async () => {
    const names = (await client.list()).models.map((m) => m.name);
    expect(names).toContain("auto");
    for (const { model } of MODELS) expect(names).toContain(model);
    const shown = await client.show({ model: "gpt-4o-mini" });
    expect(shown.capabilities).toContain("tools");
    expect(shown.details.family).toBe("openai");
    expect((await client.version()).version).toMatch(/^\d+\.\d+\.\d+$/);
    await expect(client.show({ model: "no-such-model" })).rejects.toThrow("model 'no-such-model' not found");
  });

  for (const { model, upstreamPath, provider } of MODELS) {
    test(`ollama chat on ${model}: whole, streamed, generate, with exact spend`, async () => {
      gw.mock.setDefault({ text: "Answer from the mock", usage: { input_tokens: 40, output_tokens: 9 } });
      const whole = await client.chat({ model, messages: [{ role: "user", content: "hi" }] });
      expect(whole.message.content).toBe("Answer from the mock");
      expect(whole.done).toBe(true);
      expect(whole.prompt_eval_count).toBe(40);
      expect(whole.eval_count).toBe(9);
      expect(lastCallFor(model)?.path).toBe(upstreamPath);

      let text = "";
      let last: { done: boolean; eval_count: number } | null = null;
      for await (const part of await client.chat({
        model,
        messages: [{ role: "user", content: "hi" }],
        stream: true,
      })) {
        text += part.message.content;
        last = part;
      }
      expect(text).toBe("Answer from the mock");
      expect(last?.done).toBe(true);
      expect(last?.eval_count).toBe(9);

      const generated = await client.generate({ model, prompt: "hi" });
      expect(generated.response).toBe("Answer from the mock");
      let streamed = "";
      for await (const part of await client.generate({ model, prompt: "hi", stream: true }))
        streamed += part.response;
      expect(streamed).toBe("Answer from the mock");

      const rows = (await gw.spendRows()).filter((r) => r.model === model);
      expect(rows).toHaveLength(4);
      for (const row of rows) {
        expect(row.provider).toBe(provider);
        expect(row.inputTokens).toBe(40);
        expect(row.outputTokens).toBe(9);
        expect(row.status).toBe(200);
        if (provider === "ollama") expect(row.costMicros).toBe(0);
        else expect(row.costMicros).toBeGreaterThan(0);
      }
    });

    test(`ollama chat with tools on ${model}, streamed and not`, async () => {
      gw.mock.setDefault({
        toolUse: { name: "get_weather", input: { city: "Paris" } },
        usage: { input_tokens: 30, output_tokens: 5 },
      });
      const tools = [
        {
          type: "function",
          function: {
            name: "get_weather",
            description: "Weather in a city",
            parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
          },
        },
      ];
      const messages = [{ role: "user", content: "Weather in Paris?" }];
      const whole = await client.chat({ model, messages, tools });
      expect(whole.message.tool_calls?.[0]?.function).toEqual({
        name: "get_weather",
        arguments: { city: "Paris" },
      });
      const calls = [];
      for await (const part of await client.chat({ model, messages, tools, stream: true }))
        calls.push(...(part.message.tool_calls ?? []));
      expect(calls.map((c) => c.function)).toEqual([{ name: "get_weather", arguments: { city: "Paris" } }]);

      // The tool's result goes back as a `tool` message; the upstream sees it paired with the call.
      gw.mock.setDefault({ text: "It is sunny", usage: { input_tokens: 30, output_tokens: 5 } });
      const followUp = await client.chat({
        model,
        tools,
        messages: [...messages, whole.message, { role: "tool", content: "sunny", tool_name: "get_weather" }],
      });
      expect(followUp.message.content).toBe("It is sunny");
      const upstreamBody = lastCallFor(model)?.bodyText ?? "";
      expect(upstreamBody).toContain("sunny");
    });

    test(`LangChain ChatOllama on ${model}: invoke, stream and bound tools`, async () => {
      gw.mock.setDefault({ text: "Answer from the mock", usage: { input_tokens: 40, output_tokens: 9 } });
      const chat = new ChatOllama({
        model,
        baseUrl: gw.url,
        headers: { Authorization: `Bearer ${gw.secret}` },
      });
      const reply = await chat.invoke("hi");
      expect(reply.text).toBe("Answer from the mock");
      expect(reply.usage_metadata?.input_tokens).toBe(40);
      let streamed = "";
      for await (const chunk of await chat.stream("hi")) streamed += chunk.text;
      expect(streamed).toBe("Answer from the mock");

      gw.mock.setDefault({
        toolUse: { name: "get_weather", input: { city: "Paris" } },
        usage: { input_tokens: 30, output_tokens: 5 },
      });
      const weather = tool(async ({ city }) => `sunny in ${city}`, {
        name: "get_weather",
        description: "Weather in a city",
        schema: z.object({ city: z.string() }),
      });
      const called = await chat.bindTools([weather]).invoke("Weather in Paris?");
      expect(called.tool_calls?.[0]).toMatchObject({ name: "get_weather", args: { city: "Paris" } });
    });
  }

  test("embeddings: ollama embed() and OllamaEmbeddings on a GPT and a local model; Claude has none", async () => {
    for (const model of ["text-embedding-3-small", "nomic-embed-text:latest"]) {
      const out = await client.embed({ model, input: ["one", "two"] });
      expect(out.embeddings).toHaveLength(2);
      expect(out.embeddings[0]?.length).toBeGreaterThan(10);
      const lc = new OllamaEmbeddings({
        model,
        baseUrl: gw.url,
        headers: { Authorization: `Bearer ${gw.secret}` },
      });
      const vector = await lc.embedQuery("one");
      expect(vector).toEqual(out.embeddings[0] as number[]);
    }
    expect(lastCallFor("nomic-embed-text:latest")?.path).toBe("/api/embed");
    expect(lastCallFor("text-embedding-3-small")?.path).toBe("/v1/embeddings");
    const rows = (await gw.spendRows()).filter((r) => r.model === "text-embedding-3-small");
    expect(rows.length).toBe(2);
    expect(rows[0]?.inputTokens).toBeGreaterThan(0);
    await expect(client.embed({ model: "claude-haiku-4-5", input: "x" })).rejects.toThrow(
      "no embeddings API",
    );
  });

  test("auto routes through the router and names the model in the answer", async () => {
    gw.mock.setDefault({ text: "Routed", usage: { input_tokens: 5, output_tokens: 2 } });
    const reply = await client.chat({
      model: "auto",
      messages: [{ role: "user", content: "translate hello" }],
    });
    expect(reply.message.content).toBe("Routed");
    const row = (await gw.spendRows()).find((r) => r.routedFrom === "auto");
    expect(row?.model).toBe("claude-haiku-4-5");
  });
});
