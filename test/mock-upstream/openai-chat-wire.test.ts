// OpenAI /v1/chat/completions as the mock speaks it: parsed by the official SDK and as raw chunks.
import { describe, expect, test } from "bun:test";
import OpenAI from "openai";
import { rejection } from "../helpers/rejection.ts";
import { DEFAULT_TEXT, USER, useMock } from "./wire.ts";

const { up, openai } = useMock();

describe("OpenAI /v1/chat/completions", () => {
  test("JSON reply parses with the SDK and maps usage", async () => {
    const completion = await openai({
      usage: { input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 30 },
    }).chat.completions.create({ model: "gpt-4o-mini", messages: USER });
    expect(completion.id).toStartWith("chatcmpl-");
    expect(completion.object).toBe("chat.completion");
    expect(completion.model).toBe("gpt-4o-mini");
    expect(completion.choices[0]?.message.content).toBe(DEFAULT_TEXT);
    expect(completion.choices[0]?.finish_reason).toBe("stop");
    expect(completion.usage).toMatchObject({
      prompt_tokens: 40,
      completion_tokens: 5,
      total_tokens: 45,
      prompt_tokens_details: { cached_tokens: 30 },
    });
  });

  test("stream without include_usage has no usage at all", async () => {
    const stream = await openai().chat.completions.create({ model: "gpt-x", messages: USER, stream: true });
    let text = "";
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) {
      chunks.push(chunk);
      text += chunk.choices[0]?.delta.content ?? "";
    }
    expect(text).toBe(DEFAULT_TEXT);
    expect(chunks[0]?.choices[0]?.delta.role).toBe("assistant");
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe("stop");
    for (const c of chunks) {
      expect(c.object).toBe("chat.completion.chunk");
      expect("usage" in c).toBe(false);
    }

    const raw = await fetch(`${up.mock.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer x", "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-x", messages: USER, stream: true }),
    });
    expect(raw.headers.get("content-type")).toStartWith("text/event-stream");
    const body = await raw.text();
    expect(body.endsWith("data: [DONE]\n\n")).toBe(true);
    expect(body).not.toContain("event:");
  });

  test("stream with include_usage ends with an empty-choices usage chunk; others carry usage: null", async () => {
    const stream = await openai().chat.completions.create({
      model: "gpt-x",
      messages: USER,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 8, total_tokens: 20 });
    for (const c of chunks.slice(0, -1)) expect(c.usage).toBeNull();
  });

  test("tool calls, as JSON and streamed argument pieces", async () => {
    const toolUse = { name: "lookup", input: { q: "snodus", limit: 5 } };
    const client = openai({ toolUse });
    const completion = await client.chat.completions.create({ model: "gpt-x", messages: USER });
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe("tool_calls");
    expect(choice?.message.content).toBeNull();
    const call = choice?.message.tool_calls?.[0];
    expect(call?.type).toBe("function");
    if (call?.type === "function") {
      expect(call.id).toStartWith("call_");
      expect(call.function.name).toBe("lookup");
      expect(JSON.parse(call.function.arguments)).toEqual(toolUse.input);
    }

    const final = await client.chat.completions
      .stream({ model: "gpt-x", messages: USER, stream_options: { include_usage: true } })
      .finalChatCompletion();
    const streamedCall = final.choices[0]?.message.tool_calls?.[0];
    expect(final.choices[0]?.finish_reason).toBe("tool_calls");
    if (streamedCall?.type === "function") {
      expect(streamedCall.function.name).toBe("lookup");
      expect(JSON.parse(streamedCall.function.arguments)).toEqual(toolUse.input);
    } else {
      throw new Error("expected a function tool call");
    }
    expect(final.usage?.completion_tokens).toBe(8);
  });

  test("error statuses surface as the SDK's typed errors", async () => {
    const limited = await rejection(
      openai({ status: 429 }).chat.completions.create({ model: "m", messages: USER }),
    );
    expect(limited).toBeInstanceOf(OpenAI.RateLimitError);
    if (limited instanceof OpenAI.APIError) {
      expect(limited.code).toBe("rate_limit_exceeded");
      expect(limited.requestID).toStartWith("req_");
    }
    const broken = await rejection(
      openai({ status: 500, errorMessage: "boom" }).chat.completions.create({ model: "m", messages: USER }),
    );
    expect(broken).toBeInstanceOf(OpenAI.InternalServerError);
    if (broken instanceof OpenAI.APIError) {
      expect(broken.type).toBe("server_error");
      expect(broken.error).toEqual({ message: "boom", type: "server_error", param: null, code: null });
    }
  });

  test("failMidStream cuts the connection after some chunks", async () => {
    const stream = await openai({ failMidStream: true }).chat.completions.create({
      model: "gpt-x",
      messages: USER,
      stream: true,
    });
    let text = "";
    const err = await rejection(
      (async () => {
        for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
      })(),
    );
    expect(err).toBeInstanceOf(Error);
    expect(text.length).toBeGreaterThan(0);
    expect(text.length).toBeLessThan(DEFAULT_TEXT.length);

    // Non-streaming: half a JSON body, then the connection resets.
    const cut = await rejection(
      openai({ abortMidStream: true }).chat.completions.create({ model: "gpt-x", messages: USER }),
    );
    expect(cut).toBeInstanceOf(Error);
  });

  test("models list, missing key and unknown paths answer like OpenAI", async () => {
    const ids: string[] = [];
    for await (const m of openai().models.list()) ids.push(m.id);
    expect(ids).toContain("gpt-4o");
    const noKey = await fetch(`${up.mock.url}/v1/chat/completions`, { method: "POST", body: "{}" });
    expect(noKey.status).toBe(401);
    const missing = await fetch(`${up.mock.url}/v1/embeddingz`, { method: "POST", body: "{}" });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      error: {
        message: "Invalid URL (POST /v1/embeddingz)",
        type: "invalid_request_error",
        param: null,
        code: null,
      },
    });
  });
});
