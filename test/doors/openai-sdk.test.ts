// The official openai package on the OpenAI-speaking doors, for every provider: chat, Responses, embeddings, models.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import OpenAI from "openai";
import { startTestGateway, type TestGateway } from "../helpers/gateway.ts";
import { mockEmbedding, mockHeader } from "../mock-upstream/index.ts";

const USAGE = { input_tokens: 100, output_tokens: 20 };
const WEATHER = {
  type: "function" as const,
  name: "get_weather",
  description: "Weather for a city",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  strict: false,
};

describe("openai SDK through every OpenAI-speaking door", () => {
  let gw: TestGateway;
  let client: OpenAI;
  const mock = (b: Record<string, unknown>) => ({ headers: { "x-mock": mockHeader(b) } });
  const rowOf = async (requestId: string | null | undefined) => {
    const rows = (await gw.spendRows()).filter((r) => r.requestId === requestId);
    expect(rows).toHaveLength(1);
    return rows[0];
  };

  beforeAll(async () => {
    gw = await startTestGateway("sqlite", { SNODUS_ROUTER_ENABLED: "true" }, { allProviders: true });
    gw.mock.setDefault({ ollamaModels: ["llama3.2:latest", "nomic-embed-text:latest"] });
    await gw.server.gateway.providers.refreshOllama();
    client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: gw.secret, maxRetries: 0 });
  });
  afterAll(() => gw.close());

  test("chat.completions on a Claude model: answer, usage and an exact spend row", async () => {
    const { data, response } = await client.chat.completions
      .create(
        { model: "claude-haiku-4-5", messages: [{ role: "user", content: "hi" }] },
        mock({ text: "Hello from Claude", usage: USAGE }),
      )
      .withResponse();
    expect(data.object).toBe("chat.completion");
    expect(data.choices[0]?.message.content).toBe("Hello from Claude");
    expect(data.usage).toMatchObject({ prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 });
    const row = await rowOf(response.headers.get("x-snodus-request-id"));
    // claude-haiku-4-5: $1 / $5 per MTok.
    expect(row).toMatchObject({ provider: "anthropic", status: 200, inputTokens: 100, outputTokens: 20 });
    expect(row?.costMicros).toBe(100 * 1 + 20 * 5);
    // The Anthropic upstream got an Anthropic request.
    const sent = JSON.parse(gw.mock.calls.at(-1)?.bodyText ?? "{}");
    expect(sent.model).toBe("claude-haiku-4-5");
    expect(sent.max_tokens).toBe(64_000);
  });

  test("chat.completions streamed on Claude with include_usage, and a tool call", async () => {
    const stream = await client.chat.completions.create(
      {
        model: "claude-sonnet-4-5",
        stream: true,
        stream_options: { include_usage: true },
        tools: [{ type: "function", function: { name: WEATHER.name, parameters: WEATHER.parameters } }],
        messages: [{ role: "user", content: "weather in Paris?" }],
      },
      mock({ toolUse: { name: "get_weather", input: { city: "Paris" } }, usage: USAGE }),
    );
    let args = "";
    let name = "";
    let usage: OpenAI.CompletionUsage | undefined;
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      const call = chunk.choices[0]?.delta.tool_calls?.[0];
      if (call?.function?.name) name = call.function.name;
      args += call?.function?.arguments ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(name).toBe("get_weather");
    expect(JSON.parse(args)).toEqual({ city: "Paris" });
    expect(finish).toBe("tool_calls");
    expect(usage).toMatchObject({ prompt_tokens: 100, completion_tokens: 20 });
  });

  test("chat.completions on an Ollama model, streamed; local models cost nothing", async () => {
    const { data: stream, response } = await client.chat.completions
      .create(
        { model: "llama3.2:latest", stream: true, messages: [{ role: "user", content: "hi" }] },
        mock({ text: "local hello", usage: USAGE }),
      )
      .withResponse();
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe("local hello");
    const row = await rowOf(response.headers.get("x-snodus-request-id"));
    expect(row).toMatchObject({ provider: "ollama", costMicros: 0, status: 200 });
  });

  test("chat.completions with model auto is routed", async () => {
    const { response } = await client.chat.completions
      .create({ model: "auto", messages: [{ role: "user", content: "translate hello to French" }] })
      .withResponse();
    expect(response.headers.get("x-snodus-routed-model")).toBe("claude-haiku-4-5");
    const row = await rowOf(response.headers.get("x-snodus-request-id"));
    expect(row).toMatchObject({ routedFrom: "auto", routingMethod: "rules", model: "claude-haiku-4-5" });
  });

  test("responses.create on an OpenAI model passes through; usage billed", async () => {
    const { data, response } = await client.responses
      .create({ model: "gpt-4o-mini", input: "hi", store: false }, mock({ text: "Native", usage: USAGE }))
      .withResponse();
    expect(data.output_text).toBe("Native");
    const row = await rowOf(response.headers.get("x-snodus-request-id"));
    expect(row).toMatchObject({ provider: "openai", inputTokens: 100, outputTokens: 20, status: 200 });
    expect(gw.mock.calls.at(-1)?.path).toBe("/v1/responses");
  });

  test("responses.create streamed on Claude with a function tool: Responses events, function call, usage", async () => {
    const stream = await client.responses.create(
      { model: "claude-haiku-4-5", input: "weather in Rome?", tools: [WEATHER], stream: true },
      mock({ toolUse: { name: "get_weather", input: { city: "Rome" } }, usage: USAGE }),
    );
    const types: string[] = [];
    let completed: OpenAI.Responses.Response | undefined;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === "response.completed") completed = event.response;
    }
    expect(types[0]).toBe("response.created");
    expect(types).toContain("response.function_call_arguments.delta");
    expect(types.at(-1)).toBe("response.completed");
    const call = completed?.output.find((o) => o.type === "function_call");
    expect(call).toMatchObject({ name: "get_weather", arguments: '{"city":"Rome"}' });
    expect(completed?.usage).toMatchObject({ input_tokens: 100, output_tokens: 20 });
  });

  test("responses on Claude, not streamed, and previous_response_id is refused with a clear 400", async () => {
    const res = await client.responses.create(
      { model: "claude-haiku-4-5", input: "hi" },
      mock({ text: "Claude!" }),
    );
    expect(res.output_text).toBe("Claude!");
    const refused = await client.responses
      .create({ model: "claude-haiku-4-5", input: "again", previous_response_id: res.id })
      .then(
        () => null,
        (err: { status?: number; message?: string }) => err,
      );
    expect(refused?.status).toBe(400);
    expect(refused?.message).toContain("previous_response_id");
  });

  test("embeddings on OpenAI (passthrough) and on Ollama (translated), billed", async () => {
    const openai = await client.embeddings.create({ model: "text-embedding-3-small", input: ["a", "b c"] });
    expect(openai.data).toHaveLength(2);
    const local = await client.embeddings
      .create({ model: "nomic-embed-text:latest", input: "hello world", encoding_format: "float" })
      .withResponse();
    const vector = local.data.data[0]?.embedding as number[];
    expect(vector.length).toBeGreaterThan(0);
    expect(vector[0]).toBeCloseTo(mockEmbedding("hello world", vector.length)[0] ?? 0, 5);
    const row = await rowOf(local.response.headers.get("x-snodus-request-id"));
    expect(row).toMatchObject({ provider: "ollama", costMicros: 0, status: 200 });
    expect(row?.inputTokens).toBeGreaterThan(0);
    const rows = await gw.spendRows();
    const paid = rows.find((r) => r.model === "text-embedding-3-small");
    expect(paid?.inputTokens).toBeGreaterThan(0);
    expect(paid?.outputTokens).toBe(0);
  });

  test("models.list and models.retrieve in OpenAI's shape", async () => {
    const list = await client.models.list();
    const ids = list.data.map((m) => m.id);
    expect(ids).toEqual(
      expect.arrayContaining(["auto", "claude-sonnet-4-5", "gpt-4o-mini", "llama3.2:latest"]),
    );
    const one = await client.models.retrieve("gpt-4o-mini");
    expect(one).toMatchObject({ id: "gpt-4o-mini", object: "model", owned_by: "openai" });
    const missing = await client.models.retrieve("nope").then(
      () => 200,
      (err: { status?: number }) => err.status,
    );
    expect(missing).toBe(404);
  });

  test("an upstream reset mid-stream ends a chat stream with an OpenAI error chunk and a 502 row", async () => {
    for (const model of ["gpt-4o-mini", "claude-haiku-4-5"]) {
      const res = await fetch(`${gw.url}/v1/chat/completions`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${gw.secret}`,
          "content-type": "application/json",
          "x-mock": mockHeader({ abortMidStream: true, text: "one two three four" }),
        },
        body: JSON.stringify({ model, stream: true, messages: [{ role: "user", content: "hi" }] }),
      });
      const text = await res.text();
      expect(text).toContain('data: {"error":');
      expect(text).not.toContain("[DONE]");
      const row = await rowOf(res.headers.get("x-snodus-request-id"));
      expect(row?.status).toBe(502);
    }
  });

  test("a conversation that moves from Claude to GPT drops the gateway's own reasoning items", async () => {
    const claudeReasoning = {
      type: "reasoning",
      id: "rs_1",
      summary: [],
      encrypted_content: `snodus.thinking.v1:${Buffer.from(JSON.stringify({ t: "hm", s: "sig" })).toString("base64")}`,
    };
    const res = await fetch(`${gw.url}/v1/responses`, {
      method: "POST",
      headers: { authorization: `Bearer ${gw.secret}`, "content-type": "application/json" },
      body: JSON.stringify({
        model: "gpt-4o-mini",
        input: [
          { role: "user", content: "first" },
          claudeReasoning,
          { role: "assistant", content: "answer" },
          { role: "user", content: "second" },
        ],
      }),
    });
    expect(res.status).toBe(200);
    const sent = JSON.parse(gw.mock.calls.at(-1)?.bodyText ?? "{}");
    expect(sent.input.map((i: { type?: string; role?: string }) => i.type ?? i.role)).toEqual([
      "user",
      "assistant",
      "user",
    ]);
  });

  test("a WebSocket upgrade on /v1/responses gets 426 at once", async () => {
    const res = await fetch(`${gw.url}/v1/responses`, {
      headers: { connection: "Upgrade", upgrade: "websocket", authorization: `Bearer ${gw.secret}` },
    });
    expect(res.status).toBe(426);
    expect((await res.json()).error.code).toBe("upgrade_required");
  });
});
