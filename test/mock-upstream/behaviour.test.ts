// The mock's behaviour control: latency, failures, resets, silence, per-request and default behaviours.
import { describe, expect, test } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { rejection } from "../helpers/rejection.ts";
import { mockHeader } from "./index.ts";
import { ANTHROPIC_HEADERS, DEFAULT_TEXT, sseEvents, texts, USER, useMock } from "./wire.ts";

const { up, anthropic, openai, postAnthropic, postOllama } = useMock();

describe("behaviour control", () => {
  test("calls records method, path with query, lower-case headers and the exact body", async () => {
    const body =
      '{ "model" : "claude-x",\n "max_tokens": 5, "messages": [{"role":"user","content":"héllo ✓"}] }';
    await fetch(`${up.mock.url}/v1/messages?beta=true`, {
      method: "POST",
      headers: { ...ANTHROPIC_HEADERS, "X-Custom-Thing": "1" },
      body,
    });
    expect(up.mock.calls).toHaveLength(1);
    const call = up.mock.calls[0];
    expect(call?.method).toBe("POST");
    expect(call?.path).toBe("/v1/messages?beta=true");
    expect(call?.headers["x-api-key"]).toBe("sk-ant-raw");
    expect(call?.headers["x-custom-thing"]).toBe("1");
    expect(call?.bodyText).toBe(body);
    expect(typeof call?.receivedAt).toBe("number");

    await openai().chat.completions.create({ model: "gpt-x", messages: USER });
    expect(up.mock.calls[1]?.headers.authorization).toBe("Bearer sk-openai-test");
    expect(JSON.parse(up.mock.calls[1]?.bodyText ?? "{}")).toEqual({ model: "gpt-x", messages: USER });
  });

  test("setDefault applies without a header, x-mock merges over it, reset clears it", async () => {
    up.mock.setDefault({ text: "default text", usage: { input_tokens: 7 } });
    const a = await anthropic().messages.create({ model: "m", max_tokens: 5, messages: USER });
    expect(texts(a)).toEqual(["default text"]);
    expect(a.usage.input_tokens).toBe(7);
    const b = await anthropic({ usage: { output_tokens: 3 } }).messages.create({
      model: "m",
      max_tokens: 5,
      messages: USER,
    });
    expect(texts(b)).toEqual(["default text"]);
    expect(b.usage).toMatchObject({ input_tokens: 7, output_tokens: 3 });
    up.mock.reset();
    expect(up.mock.calls).toHaveLength(0);
    const c = await anthropic().messages.create({ model: "m", max_tokens: 5, messages: USER });
    expect(texts(c)).toEqual([DEFAULT_TEXT]);
  });

  test("a malformed x-mock header is a 400 in the protocol's shape", async () => {
    const res = await postAnthropic({ model: "m", max_tokens: 5, messages: USER }, { "x-mock": "{nope" });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
    const typed = await postOllama({ model: "m", messages: USER }, { "x-mock": '{"latencyMs":"soon"}' });
    expect(typed.status).toBe(400);
    expect(await typed.json()).toEqual({ error: "x-mock: latencyMs must be a non-negative number" });
  });

  test("model-name presets: mock-error, mock-error-NNN, mock-flaky, mock-slow", async () => {
    const err = await rejection(
      anthropic().messages.create({ model: "mock-error", max_tokens: 5, messages: USER }),
    );
    expect(err).toBeInstanceOf(Anthropic.InternalServerError);
    const limited = await rejection(
      openai().chat.completions.create({ model: "mock-error-429", messages: USER }),
    );
    expect(limited).toBeInstanceOf(OpenAI.RateLimitError);

    const flaky = [];
    for (let i = 0; i < 4; i++) {
      const res = await postAnthropic({ model: "claude-mock-flaky", max_tokens: 5, messages: USER });
      flaky.push(res.status);
      await res.body?.cancel();
    }
    expect(flaky).toEqual([529, 200, 529, 200]);
    const ollamaFlaky = await postOllama({ model: "mock-flaky", messages: USER });
    expect(ollamaFlaky.status).toBe(503);

    const t0 = performance.now();
    const res = await postOllama({ model: "mock-slow", messages: USER, stream: false });
    expect(res.status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(200);
  });

  test("latencyMs delays the headers, chunkDelayMs spaces the events", async () => {
    const t0 = performance.now();
    const res = await postAnthropic(
      { model: "m", max_tokens: 5, messages: USER, stream: true },
      { "x-mock": mockHeader({ latencyMs: 60, chunkDelayMs: 15 }) },
    );
    const headersAt = performance.now() - t0;
    expect(headersAt).toBeGreaterThanOrEqual(55);
    const events = sseEvents(await res.text());
    expect(events).toHaveLength(9);
    // Eight gaps between nine events, after the latency. Only lower bounds from the request's start hold
    // on a loaded machine: the client may see the headers late, shrinking the apparent body time.
    expect(performance.now() - t0).toBeGreaterThanOrEqual(60 + 8 * 15 - 5);
  });

  test("a client vanishing mid-stream does not hurt the server", async () => {
    for (const protocolRequest of [
      (signal: AbortSignal) =>
        fetch(`${up.mock.url}/v1/messages`, {
          method: "POST",
          signal,
          headers: { ...ANTHROPIC_HEADERS, "x-mock": mockHeader({ chunkDelayMs: 20 }) },
          body: JSON.stringify({ model: "m", max_tokens: 5, messages: USER, stream: true }),
        }),
      (signal: AbortSignal) =>
        fetch(`${up.mock.url}/api/chat`, {
          method: "POST",
          signal,
          headers: { "x-mock": mockHeader({ chunkDelayMs: 20, failMidStream: 2 }) },
          body: JSON.stringify({ model: "m", messages: USER }),
        }),
    ]) {
      const controller = new AbortController();
      const res = await protocolRequest(controller.signal);
      await res.body?.getReader().read();
      controller.abort();
    }
    // Long enough for the server to try (and fail) to write the remaining events.
    await Bun.sleep(200);
    const msg = await anthropic().messages.create({ model: "m", max_tokens: 5, messages: USER });
    expect(texts(msg)).toEqual([DEFAULT_TEXT]);
  });

  test("concurrent default requests get distinct ids and their own model", async () => {
    const client = anthropic();
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        client.messages.create({ model: `m-${i}`, max_tokens: 5, messages: USER }),
      ),
    );
    expect(new Set(replies.map((r) => r.id)).size).toBe(20);
    replies.forEach((r, i) => {
      expect(r.model).toBe(`m-${i}`);
    });
  });
});
