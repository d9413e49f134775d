// The line counts agree with the multiline regexes that define them, on the labelled set and on random text.
import { describe, expect, test } from "bun:test";
import { ALL } from "../../../bench/routing/set/index.ts";
import { CODE_KEYWORDS, isSpace, lineCounts } from "./lines.ts";
import { shapeOf } from "./pivot.ts";
import { windowOf } from "./signals.ts";

const CODE_OPENING = new RegExp(`^\\s*(?:${[...CODE_KEYWORDS].join("|")}|#include)\\b`, "gm");
const CODE_ENDING = /(?:[;{}]|=>)[ \t]*$/gm;
const LIST_ITEM = /^\s*(?:\d+[.)]|[-*•])\s+/gm;
const count = (re: RegExp, text: string) => text.match(re)?.length ?? 0;
const agree = (text: string) => {
  expect(lineCounts(text)).toEqual({
    codeOpenings: count(CODE_OPENING, text),
    codeEndings: count(CODE_ENDING, text),
    listItems: count(LIST_ITEM, text),
  });
};

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (Math.imul(a, 1_664_525) + 1_013_904_223) >>> 0;
    return a / 4_294_967_296;
  };
}

describe("line counts agree with their regexes", () => {
  test("on every turn of the labelled set, as the score method reads it", () => {
    for (const item of ALL) agree(windowOf(shapeOf(item.body).typed).toLowerCase());
  });

  test("on random lines of keywords, markers, code endings and every kind of space and line end", () => {
    const pieces = [
      ...CODE_KEYWORDS,
      "#include",
      "#includes",
      "format",
      "x",
      "1.",
      "12)",
      "3",
      "-",
      "*",
      "•",
      ";",
      "{",
      "}",
      "=>",
      "=",
      ">",
      "_",
      "é",
    ];
    const spaces = [" ", "  ", "\t", "\u00a0", "\u2003", "\ufeff", "\v", ""];
    const ends = ["\n", "\r\n", "\r", "\u2028", "\u2029", "\n\n"];
    const random = rng(15);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)] as T;
    for (let n = 0; n < 3_000; n++) {
      let text = "";
      const lines = 1 + Math.floor(random() * 6);
      for (let l = 0; l < lines; l++) {
        const parts = Math.floor(random() * 5);
        for (let k = 0; k < parts; k++) text += pick(spaces) + pick(pieces);
        if (random() < 0.5) text += pick(spaces);
        if (l < lines - 1 || random() < 0.3) text += pick(ends);
      }
      agree(text);
    }
  });
});

test("isSpace is exactly what a regex \\s matches", () => {
  const wrong: number[] = [];
  for (let c = 0; c < 0x10000; c++) if (isSpace(c) !== /\s/.test(String.fromCharCode(c))) wrong.push(c);
  expect(wrong).toEqual([]);
});
