import { expect, test } from "bun:test";
import { usageOf } from "./usage-slice.ts";

const enc = (v: unknown) => new TextEncoder().encode(typeof v === "string" ? v : JSON.stringify(v));

test("finds the top-level usage after long content, ignoring usage-like text inside strings", () => {
  const body = {
    id: "msg_1",
    content: [
      { type: "text", text: 'he said "usage": {"input_tokens": 999} and left' },
      { type: "tool_use", id: "t", name: "x", input: { usage: { input_tokens: 5 } } },
    ],
    usage: { input_tokens: 12, output_tokens: 7, nested: { a: "}" } },
  };
  expect(usageOf(enc(body))).toEqual({ usage: body.usage });
});

test("pretty-printed bodies and bodies without usage fall back to what a full parse says", () => {
  const pretty = JSON.stringify({ a: 1, usage: { prompt_tokens: 3 } }, null, 2);
  expect(usageOf(enc(pretty))).toEqual({ usage: { prompt_tokens: 3 } });
  expect(usageOf(enc({ error: { message: "nope" } }))).toEqual({ error: { message: "nope" } });
  expect(usageOf(enc("not json"))).toBeNull();
  // A string value "usage" (not a key) is not taken for the object.
  expect(usageOf(enc({ kind: "usage", n: 1 }))).toEqual({ kind: "usage", n: 1 });
});
