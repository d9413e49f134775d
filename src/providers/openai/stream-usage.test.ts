import { describe, expect, test } from "bun:test";
import OpenAI from "openai";
import type { ChatCompletionChunk } from "openai/resources/chat/completions";
import { bytes, run, SPLITS, serveBytes, split, text } from "../translate/testing.ts";
import { createOpenAIStreamMeter, ensureIncludeUsage } from "./stream-usage.ts";

describe("ensureIncludeUsage", () => {
  test("non-streaming bodies and clients that asked for usage are left alone", () => {
    const plain = { model: "gpt-4o", messages: [] };
    expect(ensureIncludeUsage(plain)).toEqual({ body: plain, injected: false });
    const asked = { model: "gpt-4o", stream: true, stream_options: { include_usage: true } };
    expect(ensureIncludeUsage(asked).body).toBe(asked);
    expect(ensureIncludeUsage(asked).injected).toBe(false);
  });

  test("a stream without usage gets it on a copy, keeping the client's other stream options", () => {
    const body = { model: "gpt-4o", stream: true, stream_options: { include_obfuscation: false } };
    const { body: sent, injected } = ensureIncludeUsage(body);
    expect(injected).toBe(true);
    expect(sent).toEqual({
      model: "gpt-4o",
      stream: true,
      stream_options: { include_obfuscation: false, include_usage: true },
    });
    expect(body.stream_options).toEqual({ include_obfuscation: false });
    // Asking for no usage still gets it (the gateway must bill), and it is hidden again.
    expect(ensureIncludeUsage({ stream: true, stream_options: { include_usage: false } }).injected).toBe(
      true,
    );
    expect(ensureIncludeUsage({ stream: true }).body).toEqual({
      stream: true,
      stream_options: { include_usage: true },
    });
  });
});

const base = {
  id: "chatcmpl-AyPNinnUqUDYo9SAdA52NobMflmj2",
  object: "chat.completion.chunk" as const,
  created: 1_739_000_000,
  model: "gpt-4o-mini-2024-07-18",
  service_tier: "default" as const,
  system_fingerprint: "fp_06737a9306",
};

const choices: ChatCompletionChunk["choices"][] = [
  [
    {
      index: 0,
      delta: { role: "assistant", content: "", refusal: null },
      logprobs: null,
      finish_reason: null,
    },
  ],
  [{ index: 0, delta: { content: 'He said "usage":{ is' }, logprobs: null, finish_reason: null }],
  [{ index: 0, delta: { content: " not [DONE] yet ✓" }, logprobs: null, finish_reason: null }],
  [{ index: 0, delta: {}, logprobs: null, finish_reason: "stop" }],
];

const usage = {
  prompt_tokens: 2006,
  completion_tokens: 300,
  total_tokens: 2306,
  prompt_tokens_details: { cached_tokens: 1920, audio_tokens: 0 },
  completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
};

/** The same completion as OpenAI streams it with and without stream_options.include_usage. */
function stream(includeUsage: boolean, nl = "\n"): string {
  const frame = (c: ChatCompletionChunk) => `data: ${JSON.stringify({ ...c, obfuscation: "p4D" })}${nl}${nl}`;
  let out = "";
  for (const c of choices)
    out += frame(includeUsage ? { ...base, choices: c, usage: null } : { ...base, choices: c });
  if (includeUsage) out += frame({ ...base, choices: [], usage });
  return `${out}data: [DONE]${nl}${nl}`;
}

const EXPECTED_USAGE = {
  inputTokens: 86,
  outputTokens: 300,
  cacheCreationInputTokens: 0,
  cacheCreation1hInputTokens: 0,
  cacheReadInputTokens: 1920,
};

describe("createOpenAIStreamMeter", () => {
  test("the client asked for usage: bytes pass untouched (same chunk objects) and usage is read", () => {
    const input = bytes(stream(true));
    for (const how of SPLITS) {
      const meter = createOpenAIStreamMeter({ stripUsageChunk: false });
      const pieces = split(input, how);
      for (const piece of pieces) expect(meter.push(piece)).toBe(piece);
      expect(meter.end().length).toBe(0);
      expect(meter.usage).toEqual(EXPECTED_USAGE);
      expect(meter.usageReported).toBe(true);
      expect(meter.sawDone).toBe(true);
    }
  });

  test("injected usage is stripped: the client gets exactly the stream it would have got without it", () => {
    const seeds = Array.from({ length: 200 }, (_, i) => i + 100);
    for (const nl of ["\n", "\r\n"]) {
      const expected = stream(false, nl);
      for (const how of [...SPLITS, ...seeds]) {
        const meter = createOpenAIStreamMeter({ stripUsageChunk: true });
        const out = text(run(meter, split(bytes(stream(true, nl)), how), () => meter.end()));
        expect(out).toBe(expected);
        expect(meter.usage).toEqual(EXPECTED_USAGE);
        expect(meter.sawDone).toBe(true);
      }
    }
  });

  test("only the usage chunk is parsed, never the content chunks", () => {
    const meter = createOpenAIStreamMeter({ stripUsageChunk: true });
    const parse = JSON.parse;
    let calls = 0;
    JSON.parse = (...args: Parameters<typeof JSON.parse>) => {
      calls++;
      return parse(...args);
    };
    try {
      for (const piece of split(bytes(stream(true)), 3)) meter.push(piece);
    } finally {
      JSON.parse = parse;
    }
    expect(calls).toBe(1);
  });

  test("a stream cut before [DONE] says so; a last line without newline is still handed over", () => {
    const meter = createOpenAIStreamMeter({ stripUsageChunk: true });
    const input = stream(true);
    const cut = input.slice(0, input.indexOf("data: [DONE]") + 12);
    const out = text(run(meter, split(bytes(cut), 5), () => meter.end()));
    expect(out).toBe(stream(false).slice(0, -2));
    expect(meter.sawDone).toBe(true);
    const early = createOpenAIStreamMeter({ stripUsageChunk: false });
    early.push(bytes(input.slice(0, 300)));
    expect(early.sawDone).toBe(false);
    expect(early.usageReported).toBe(false);
    expect(early.usage.inputTokens).toBe(0);
  });
});

describe("the official OpenAI SDK reads the metered stream", () => {
  async function collect(strip: boolean) {
    const meter = createOpenAIStreamMeter({ stripUsageChunk: strip });
    const out = run(meter, split(bytes(stream(true)), 11), () => meter.end());
    const server = serveBytes(out, "text/event-stream");
    try {
      const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "x", maxRetries: 0 });
      const chunks: ChatCompletionChunk[] = [];
      const s = await client.chat.completions.create({
        model: "gpt-4o-mini",
        stream: true,
        messages: [{ role: "user", content: "hi" }],
      });
      for await (const c of s) chunks.push(c);
      return chunks;
    } finally {
      server.stop();
    }
  }

  test("stripped: content intact, no usage field anywhere", async () => {
    const chunks = await collect(true);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? "").join("")).toBe(
      'He said "usage":{ is not [DONE] yet ✓',
    );
    expect(chunks).toHaveLength(4);
    expect(chunks.some((c) => "usage" in c)).toBe(false);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe("stop");
  });

  test("kept: the final chunk carries the usage the client asked for", async () => {
    const chunks = await collect(false);
    expect(chunks).toHaveLength(5);
    expect(chunks.at(-1)?.choices).toEqual([]);
    expect(chunks.at(-1)?.usage).toMatchObject({ prompt_tokens: 2006, completion_tokens: 300 });
  });
});
