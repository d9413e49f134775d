// toolUseUntilResult on every chat protocol: a tool call until the conversation ends with its result.

import { afterAll, beforeAll, expect, test } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { type MockBehavior, type MockUpstream, mockHeader, startMockUpstream } from "./index.ts";

let mock: MockUpstream;

beforeAll(async () => {
  mock = await startMockUpstream({ port: 0 });
});
afterAll(async () => {
  await mock.stop();
});

const LOOP: MockBehavior = {
  toolUse: { name: "get_time", input: { tz: "UTC" } },
  toolUseUntilResult: true,
  text: "It is noon.",
};
const headers = { "x-mock": mockHeader(LOOP) };

test("Anthropic: tool_use, then text after a tool_result", async () => {
  const client = new Anthropic({ baseURL: mock.url, apiKey: "k", maxRetries: 0, defaultHeaders: headers });
  const ask = { role: "user" as const, content: "Time?" };
  const first = await client.messages.create({ model: "claude-x", max_tokens: 64, messages: [ask] });
  expect(first.stop_reason).toBe("tool_use");
  const use = first.content.find((c) => c.type === "tool_use");
  if (use?.type !== "tool_use") throw new Error("expected a tool_use block");
  const second = await client.messages
    .stream({
      model: "claude-x",
      max_tokens: 64,
      messages: [
        ask,
        { role: "assistant", content: first.content },
        { role: "user", content: [{ type: "tool_result", tool_use_id: use.id, content: "12:00" }] },
      ],
    })
    .finalMessage();
  expect(second.stop_reason).toBe("end_turn");
  expect(second.content).toMatchObject([{ type: "text", text: "It is noon." }]);
});

test("OpenAI chat: tool_calls, then text after a role 'tool' message", async () => {
  const client = new OpenAI({
    baseURL: `${mock.url}/v1`,
    apiKey: "k",
    maxRetries: 0,
    defaultHeaders: headers,
  });
  const ask = { role: "user" as const, content: "Time?" };
  const first = await client.chat.completions.create({ model: "gpt-x", messages: [ask] });
  const message = first.choices[0]?.message;
  const call = message?.tool_calls?.[0];
  expect(first.choices[0]?.finish_reason).toBe("tool_calls");
  if (!message || !call) throw new Error("expected a tool call");
  const second = await client.chat.completions.create({
    model: "gpt-x",
    messages: [ask, message, { role: "tool", tool_call_id: call.id, content: "12:00" }],
  });
  expect(second.choices[0]?.finish_reason).toBe("stop");
  expect(second.choices[0]?.message.content).toBe("It is noon.");
});

test("Ollama: tool_calls, then text after a role 'tool' message", async () => {
  const chat = async (messages: unknown[]) =>
    (await (
      await fetch(`${mock.url}/api/chat`, {
        method: "POST",
        headers,
        body: JSON.stringify({ model: "llama3.2", messages, stream: false }),
      })
    ).json()) as { message: { content: string; tool_calls?: unknown[] } };
  const ask = { role: "user", content: "Time?" };
  const first = await chat([ask]);
  expect(first.message.tool_calls).toHaveLength(1);
  const second = await chat([ask, first.message, { role: "tool", content: "12:00" }]);
  expect(second.message.tool_calls).toBeUndefined();
  expect(second.message.content).toBe("It is noon.");
});

test("without the flag, toolUse is answered whatever the conversation holds", async () => {
  const client = new OpenAI({
    baseURL: `${mock.url}/v1`,
    apiKey: "k",
    maxRetries: 0,
    defaultHeaders: { "x-mock": mockHeader({ ...LOOP, toolUseUntilResult: false }) },
  });
  const res = await client.chat.completions.create({
    model: "gpt-x",
    messages: [{ role: "tool", tool_call_id: "call_1", content: "12:00" }],
  });
  expect(res.choices[0]?.finish_reason).toBe("tool_calls");
});
