import { describe, expect, test } from "bun:test";
import { LineSplitter, SseDataReader } from "./lines.ts";
import { bytes, SPLITS, split } from "./testing.ts";

function lines(input: string, how: "whole" | "bytes" | number): string[] {
  const splitter = new LineSplitter();
  const out: string[] = [];
  for (const piece of split(bytes(input), how)) splitter.push(piece, (l) => out.push(l));
  splitter.end((l) => out.push(l));
  return out;
}

describe("LineSplitter", () => {
  test("LF, CRLF and CR all end lines, whatever the chunk boundaries", () => {
    const input = "one\ntwo\r\nthree\rfour\r\n\r\nsix é✓ 𝄞\nlast";
    for (const how of SPLITS) {
      expect(lines(input, how)).toEqual(["one", "two", "three", "four", "", "six é✓ 𝄞", "last"]);
    }
  });

  test("a CRLF cut between two chunks is one line break", () => {
    const splitter = new LineSplitter();
    const out: string[] = [];
    splitter.push(bytes("a\r"), (l) => out.push(l));
    splitter.push(bytes("\nb\n"), (l) => out.push(l));
    expect(out).toEqual(["a", "b"]);
  });
});

describe("SseDataReader", () => {
  test("dispatches data on blank lines, joins multi-line data, skips comments and other fields", () => {
    const input =
      ': keep-alive\r\n\r\ndata: {"a":1}\r\n\r\nevent: x\nid: 7\ndata: one\ndata:two\n\ndata: [DONE]';
    for (const how of SPLITS) {
      const reader = new SseDataReader();
      const out: string[] = [];
      for (const piece of split(bytes(input), how)) reader.push(piece, (d) => out.push(d));
      reader.end((d) => out.push(d));
      expect(out).toEqual(['{"a":1}', "one\ntwo", "[DONE]"]);
    }
  });
});
