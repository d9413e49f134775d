import { describe, expect, test } from "bun:test";
import OpenAI from "openai";
import { bytes, run, SPLITS, serveBytes, split, text } from "../../providers/translate/testing.ts";
import { ERROR_STREAM, LENGTH_STREAM, TEXT_STREAM, TOOL_STREAM } from "./anthropic-fixtures.ts";
import { createAnthropicToChatStream } from "./stream.ts";

const opts = { model: "claude-sonnet-4-5", id: "chatcmpl-x", created: 1_700_000_000 };

/** The data payloads the client receives, parsed (and `[DONE]` kept as a string). */
function chunks(out: Uint8Array): unknown[] {
  return text(out)
    .split("\n\n")
    .filter((b) => b !== "")
    .map((b) => {
      expect(b.startsWith("data: ")).toBe(true);
      const data = b.slice(6);
      return data === "[DONE]" ? data : JSON.parse(data);
    });
}

function translate(input: string, how: "whole" | "bytes" | number = "whole", includeUsage = true) {
  const t = createAnthropicToChatStream({ ...opts, includeUsage });
  const out = run(t, split(bytes(input), how), () => t.finish());
  return { t, out, chunks: chunks(out) };
}

const head = {
  id: "chatcmpl-x",
  object: "chat.completion.chunk",
  created: 1_700_000_000,
  model: "claude-sonnet-4-5",
};
const choice = (delta: unknown, finish_reason: string | null = null) => ({
  ...head,
  choices: [{ index: 0, delta, logprobs: null, finish_reason }],
});

describe("createAnthropicToChatStream", () => {
  test("text: role chunk, content deltas, finish chunk, usage chunk, [DONE] — however the bytes are split", () => {
    const expected = [
      choice({ role: "assistant", content: "" }),
      choice({ content: "Hello, " }),
      choice({ content: "wörld ✓" }),
      choice({}, "stop"),
      {
        ...head,
        choices: [],
        usage: {
          prompt_tokens: 1212,
          completion_tokens: 42,
          total_tokens: 1254,
          prompt_tokens_details: { cached_tokens: 1000, cache_write_tokens: 200 },
          completion_tokens_details: { reasoning_tokens: 0 },
        },
      },
      "[DONE]",
    ];
    for (const how of SPLITS) {
      const { t, chunks: got } = translate(TEXT_STREAM, how);
      expect(got).toEqual(expected);
      expect(t.finished).toBe(true);
      expect(t.sawError).toBe(false);
      expect(t.usage).toEqual({
        inputTokens: 12,
        outputTokens: 42,
        cacheCreationInputTokens: 200,
        cacheCreation1hInputTokens: 50,
        cacheReadInputTokens: 1000,
      });
    }
  });

  test("without include_usage there is no usage chunk, but the meter still has the usage", () => {
    const { t, chunks: got } = translate(TEXT_STREAM, 3, false);
    expect(got.at(-2)).toEqual(choice({}, "stop"));
    expect(got.at(-1)).toBe("[DONE]");
    expect(t.usage.outputTokens).toBe(42);
  });

  test("tool calls: one index each, id and name first, the arguments verbatim; thinking is not shown", () => {
    for (const how of SPLITS) {
      const { chunks: got } = translate(TOOL_STREAM, how);
      expect(got.slice(0, 7)).toEqual([
        choice({ role: "assistant", content: "" }),
        choice({ content: "Let me check." }),
        choice({
          tool_calls: [
            { index: 0, id: "toolu_01A", type: "function", function: { name: "weather", arguments: "" } },
          ],
        }),
        choice({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
        choice({
          tool_calls: [{ index: 0, function: { arguments: ' "Paris", "note": "a } in \\"quotes\\""}' } }],
        }),
        choice({
          tool_calls: [
            { index: 1, id: "toolu_01B", type: "function", function: { name: "weather", arguments: "" } },
          ],
        }),
        choice({ tool_calls: [{ index: 1, function: { arguments: '{"city":"Oslo"}' } }] }),
      ]);
      expect(got[7]).toEqual(choice({}, "tool_calls"));
      expect(got[8]).toMatchObject({ choices: [], usage: { prompt_tokens: 12, completion_tokens: 77 } });
      expect(got[9]).toBe("[DONE]");
    }
  });

  test("max_tokens ends with finish_reason length", () => {
    expect(translate(LENGTH_STREAM).chunks.at(-3)).toEqual(choice({}, "length"));
  });

  test("an Anthropic error event becomes an OpenAI error chunk, and nothing follows", () => {
    for (const how of SPLITS) {
      const { t, chunks: got } = translate(ERROR_STREAM, how);
      expect(got).toEqual([
        choice({ role: "assistant", content: "" }),
        choice({ content: "Partial" }),
        { error: { message: "Overloaded", type: "server_error", param: null, code: null } },
      ]);
      expect(t.finished).toBe(true);
      expect(t.sawError).toBe(true);
      expect(t.usage.inputTokens).toBe(12);
    }
  });

  test("error() from the pipeline mid-stream ends it; later calls send nothing", () => {
    const t = createAnthropicToChatStream({ ...opts, includeUsage: true });
    const cut = TEXT_STREAM.indexOf("wörld");
    t.push(bytes(TEXT_STREAM.slice(0, cut)));
    expect(chunks(t.error("The upstream connection was reset.", "api_error"))).toEqual([
      {
        error: { message: "The upstream connection was reset.", type: "api_error", param: null, code: null },
      },
    ]);
    expect(t.sawError).toBe(true);
    expect(t.push(bytes(TEXT_STREAM.slice(cut))).length).toBe(0);
    expect(t.finish().length).toBe(0);
    expect(t.error("again", "api_error").length).toBe(0);
  });

  test("an upstream that ends without message_stop is reported as cut off", () => {
    const cut = TEXT_STREAM.indexOf("event: message_delta");
    const { t, chunks: got } = translate(TEXT_STREAM.slice(0, cut));
    expect(got.at(-1)).toMatchObject({ error: { type: "api_error" } });
    expect(t.sawError).toBe(true);
    // A stop reason already received is enough to end cleanly.
    const { t: t2, chunks: got2 } = translate(
      TEXT_STREAM.slice(0, TEXT_STREAM.indexOf("event: message_stop")),
    );
    expect(got2.at(-1)).toBe("[DONE]");
    expect(t2.sawError).toBe(false);
  });
});

describe("the official OpenAI SDK reads the translated stream", () => {
  async function collect(input: string) {
    const t = createAnthropicToChatStream({ ...opts, includeUsage: true });
    const server = serveBytes(
      run(t, split(bytes(input), 5), () => t.finish()),
      "text/event-stream",
    );
    try {
      const client = new OpenAI({ baseURL: server.url, apiKey: "x", maxRetries: 0 });
      const stream = client.chat.completions.stream({
        model: "claude-sonnet-4-5",
        messages: [{ role: "user", content: "hi" }],
        stream_options: { include_usage: true },
      });
      return await stream.finalChatCompletion();
    } finally {
      server.stop();
    }
  }

  test("text and usage", async () => {
    const done = await collect(TEXT_STREAM);
    expect(done.choices[0]?.message.content).toBe("Hello, wörld ✓");
    expect(done.choices[0]?.finish_reason).toBe("stop");
    expect(done.usage).toMatchObject({ prompt_tokens: 1212, completion_tokens: 42, total_tokens: 1254 });
  });

  test("tool calls are assembled into whole arguments", async () => {
    const done = await collect(TOOL_STREAM);
    const message = done.choices[0]?.message;
    expect(done.choices[0]?.finish_reason).toBe("tool_calls");
    expect(message?.content).toBe("Let me check.");
    expect(
      message?.tool_calls?.map((c) =>
        c.type === "function" ? [c.id, c.function.name, JSON.parse(c.function.arguments)] : null,
      ),
    ).toEqual([
      ["toolu_01A", "weather", { city: "Paris", note: 'a } in "quotes"' }],
      ["toolu_01B", "weather", { city: "Oslo" }],
    ]);
  });

  test("an error chunk surfaces as an APIError in the SDK", async () => {
    await expect(collect(ERROR_STREAM)).rejects.toThrow("Overloaded");
  });
});
