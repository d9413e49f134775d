// The official @anthropic-ai/sdk through the gateway: text, streaming, a tool-use round trip, exact spend.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import { DIALECTS } from "../helpers/databases.ts";
import { REAL_ANTHROPIC_KEY, startTestGateway, type TestGateway } from "../helpers/gateway.ts";
import { mockHeader } from "../mock-upstream/index.ts";

const USAGE = {
  input_tokens: 1000,
  output_tokens: 500,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
};

for (const dialect of DIALECTS) {
  describe(`Anthropic SDK via the gateway on ${dialect}`, () => {
    let gw: TestGateway;
    let client: Anthropic;

    beforeAll(async () => {
      gw = await startTestGateway(dialect);
      client = new Anthropic({ baseURL: gw.url, apiKey: gw.secret, maxRetries: 0 });
    });
    afterAll(async () => gw.close());

    test("non-streaming: text and usage match the mock; one spend row at 10 500 µ$", async () => {
      const msg = await client.messages.create(
        { model: "claude-sonnet-4-5", max_tokens: 100, messages: [{ role: "user", content: "Hello!" }] },
        { headers: { "x-mock": mockHeader({ text: "Bonjour from the mock", usage: USAGE }) } },
      );
      expect(msg.content[0]).toMatchObject({ type: "text", text: "Bonjour from the mock" });
      expect(msg.usage.input_tokens).toBe(1000);
      expect(msg.usage.output_tokens).toBe(500);
      const [row] = await gw.spendRows();
      expect(row).toMatchObject({
        model: "claude-sonnet-4-5",
        provider: "anthropic",
        inputTokens: 1000,
        outputTokens: 500,
        costMicros: 10_500,
        status: 200,
        stream: false,
        apiKeyId: gw.key.id,
        userId: gw.user.id,
        teamId: gw.team.id,
      });
      expect(row?.requestId).toMatch(/^req_/);
    });

    test("streaming: the SDK's accumulator gets the mock's text; usage incl. cache tokens is exact", async () => {
      const usage = {
        input_tokens: 20,
        output_tokens: 70,
        cache_creation_input_tokens: 3000,
        cache_read_input_tokens: 10_000,
      };
      const stream = client.messages.stream(
        {
          model: "claude-haiku-4-5",
          max_tokens: 100,
          messages: [{ role: "user", content: "Stream please" }],
        },
        { headers: { "x-mock": mockHeader({ text: "One two three four five six", usage }) } },
      );
      const deltas: string[] = [];
      stream.on("text", (t) => deltas.push(t));
      const final = await stream.finalMessage();
      expect(final.content[0]).toMatchObject({ type: "text", text: "One two three four five six" });
      expect(deltas.length).toBeGreaterThan(1);
      const [row] = await gw.spendRows();
      // Haiku 4.5: $1 in, $5 out, 5m cache write $1.25, cache read $0.10 per MTok.
      const expected = 20 * 1 + 70 * 5 + 3000 * 1.25 + 10_000 * 0.1;
      expect(row).toMatchObject({
        stream: true,
        status: 200,
        inputTokens: 20,
        outputTokens: 70,
        cacheCreationInputTokens: 3000,
        cacheReadInputTokens: 10_000,
        costMicros: expected,
      });
    });

    test("tool use round trip: tool_use answer, then a tool_result turn", async () => {
      const tools = [
        {
          name: "get_weather",
          description: "Weather for a city",
          input_schema: {
            type: "object" as const,
            properties: { city: { type: "string" } },
            required: ["city"],
          },
        },
      ];
      const first = await client.messages
        .stream(
          {
            model: "claude-sonnet-4-5",
            max_tokens: 200,
            tools,
            messages: [{ role: "user", content: "Weather in Paris?" }],
          },
          {
            headers: {
              "x-mock": mockHeader({
                toolUse: { name: "get_weather", input: { city: "Paris" }, id: "toolu_01" },
              }),
            },
          },
        )
        .finalMessage();
      expect(first.stop_reason).toBe("tool_use");
      const toolUse = first.content.find((b) => b.type === "tool_use");
      expect(toolUse).toMatchObject({
        type: "tool_use",
        name: "get_weather",
        input: { city: "Paris" },
        id: "toolu_01",
      });

      const second = await client.messages.create(
        {
          model: "claude-sonnet-4-5",
          max_tokens: 200,
          tools,
          messages: [
            { role: "user", content: "Weather in Paris?" },
            { role: "assistant", content: first.content },
            {
              role: "user",
              content: [{ type: "tool_result", tool_use_id: "toolu_01", content: "18°C and sunny" }],
            },
          ],
        },
        { headers: { "x-mock": mockHeader({ text: "It is 18°C and sunny in Paris." }) } },
      );
      expect(second.content[0]).toMatchObject({ type: "text", text: "It is 18°C and sunny in Paris." });
      const sent = JSON.parse(gw.mock.calls.at(-1)?.bodyText ?? "{}");
      expect(sent.messages[2].content[0]).toEqual({
        type: "tool_result",
        tool_use_id: "toolu_01",
        content: "18°C and sunny",
      });
    });

    test("the upstream saw the real key, never the virtual one; beta headers and the body arrive intact", async () => {
      const body = JSON.stringify({
        model: "claude-opus-4-5",
        max_tokens: 50,
        messages: [{ role: "user", content: "hi" }],
        thinking: { type: "enabled", budget_tokens: 1024 },
        context_management: { edits: [{ type: "clear_tool_uses_20250919" }] },
        output_config: { effort: "low" },
        system: [{ type: "text", text: "sys", cache_control: { type: "ephemeral", ttl: "1h" } }],
        some_future_field: { nested: [1, 2, 3] },
      }).replace('"max_tokens":50', '"max_tokens" :  50');
      const res = await fetch(`${gw.url}/v1/messages?beta=true`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${gw.secret}`,
          "content-type": "application/json",
          "anthropic-version": "2023-06-01",
          "anthropic-beta": "context-management-2025-06-27,interleaved-thinking-2025-05-14",
          "x-custom-trace": "abc123",
          connection: "keep-alive",
        },
        body,
      });
      expect(res.status).toBe(200);
      const call = gw.mock.calls.at(-1);
      expect(call?.path).toBe("/v1/messages?beta=true");
      expect(call?.bodyText).toBe(body);
      expect(call?.headers["x-api-key"]).toBe(REAL_ANTHROPIC_KEY);
      expect(call?.headers.authorization).toBeUndefined();
      expect(call?.headers["anthropic-beta"]).toBe(
        "context-management-2025-06-27,interleaved-thinking-2025-05-14",
      );
      expect(call?.headers["anthropic-version"]).toBe("2023-06-01");
      expect(call?.headers["x-custom-trace"]).toBe("abc123");
      expect(JSON.stringify(gw.mock.calls)).not.toContain(gw.secret);
      const text = await res.text();
      expect(text).not.toContain(REAL_ANTHROPIC_KEY);
    });

    test("x-api-key authentication works too, and streams carry X-Accel-Buffering: no", async () => {
      const res = await fetch(`${gw.url}/v1/messages`, {
        method: "POST",
        headers: {
          "x-api-key": gw.secret,
          "content-type": "application/json",
          "anthropic-version": "2023-06-01",
        },
        body: JSON.stringify({
          model: "claude-sonnet-4-5",
          max_tokens: 10,
          stream: true,
          messages: [{ role: "user", content: "x" }],
        }),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get("x-accel-buffering")).toBe("no");
      expect(res.headers.get("content-type")).toContain("text/event-stream");
      const text = await res.text();
      expect(text).toContain("event: message_stop");
    });

    test("count_tokens is passed through and not billed; /v1/models lists models", async () => {
      const before = (await gw.spendRows()).length;
      const count = await client.messages.countTokens({
        model: "claude-sonnet-4-5",
        messages: [{ role: "user", content: "hi" }],
      });
      expect(count.input_tokens).toBeGreaterThan(0);
      expect((await gw.spendRows()).length).toBe(before);
      const models = await client.models.list();
      expect(models.data.map((m) => m.id)).toContain("claude-sonnet-4-5");
    });
  });
}
