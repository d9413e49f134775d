// The official openai package against /v1/chat/completions: non-stream, stream with and without usage, tools.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import OpenAI from "openai";
import { DIALECTS } from "../helpers/databases.ts";
import { REAL_OPENAI_KEY, startTestGateway, type TestGateway } from "../helpers/gateway.ts";
import { mockHeader } from "../mock-upstream/index.ts";

// 1000 fresh input + 200 cached + 500 output on gpt-4o-mini ($0.15 / $0.075 cached / $0.60 per MTok).
const USAGE = { input_tokens: 1000, cache_read_input_tokens: 200, output_tokens: 500 };
const COST = 1000 * 0.15 + 200 * 0.075 + 500 * 0.6;

for (const dialect of DIALECTS) {
  describe(`openai SDK on /v1/chat/completions (${dialect})`, () => {
    let gw: TestGateway;
    let client: OpenAI;
    const mock = (b: Record<string, unknown>) => ({ headers: { "x-mock": mockHeader(b) } });

    beforeAll(async () => {
      gw = await startTestGateway(dialect, {}, { allProviders: true });
      client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: gw.secret, maxRetries: 0 });
    });
    afterAll(async () => gw.close());

    test("non-streaming: text and usage; the cached tokens are split out; cost exact", async () => {
      const res = await client.chat.completions.create(
        { model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] },
        mock({ text: "Hi from OpenAI mock", usage: USAGE }),
      );
      expect(res.choices[0]?.message.content).toBe("Hi from OpenAI mock");
      expect(res.usage?.prompt_tokens).toBe(1200);
      const call = gw.mock.calls.at(-1);
      expect(call?.headers.authorization).toBe(`Bearer ${REAL_OPENAI_KEY}`);
      expect(JSON.stringify(gw.mock.calls)).not.toContain(gw.secret);
      const [row] = await gw.spendRows();
      expect(row).toMatchObject({
        provider: "openai",
        model: "gpt-4o-mini",
        inputTokens: 1000,
        cacheReadInputTokens: 200,
        outputTokens: 500,
        costMicros: COST,
        status: 200,
        stream: false,
      });
    });

    test("stream without include_usage: the client sees no usage chunk, the row is exact", async () => {
      const stream = await client.chat.completions.create(
        { model: "gpt-4o-mini", stream: true, messages: [{ role: "user", content: "hi" }] },
        mock({ text: "streamed words here", usage: USAGE }),
      );
      let text = "";
      let sawUsage = false;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta?.content ?? "";
        if (chunk.usage) sawUsage = true;
        expect(chunk.choices.length).toBeGreaterThan(0);
      }
      expect(text).toBe("streamed words here");
      expect(sawUsage).toBe(false);
      expect(JSON.parse(gw.mock.calls.at(-1)?.bodyText ?? "{}").stream_options).toEqual({
        include_usage: true,
      });
      const [row] = await gw.spendRows();
      expect(row).toMatchObject({
        stream: true,
        inputTokens: 1000,
        cacheReadInputTokens: 200,
        outputTokens: 500,
        costMicros: COST,
      });
    });

    test("stream with include_usage: the client gets its usage chunk and the body went up unchanged", async () => {
      const body = {
        model: "gpt-4o-mini",
        stream: true as const,
        stream_options: { include_usage: true },
        messages: [{ role: "user" as const, content: "hi" }],
      };
      const stream = await client.chat.completions.create(body, mock({ usage: USAGE }));
      let usage: OpenAI.CompletionUsage | undefined;
      for await (const chunk of stream) if (chunk.usage) usage = chunk.usage;
      expect(usage?.completion_tokens).toBe(500);
      expect(JSON.parse(gw.mock.calls.at(-1)?.bodyText ?? "{}")).toEqual(body);
      const [row] = await gw.spendRows();
      expect(row?.costMicros).toBe(COST);
    });

    test("tool calls pass through (stream and not)", async () => {
      const tools = [
        {
          type: "function" as const,
          function: {
            name: "get_weather",
            parameters: { type: "object", properties: { city: { type: "string" } } },
          },
        },
      ];
      const toolUse = { name: "get_weather", input: { city: "Rome" }, id: "call_1" };
      const res = await client.chat.completions.create(
        { model: "gpt-4o-mini", tools, messages: [{ role: "user", content: "weather?" }] },
        mock({ toolUse }),
      );
      const call = res.choices[0]?.message.tool_calls?.[0];
      expect(call?.type === "function" && call.function.name).toBe("get_weather");
      expect(res.choices[0]?.finish_reason).toBe("tool_calls");
      const stream = client.chat.completions.stream(
        { model: "gpt-4o-mini", tools, messages: [{ role: "user", content: "weather?" }] },
        mock({ toolUse }),
      );
      const final = await stream.finalChatCompletion();
      const streamed = final.choices[0]?.message.tool_calls?.[0];
      expect(streamed?.type === "function" && JSON.parse(streamed.function.arguments)).toEqual({
        city: "Rome",
      });
    });

    test("a model no provider serves → 404 in OpenAI's shape; errors keep OpenAI's shape", async () => {
      const bad = await fetch(`${gw.url}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${gw.secret}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "no-such-model", messages: [{ role: "user", content: "hi" }] }),
      });
      expect(bad.status).toBe(404);
      const body = await bad.json();
      expect(body.error.type).toBe("invalid_request_error");
      expect(body.error.message).toContain('"no-such-model"');
      const unauth = await fetch(`${gw.url}/v1/chat/completions`, { method: "POST", body: "{}" });
      expect(unauth.status).toBe(401);
      expect((await unauth.json()).error).toMatchObject({
        message: expect.any(String),
        type: "invalid_request_error",
      });
      const status = await client.chat.completions
        .create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "x" }] }, mock({ status: 429 }))
        .then(
          () => 200,
          (err: { status?: number }) => err.status,
        );
      expect(status).toBe(429);
    });
  });
}
