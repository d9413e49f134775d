// The body rules the gateway applies before any JSON reaches its code: depth, UTF-8, size.
import { describe, expect, test } from "bun:test";
import { GatewayError } from "../errors.ts";
import { hasNul, parseJsonLimited, readBodyLimited, tooDeep } from "./body.ts";

const bytes = (s: string) => new TextEncoder().encode(s);

const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (err) {
    return err instanceof GatewayError ? err.extra.code : String(err);
  }
  return null;
};

describe("tooDeep", () => {
  test("counts objects and arrays, not brackets inside strings or after escaped quotes", () => {
    expect(tooDeep(bytes('{"a":[{"b":1}]}'), 3)).toBe(false);
    expect(tooDeep(bytes('{"a":[{"b":[1]}]}'), 3)).toBe(true);
    expect(tooDeep(bytes(`{"s":"${"[".repeat(100)}"}`), 2)).toBe(false);
    expect(tooDeep(bytes(`{"s":"\\"${"{".repeat(100)}"}`), 2)).toBe(false);
    expect(tooDeep(bytes(`{"s":"\\\\"${",[".repeat(5)}`), 3)).toBe(true);
    expect(tooDeep(bytes('"ü🚀[[["'), 1)).toBe(false);
  });
});

describe("parseJsonLimited", () => {
  test("parses within the limits and returns the decoded text", () => {
    expect(parseJsonLimited(bytes('{"a":[1,2]}'), 4)).toEqual({ text: '{"a":[1,2]}', json: { a: [1, 2] } });
  });
  test("each failure has its own 400 code", () => {
    expect(codeOf(() => parseJsonLimited(new Uint8Array([0x7b, 0xff, 0x7d]), 4))).toBe("invalid_utf8");
    expect(codeOf(() => parseJsonLimited(bytes("[".repeat(10_000)), 128))).toBe("json_too_deep");
    expect(codeOf(() => parseJsonLimited(bytes('{"a":'), 4))).toBe("invalid_json");
  });
});

test("hasNul finds a NUL in keys and nested values", () => {
  expect(hasNul({ a: ["x", { b: "ok" }] })).toBe(false);
  expect(hasNul({ a: ["x", { b: "o\0k" }] })).toBe(true);
  expect(hasNul({ "k\0": 1 })).toBe(true);
});

describe("readBodyLimited", () => {
  const post = (body: BodyInit) => new Request("http://localhost/", { method: "POST", body });
  test("reads a body up to the limit, refuses one past it with 413", async () => {
    expect((await readBodyLimited(post("x".repeat(10)), 10)).byteLength).toBe(10);
    const refused = await readBodyLimited(post("x".repeat(11)), 10).catch((e: GatewayError) => e.status);
    expect(refused).toBe(413);
  });
  test("a body that stops arriving before the deadline is a 408", async () => {
    const stalled = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes('{"a":'));
      },
    });
    const refused = await readBodyLimited(post(stalled), 1_000, { deadlineMs: 50 }).catch(
      (e: GatewayError) => `${e.status} ${e.extra.code}`,
    );
    expect(refused).toBe("408 request_timeout");
  });
});
