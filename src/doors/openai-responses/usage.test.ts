import { describe, expect, test } from "bun:test";
import type { ResponseStreamEvent } from "openai/resources/responses/responses";
import { bytes, SPLITS, split } from "../../providers/translate/testing.ts";
import { createResponsesStreamMeter, responsesUsage } from "./usage.ts";

const usage = {
  input_tokens: 2006,
  input_tokens_details: { cached_tokens: 1920, cache_write_tokens: 0 },
  output_tokens: 300,
  output_tokens_details: { reasoning_tokens: 128 },
  total_tokens: 2306,
};

const EXPECTED = {
  inputTokens: 86,
  outputTokens: 300,
  cacheCreationInputTokens: 0,
  cacheCreation1hInputTokens: 0,
  cacheReadInputTokens: 1920,
};

const response = (status: string, withUsage = true) => ({
  id: "resp_67c",
  object: "response",
  created_at: 1_741_476_542,
  status,
  model: "gpt-5",
  // The terminal event repeats the whole output, including text that mentions the event names.
  output: [
    {
      type: "message",
      id: "msg_1",
      status: "completed",
      role: "assistant",
      content: [{ type: "output_text", text: 'say "response.completed" and "usage":{', annotations: [] }],
    },
  ],
  usage: withUsage ? usage : null,
});

/** A native stream as OpenAI sends it, optionally without event lines (some compatible servers). */
function stream(terminal: string, opts: { eventLines?: boolean; nl?: string } = {}): string {
  const nl = opts.nl ?? "\n";
  const events: Array<Record<string, unknown>> = [
    { type: "response.created", response: response("in_progress", false) },
    {
      type: "response.output_text.delta",
      item_id: "msg_1",
      output_index: 0,
      content_index: 0,
      delta: '"usage":{',
    },
    {
      type: "response.output_text.delta",
      item_id: "msg_1",
      output_index: 0,
      content_index: 0,
      delta: "x".repeat(5000),
    },
    { type: terminal, response: response(terminal.slice("response.".length)) },
  ];
  return events
    .map((e, i) => {
      const data = `data: ${JSON.stringify({ ...e, sequence_number: i })}${nl}`;
      return `${opts.eventLines === false ? "" : `event: ${e.type}${nl}`}${data}${nl}`;
    })
    .join("");
}

function meter(input: string, how: "whole" | "bytes" | number) {
  const m = createResponsesStreamMeter();
  for (const piece of split(bytes(input), how)) m.push(piece);
  m.end();
  return m;
}

describe("responsesUsage", () => {
  test("cached tokens are split off input_tokens, as for Chat", () => {
    expect(responsesUsage(response("completed"))).toEqual(EXPECTED);
    expect(responsesUsage({})).toEqual({
      ...EXPECTED,
      inputTokens: 0,
      outputTokens: 0,
      cacheReadInputTokens: 0,
    });
    expect(responsesUsage(null).inputTokens).toBe(0);
  });
});

describe("createResponsesStreamMeter", () => {
  test("reads the usage of response.completed however the bytes are split, CRLF or LF", () => {
    for (const nl of ["\n", "\r\n"]) {
      for (const how of SPLITS) {
        const m = meter(stream("response.completed", { nl }), how);
        expect(m.usage).toEqual(EXPECTED);
        expect(m.usageReported).toBe(true);
        expect(m.status).toBe("completed");
      }
    }
  });

  test("incomplete and failed responses are metered too", () => {
    expect(meter(stream("response.incomplete"), 3).status).toBe("incomplete");
    const failed = meter(stream("response.failed"), 3);
    expect(failed.status).toBe("failed");
    expect(failed.usage).toEqual(EXPECTED);
  });

  test("without event lines, the data's leading type is enough", () => {
    for (const how of SPLITS)
      expect(meter(stream("response.completed", { eventLines: false }), how).usage).toEqual(EXPECTED);
  });

  test("a cut stream reports no usage and no status; text that looks like usage is not read", () => {
    const full = stream("response.completed");
    const m = meter(full.slice(0, full.indexOf("event: response.completed")), "bytes");
    expect(m.usageReported).toBe(false);
    expect(m.status).toBeNull();
    expect(m.usage.inputTokens).toBe(0);
  });

  test("a last event without its newline is read at end()", () => {
    const full = stream("response.completed").trimEnd();
    expect(meter(full, 5).usage).toEqual(EXPECTED);
  });

  test("the event types it reads are the SDK's own", () => {
    const names: Array<ResponseStreamEvent["type"]> = [
      "response.completed",
      "response.incomplete",
      "response.failed",
    ];
    for (const name of names) expect(meter(stream(name), "whole").status).toBe(name.slice(9) as never);
  });
});
