// Anthropic /v1/messages as the mock speaks it: parsed by the official SDK and as raw SSE.
import { describe, expect, test } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import { rejection } from "../helpers/rejection.ts";
import { mockHeader } from "./index.ts";
import { ANTHROPIC_HEADERS, DEFAULT_TEXT, sseEvents, texts, USER, useMock } from "./wire.ts";

const { up, anthropic, postAnthropic } = useMock();

describe("Anthropic /v1/messages", () => {
  test("JSON reply parses with the SDK, echoes the model and carries full usage", async () => {
    const { data: msg, response } = await anthropic()
      .messages.create({ model: "claude-sonnet-4-20250514", max_tokens: 64, messages: USER })
      .withResponse();
    expect(msg.id).toStartWith("msg_");
    expect(msg.model).toBe("claude-sonnet-4-20250514");
    expect(texts(msg)).toEqual([DEFAULT_TEXT]);
    expect(msg.stop_reason).toBe("end_turn");
    expect(msg.usage.input_tokens).toBe(12);
    expect(msg.usage.output_tokens).toBe(8);
    expect(msg.usage.cache_read_input_tokens).toBe(0);
    expect(response.headers.get("request-id")).toStartWith("req_");
  });

  test("stream has the real event sequence and framing", async () => {
    const res = await postAnthropic({ model: "claude-x", max_tokens: 10, messages: USER, stream: true });
    expect(res.headers.get("content-type")).toStartWith("text/event-stream");
    const text = await res.text();
    expect(text).toContain('event: ping\ndata: {"type": "ping"}\n\n');
    const events = sseEvents(text);
    expect(events.map((e) => e.event)).toEqual([
      "message_start",
      "content_block_start",
      "ping",
      "content_block_delta",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    for (const e of events) expect((JSON.parse(e.data) as { type: string }).type).toBe(e.event ?? "");
    const start = JSON.parse(events[0]?.data ?? "{}") as { message: Anthropic.Message };
    expect(start.message.usage.output_tokens).toBe(1);
    expect(start.message.usage.input_tokens).toBe(12);
    const delta = JSON.parse(events[7]?.data ?? "{}") as Anthropic.MessageDeltaEvent;
    expect(delta.usage.output_tokens).toBe(8);
    expect(delta.delta.stop_reason).toBe("end_turn");
  });

  test("SDK stream helper assembles the text and usage from x-mock", async () => {
    const usage = {
      input_tokens: 100,
      output_tokens: 42,
      cache_read_input_tokens: 50,
      cache_creation_input_tokens: 20,
    };
    const msg = await anthropic({ text: "Bonjour, le monde ! 🌍", usage })
      .messages.stream({ model: "claude-x", max_tokens: 64, messages: USER })
      .finalMessage();
    expect(msg.content).toHaveLength(1);
    expect(msg.content[0]).toMatchObject({ type: "text", text: "Bonjour, le monde ! 🌍" });
    expect(msg.usage.input_tokens).toBe(100);
    expect(msg.usage.output_tokens).toBe(42);
    expect(msg.usage.cache_read_input_tokens).toBe(50);
    expect(msg.usage.cache_creation_input_tokens).toBe(20);
    expect(msg.usage.cache_creation).toEqual({ ephemeral_5m_input_tokens: 20, ephemeral_1h_input_tokens: 0 });
  });

  test("tool use, as JSON and streamed with input_json_delta", async () => {
    const toolUse = { name: "get_weather", input: { city: "Paris", days: 3, units: ["c"] } };
    const client = anthropic({ toolUse });
    const msg = await client.messages.create({ model: "claude-x", max_tokens: 64, messages: USER });
    expect(msg.stop_reason).toBe("tool_use");
    expect(msg.content).toHaveLength(1);
    expect(msg.content[0]).toMatchObject({ type: "tool_use", name: "get_weather", input: toolUse.input });

    const streamed = await client.messages
      .stream({ model: "claude-x", max_tokens: 64, messages: USER })
      .finalMessage();
    expect(streamed.stop_reason).toBe("tool_use");
    const block = streamed.content[0];
    expect(block?.type).toBe("tool_use");
    if (block?.type === "tool_use") {
      expect(block.id).toStartWith("toolu_");
      expect(block.input).toEqual(toolUse.input);
    }

    // An explicit text comes first, as Claude's "Let me check…" preamble does.
    const both = await anthropic({ text: "Checking.", toolUse: { ...toolUse, id: "toolu_fixed" } })
      .messages.stream({ model: "claude-x", max_tokens: 64, messages: USER })
      .finalMessage();
    expect(both.content.map((b) => b.type)).toEqual(["text", "tool_use"]);
    expect(both.content[1]).toMatchObject({ id: "toolu_fixed" });
  });

  test("error statuses surface as the SDK's typed errors with the real body shape", async () => {
    const overloaded = await rejection(
      anthropic({ status: 529 }).messages.create({ model: "claude-x", max_tokens: 8, messages: USER }),
    );
    expect(overloaded).toBeInstanceOf(Anthropic.APIError);
    if (overloaded instanceof Anthropic.APIError) {
      expect(overloaded.status).toBe(529);
      expect(overloaded.type).toBe("overloaded_error");
      expect(overloaded.requestID).toStartWith("req_");
    }
    const cases: Array<[number, new (...args: never[]) => Error, string]> = [
      [429, Anthropic.RateLimitError, "rate_limit_error"],
      [500, Anthropic.InternalServerError, "api_error"],
      [400, Anthropic.BadRequestError, "invalid_request_error"],
      [401, Anthropic.AuthenticationError, "authentication_error"],
    ];
    for (const [status, cls, type] of cases) {
      const err = await rejection(
        anthropic({ status }).messages.create({ model: "claude-x", max_tokens: 8, messages: USER }),
      );
      expect(err).toBeInstanceOf(cls);
      if (err instanceof Anthropic.APIError) expect(err.type).toBe(type as Anthropic.ErrorType);
    }
    const raw = await postAnthropic(
      { model: "claude-x", max_tokens: 8, messages: USER },
      {
        "x-mock": mockHeader({ status: 400, errorType: "invalid_request_error", errorMessage: "bad thing" }),
      },
    );
    const body = (await raw.json()) as {
      type: string;
      error: { type: string; message: string };
      request_id: string;
    };
    expect(raw.status).toBe(400);
    expect(body).toMatchObject({
      type: "error",
      error: { type: "invalid_request_error", message: "bad thing" },
    });
    expect(body.request_id).toStartWith("req_");
  });

  test("failMidStream sends deltas, then an overloaded error event the SDK throws", async () => {
    const stream = await anthropic({ failMidStream: true }).messages.create({
      model: "claude-x",
      max_tokens: 8,
      messages: USER,
      stream: true,
    });
    const seen: string[] = [];
    const err = await rejection(
      (async () => {
        for await (const event of stream) seen.push(event.type);
      })(),
    );
    expect(seen).toEqual(["message_start", "content_block_start", "content_block_delta"]);
    expect(err).toBeInstanceOf(Anthropic.APIError);
    if (err instanceof Anthropic.APIError) expect(err.type).toBe("overloaded_error");

    // A number picks the event after which to fail.
    const raw = await postAnthropic(
      { model: "claude-x", max_tokens: 8, messages: USER, stream: true },
      { "x-mock": mockHeader({ failMidStream: 5 }) },
    );
    const events = sseEvents(await raw.text());
    expect(events.map((e) => e.event)).toEqual([
      "message_start",
      "content_block_start",
      "ping",
      "content_block_delta",
      "content_block_delta",
      "error",
    ]);
    expect(JSON.parse(events[5]?.data ?? "{}")).toMatchObject({
      type: "error",
      error: { type: "overloaded_error", message: "Overloaded" },
    });
  });

  test("abortMidStream cuts the connection without an error event", async () => {
    const res = await postAnthropic(
      { model: "claude-x", max_tokens: 8, messages: USER, stream: true },
      { "x-mock": mockHeader({ abortMidStream: true }) },
    );
    expect(res.status).toBe(200);
    const reader = res.body?.getReader();
    let received = "";
    const err = await rejection(
      (async () => {
        const decoder = new TextDecoder();
        for (;;) {
          const chunk = await reader?.read();
          if (!chunk || chunk.done) return;
          received += decoder.decode(chunk.value);
        }
      })(),
    );
    expect(err).toBeInstanceOf(Error);
    expect(received).toContain("event: content_block_delta");
    expect(received).not.toContain("event: error");
    expect(received).not.toContain("message_stop");
  });

  test("count_tokens and models list", async () => {
    const client = anthropic();
    const count = await client.messages.countTokens({ model: "claude-x", messages: USER });
    expect(count.input_tokens).toBeGreaterThan(0);
    const ids: string[] = [];
    for await (const m of client.models.list()) ids.push(m.id);
    expect(ids).toContain("claude-sonnet-4-20250514");
    const raw = (await (
      await fetch(`${up.mock.url}/v1/models`, { headers: ANTHROPIC_HEADERS })
    ).json()) as Record<string, unknown>;
    expect(Object.keys(raw).sort()).toEqual(["data", "first_id", "has_more", "last_id"]);
  });

  test("missing credentials, missing fields and unknown paths answer like Anthropic", async () => {
    const noKey = await fetch(`${up.mock.url}/v1/messages`, {
      method: "POST",
      headers: { "anthropic-version": "2023-06-01" },
      body: "{}",
    });
    expect(noKey.status).toBe(401);
    expect(await noKey.json()).toMatchObject({ type: "error", error: { type: "authentication_error" } });
    const noMaxTokens = await postAnthropic({ model: "claude-x", messages: USER });
    expect(noMaxTokens.status).toBe(400);
    expect(await noMaxTokens.json()).toMatchObject({ error: { message: "max_tokens: Field required" } });
    const missing = await fetch(`${up.mock.url}/v1/nope`, { headers: ANTHROPIC_HEADERS });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ type: "error", error: { type: "not_found_error" } });
  });
});
