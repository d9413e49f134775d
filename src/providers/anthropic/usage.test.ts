// Anthropic usage extraction: non-streaming bodies and the SSE tracker under every way bytes can arrive.

import { afterEach, describe, expect, test } from "bun:test";
import { createSseUsageTracker, type SseUsageTracker, usageFromMessage } from "./usage.ts";

const encoder = new TextEncoder();

/** One SSE event as Anthropic writes it. */
const event = (name: string, data: unknown): string => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;

const MESSAGE_START = {
  type: "message_start",
  message: {
    id: "msg_01XFDUDYJgAACzvnptvVoYEL",
    type: "message",
    role: "assistant",
    model: "claude-sonnet-4-5-20250929",
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: {
      input_tokens: 472,
      cache_creation_input_tokens: 2_048,
      cache_read_input_tokens: 10_240,
      cache_creation: { ephemeral_5m_input_tokens: 1_024, ephemeral_1h_input_tokens: 1_024 },
      output_tokens: 2,
      service_tier: "standard",
    },
  },
};

const textDelta = (text: string) => ({
  type: "content_block_delta",
  index: 1,
  delta: { type: "text_delta", text },
});

/** A complete streamed response: thinking, text with multi-byte characters, a tool call, pings. */
const FULL_STREAM = [
  event("message_start", MESSAGE_START),
  event("content_block_start", {
    type: "content_block_start",
    index: 0,
    content_block: { type: "thinking", thinking: "", signature: "" },
  }),
  event("ping", { type: "ping" }),
  event("content_block_delta", {
    type: "content_block_delta",
    index: 0,
    delta: { type: "thinking_delta", thinking: "The user wants a greeting in three scripts." },
  }),
  event("content_block_delta", {
    type: "content_block_delta",
    index: 0,
    delta: { type: "signature_delta", signature: "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds" },
  }),
  event("content_block_stop", { type: "content_block_stop", index: 0 }),
  event("content_block_start", {
    type: "content_block_start",
    index: 1,
    content_block: { type: "text", text: "" },
  }),
  event("content_block_delta", textDelta("Hello 👋, ")),
  event("content_block_delta", textDelta("héllo, こんにちは — ")),
  // Text that looks like the events we parse must not confuse the tracker.
  event(
    "content_block_delta",
    textDelta('event: message_delta\ndata: {"usage":{"output_tokens":99999}}\n\n'),
  ),
  event("content_block_stop", { type: "content_block_stop", index: 1 }),
  event("content_block_start", {
    type: "content_block_start",
    index: 2,
    content_block: { type: "tool_use", id: "toolu_01T1x1fJ34qAmk2tNTrN7Up6", name: "get_weather", input: {} },
  }),
  event("content_block_delta", {
    type: "content_block_delta",
    index: 2,
    delta: { type: "input_json_delta", partial_json: '{"location": "San Fra' },
  }),
  event("content_block_delta", {
    type: "content_block_delta",
    index: 2,
    delta: { type: "input_json_delta", partial_json: 'ncisco, CA"}' },
  }),
  event("content_block_stop", { type: "content_block_stop", index: 2 }),
  event("message_delta", {
    type: "message_delta",
    delta: { stop_reason: "tool_use", stop_sequence: null },
    usage: { output_tokens: 89 },
  }),
  event("message_stop", { type: "message_stop" }),
].join("");

const EXPECTED_USAGE = {
  inputTokens: 472,
  outputTokens: 89,
  cacheCreationInputTokens: 2_048,
  cacheCreation1hInputTokens: 1_024,
  cacheReadInputTokens: 10_240,
};

function snapshot(t: SseUsageTracker) {
  return {
    usage: { ...t.usage },
    model: t.model,
    stopReason: t.stopReason,
    sawMessageStop: t.sawMessageStop,
    error: t.error,
  };
}

function feed(bytes: Uint8Array, cuts: number[]): SseUsageTracker {
  const tracker = createSseUsageTracker();
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    tracker.push(bytes.subarray(at, cut));
    at = cut;
  }
  return tracker;
}

/** Deterministic PRNG so a failing split can be reproduced from its seed. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomCuts(length: number, seed: number): number[] {
  const random = mulberry32(seed);
  const count = 1 + Math.floor(random() * 40);
  const cuts = new Set<number>();
  for (let i = 0; i < count; i++) cuts.add(Math.floor(random() * length));
  return [...cuts].sort((a, b) => a - b);
}

describe("createSseUsageTracker", () => {
  const bytes = encoder.encode(FULL_STREAM);
  const expected = {
    usage: EXPECTED_USAGE,
    model: "claude-sonnet-4-5-20250929",
    stopReason: "tool_use",
    sawMessageStop: true,
    error: null,
  };

  test("a whole stream in one chunk", () => {
    expect(snapshot(feed(bytes, []))).toEqual(expected);
  });

  test("byte by byte", () => {
    const cuts = Array.from({ length: bytes.length - 1 }, (_, i) => i + 1);
    expect(snapshot(feed(bytes, cuts))).toEqual(expected);
  });

  test("random splits, including inside multi-byte characters", () => {
    for (let seed = 1; seed <= 300; seed++) {
      expect({ seed, ...snapshot(feed(bytes, randomCuts(bytes.length, seed))) }).toEqual({
        seed,
        ...expected,
      });
    }
  });

  test("splits inside every multi-byte character", () => {
    const cuts: number[] = [];
    for (let i = 1; i < bytes.length; i++) {
      // UTF-8 continuation bytes are 10xxxxxx: cutting before one splits a character.
      if (((bytes[i] ?? 0) & 0xc0) === 0x80) cuts.push(i);
    }
    expect(cuts.length).toBeGreaterThan(10);
    expect(snapshot(feed(bytes, cuts))).toEqual(expected);
  });

  test("CRLF line endings, whole and split between CR and LF", () => {
    const crlf = encoder.encode(FULL_STREAM.replaceAll("\n", "\r\n"));
    expect(snapshot(feed(crlf, []))).toEqual(expected);
    const betweenCrAndLf: number[] = [];
    for (let i = 1; i < crlf.length; i++) if (crlf[i - 1] === 0x0d) betweenCrAndLf.push(i);
    expect(snapshot(feed(crlf, betweenCrAndLf))).toEqual(expected);
    // An empty chunk between CR and LF must not turn one line break into two, which would
    // end the event before its data (this payload has no "type" to recover the name from).
    const tracker = createSseUsageTracker();
    for (const piece of ["event: message_delta\r", "", '\ndata: {"usage":{"output_tokens":9}}\r\n\r\n']) {
      tracker.push(encoder.encode(piece));
    }
    expect(tracker.usage.outputTokens).toBe(9);
    for (let seed = 1; seed <= 100; seed++) {
      expect({ seed, ...snapshot(feed(crlf, randomCuts(crlf.length, seed))) }).toEqual({ seed, ...expected });
    }
  });

  test("bare CR line endings", () => {
    const cr = encoder.encode(FULL_STREAM.replaceAll("\n", "\r"));
    expect(snapshot(feed(cr, []))).toEqual(expected);
    const cuts = Array.from({ length: cr.length - 1 }, (_, i) => i + 1);
    expect(snapshot(feed(cr, cuts))).toEqual(expected);
  });

  test("output_tokens in message_delta is cumulative: the latest value wins", () => {
    const tracker = createSseUsageTracker();
    tracker.push(encoder.encode(event("message_start", MESSAGE_START)));
    expect(tracker.usage.outputTokens).toBe(2);
    for (const n of [10, 25, 40]) {
      tracker.push(
        encoder.encode(
          event("message_delta", { type: "message_delta", delta: {}, usage: { output_tokens: n } }),
        ),
      );
    }
    expect(tracker.usage.outputTokens).toBe(40);
    expect(tracker.usage.inputTokens).toBe(472);
  });

  test("newer message_delta usage also carries input and cache counts", () => {
    const tracker = createSseUsageTracker();
    tracker.push(encoder.encode(event("message_start", MESSAGE_START)));
    tracker.push(
      encoder.encode(
        event("message_delta", {
          type: "message_delta",
          delta: { stop_reason: "end_turn", stop_sequence: null },
          usage: {
            input_tokens: 500,
            cache_creation_input_tokens: 3_000,
            cache_read_input_tokens: null,
            output_tokens: 120,
            server_tool_use: { web_search_requests: 1 },
          },
        }),
      ),
    );
    expect(tracker.usage).toEqual({
      inputTokens: 500,
      outputTokens: 120,
      cacheCreationInputTokens: 3_000,
      cacheCreation1hInputTokens: 1_024, // not restated: kept from message_start
      cacheReadInputTokens: 10_240, // null means "not reported", not zero
    });
    expect(tracker.stopReason).toBe("end_turn");
  });

  test("an error event mid-stream", () => {
    const stream =
      event("message_start", MESSAGE_START) +
      event("content_block_start", {
        type: "content_block_start",
        index: 0,
        content_block: { type: "text", text: "" },
      }) +
      event("content_block_delta", textDelta("Par")) +
      event("error", { type: "error", error: { type: "overloaded_error", message: "Overloaded" } });
    const tracker = feed(encoder.encode(stream), [7, 300, 301]);
    expect(tracker.error).toEqual({ type: "overloaded_error", message: "Overloaded" });
    expect(tracker.sawMessageStop).toBe(false);
    expect(tracker.usage.inputTokens).toBe(472);
  });

  test("an error event with an unreadable payload is still an error", () => {
    const tracker = createSseUsageTracker();
    tracker.push(encoder.encode("event: error\ndata: {not json\n\n"));
    expect(tracker.error).toEqual({ type: "error", message: "{not json" });
  });

  test("malformed JSON is ignored and later events still count", () => {
    const tracker = createSseUsageTracker();
    tracker.push(
      encoder.encode('event: message_start\ndata: {"type":"message_start","message":{"usage":{\n\n'),
    );
    tracker.push(encoder.encode("event: message_delta\ndata: [1,2,3]\n\n"));
    tracker.push(encoder.encode("event: message_delta\ndata: null\n\n"));
    tracker.push(encoder.encode('event: message_delta\ndata: {"usage":{"output_tokens":"many"}}\n\n'));
    tracker.push(encoder.encode('event: message_delta\ndata: {"usage":{"output_tokens":-3}}\n\n'));
    tracker.push(encoder.encode('event: message_start\ndata: {"message":"nope"}\n\n'));
    expect(tracker.usage.outputTokens).toBe(0);
    tracker.push(encoder.encode(event("message_start", MESSAGE_START)));
    tracker.push(encoder.encode('event: message_delta\ndata: {"usage":{"output_tokens":7}}\n\n'));
    expect(tracker.usage.inputTokens).toBe(472);
    expect(tracker.usage.outputTokens).toBe(7);
    expect(tracker.error).toBeNull();
  });

  test("never throws on garbage", () => {
    const tracker = createSseUsageTracker();
    const random = mulberry32(42);
    for (let i = 0; i < 200; i++) {
      const chunk = new Uint8Array(Math.floor(random() * 64));
      for (let j = 0; j < chunk.length; j++) chunk[j] = Math.floor(random() * 256);
      expect(() => tracker.push(chunk)).not.toThrow();
    }
    expect(() => tracker.push(new Uint8Array())).not.toThrow();
    expect(() => tracker.end()).not.toThrow();
    // Still works afterwards.
    tracker.push(encoder.encode(`\n\n${event("message_start", MESSAGE_START)}`));
    expect(tracker.usage.inputTokens).toBe(472);
  });

  test("comments, id and retry fields, and multi-line data", () => {
    const tracker = createSseUsageTracker();
    // The spec joins data lines with "\n", which JSON allows between tokens.
    const data = JSON.stringify({ type: "message_delta", delta: {}, usage: { output_tokens: 12 } });
    const split = data.indexOf('"usage"');
    tracker.push(
      encoder.encode(
        `: keep-alive\nid: 1\nretry: 1000\nevent: message_delta\ndata: ${data.slice(0, split)}\ndata:${data.slice(split)}\n\n`,
      ),
    );
    expect(tracker.usage.outputTokens).toBe(12);
  });

  test("events without an event: line are recognised by their type", () => {
    const tracker = createSseUsageTracker();
    tracker.push(encoder.encode(`data: ${JSON.stringify(MESSAGE_START)}\n\n`));
    tracker.push(encoder.encode(`data: ${JSON.stringify(textDelta("hi"))}\n\n`));
    tracker.push(encoder.encode('data: {"type":"message_stop"}\n\n'));
    expect(tracker.usage.inputTokens).toBe(472);
    expect(tracker.sawMessageStop).toBe(true);
  });

  test("end() dispatches a final event left without its blank line", () => {
    const tracker = createSseUsageTracker();
    tracker.push(encoder.encode('event: message_delta\ndata: {"usage":{"output_tokens":31}}'));
    expect(tracker.usage.outputTokens).toBe(0);
    tracker.end();
    expect(tracker.usage.outputTokens).toBe(31);
  });

  test("a stream cut short has no message_stop", () => {
    const cut = FULL_STREAM.slice(0, FULL_STREAM.indexOf("event: message_delta"));
    const tracker = feed(encoder.encode(cut), [100]);
    expect(tracker.sawMessageStop).toBe(false);
    expect(tracker.usage.outputTokens).toBe(2);
    expect(tracker.stopReason).toBeNull();
  });

  test("the caller may reuse its buffer after push", () => {
    const tracker = createSseUsageTracker();
    const buffer = new Uint8Array(bytes.length);
    const step = 37;
    for (let at = 0; at < bytes.length; at += step) {
      const piece = bytes.subarray(at, at + step);
      buffer.set(piece);
      tracker.push(buffer.subarray(0, piece.length));
      buffer.fill(0x78);
    }
    expect(snapshot(tracker)).toEqual(expected);
  });

  test("oversized data for a parsed event is dropped, not buffered without bound", () => {
    const tracker = createSseUsageTracker();
    const huge = "x".repeat(2 << 20);
    tracker.push(encoder.encode(`event: message_start\ndata: {"pad":"${huge.slice(0, 1 << 19)}`));
    tracker.push(encoder.encode(`${huge}"}\n\n`));
    tracker.push(
      encoder.encode(event("message_delta", { type: "message_delta", usage: { output_tokens: 5 } })),
    );
    expect(tracker.usage.outputTokens).toBe(5);
  });

  describe("JSON.parse budget", () => {
    const realParse = JSON.parse;
    afterEach(() => {
      JSON.parse = realParse;
    });

    test("only message_start, message_delta and error payloads are parsed", () => {
      const parsed: string[] = [];
      JSON.parse = (text: string, reviver?: (this: unknown, key: string, value: unknown) => unknown) => {
        parsed.push(text.slice(0, 30));
        return realParse(text, reviver);
      };
      const tracker = createSseUsageTracker();
      tracker.push(bytes);
      JSON.parse = realParse;
      expect(parsed).toHaveLength(2);
      expect(parsed[0]).toStartWith('{"type":"message_start"');
      expect(parsed[1]).toStartWith('{"type":"message_delta"');
    });
  });
});

describe("usageFromMessage", () => {
  test("a non-streaming response", () => {
    const body = {
      id: "msg_013Zva2CMHLNnXjNJJKqJ2EF",
      type: "message",
      role: "assistant",
      model: "claude-opus-4-5-20251101",
      content: [{ type: "text", text: "Hi!" }],
      stop_reason: "end_turn",
      stop_sequence: null,
      usage: {
        input_tokens: 2_095,
        cache_creation_input_tokens: 3_000,
        cache_read_input_tokens: 50_000,
        cache_creation: { ephemeral_5m_input_tokens: 1_000, ephemeral_1h_input_tokens: 2_000 },
        output_tokens: 503,
        service_tier: "standard",
      },
    };
    expect(usageFromMessage(body)).toEqual({
      inputTokens: 2_095,
      outputTokens: 503,
      cacheCreationInputTokens: 3_000,
      cacheCreation1hInputTokens: 2_000,
      cacheReadInputTokens: 50_000,
    });
  });

  test("older responses without cache fields", () => {
    expect(usageFromMessage({ usage: { input_tokens: 10, output_tokens: 20 } })).toEqual({
      inputTokens: 10,
      outputTokens: 20,
      cacheCreationInputTokens: 0,
      cacheCreation1hInputTokens: 0,
      cacheReadInputTokens: 0,
    });
  });

  test("nulls and the TTL breakdown without a flat total", () => {
    const usage = usageFromMessage({
      usage: {
        input_tokens: 1,
        output_tokens: 2,
        cache_creation_input_tokens: null,
        cache_read_input_tokens: null,
        cache_creation: { ephemeral_5m_input_tokens: 30, ephemeral_1h_input_tokens: 70 },
      },
    });
    expect(usage.cacheCreationInputTokens).toBe(100);
    expect(usage.cacheCreation1hInputTokens).toBe(70);
    expect(usage.cacheReadInputTokens).toBe(0);
  });

  test("garbage gives zeros", () => {
    for (const json of [null, undefined, 42, "text", [], {}, { usage: null }, { usage: [1] }]) {
      expect(usageFromMessage(json)).toEqual({
        inputTokens: 0,
        outputTokens: 0,
        cacheCreationInputTokens: 0,
        cacheCreation1hInputTokens: 0,
        cacheReadInputTokens: 0,
      });
    }
  });
});
