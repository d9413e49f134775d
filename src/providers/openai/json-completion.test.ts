import { expect, test } from "bun:test";
import { JsonCompletion } from "./json-completion.ts";

function completeAfter(pieces: string[]): number {
  const json = new JsonCompletion();
  for (const [i, p] of pieces.entries()) {
    json.feed(p);
    if (json.complete) return i;
  }
  return -1;
}

test("complete exactly when the top-level object closes, brackets in strings and escapes ignored", () => {
  expect(completeAfter(['{"a":', '"}]\\"{"', ', "b": [1, {"c": 2}]', "}", " "])).toBe(3);
  expect(completeAfter(["{", '"path": "C:\\\\dir\\\\"', "}"])).toBe(2);
  expect(completeAfter(['{"a": "unterminated }'])).toBe(-1);
  expect(completeAfter(["", "  "])).toBe(-1);
  expect(completeAfter(["[1,2]"])).toBe(0);
});
