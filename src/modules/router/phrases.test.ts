// The phrase matcher finds exactly what the `\b(?:…)` regex of each list finds, and does so by its own rules.
import { describe, expect, test } from "bun:test";
import { ALL } from "../../../bench/routing/set/index.ts";
import { type PhraseList, phraseMatcher } from "./phrases.ts";
import { shapeOf } from "./pivot.ts";
import { PHRASE_LISTS, windowOf } from "./signals.ts";

// The notation's meaning, written as the regex the lists were before the matcher replaced them.
const escapeRegex = (s: string) => s.replace(/[\\^$.+?()[\]{}|/]/g, "\\$&");
function variantSource(v: string): string {
  const boundary = v.endsWith("\\b");
  const text = boundary ? v.slice(0, -2) : v;
  return escapeRegex(text).replace(/\*/g, "\\w+") + (boundary ? "\\b" : "");
}
function reference(list: PhraseList): (text: string) => string[] {
  const re = new RegExp(
    `\\b(?:${list.map((i) => i.split("|").map(variantSource).join("|")).join("|")})`,
    "g",
  );
  return (text) => [...new Set(text.match(re) ?? [])];
}

const matcher = phraseMatcher(PHRASE_LISTS);
const references = PHRASE_LISTS.map(reference);
const agree = (text: string) => {
  expect(matcher.scan(text)).toEqual(references.map((r) => r(text)));
};

/** Seeded, so a failure names a text that can be reproduced. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (Math.imul(a, 1_664_525) + 1_013_904_223) >>> 0;
    return a / 4_294_967_296;
  };
}

describe("the matcher agrees with the lists' regexes", () => {
  test("on every turn of the labelled set, as the score method reads it", () => {
    for (const item of ALL) agree(windowOf(shapeOf(item.body).typed).toLowerCase());
  });

  test("on random text made of the phrases, their pieces and glue that tests boundaries", () => {
    const pieces = PHRASE_LISTS.flat()
      .flatMap((i) => i.split("|"))
      .map((v) => v.replace(/\\b$/, "").replace(/\*/g, "python"));
    const glue = [" ", "", "s", "ing", "-", "'", "_", "1", ".", "\n", "é", "  ", "x"];
    const random = rng(15);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)] as T;
    for (let n = 0; n < 3_000; n++) {
      let text = "";
      const parts = 1 + Math.floor(random() * 8);
      for (let k = 0; k < parts; k++) {
        const piece = pick(pieces);
        // Whole phrases, their prefixes and their tails: near misses are where a matcher goes wrong.
        const r = random();
        text +=
          r < 0.6
            ? piece
            : r < 0.8
              ? piece.slice(0, 1 + Math.floor(random() * piece.length))
              : piece.slice(1);
        text += pick(glue);
      }
      agree(text);
    }
  });
});

describe("the notation", () => {
  const scan = (list: PhraseList, text: string) => phraseMatcher([list]).scan(text)[0];

  test("an item matches from a word start and may end inside a word", () => {
    expect(scan(["concurren"], "concurrency, nonconcurrent")).toEqual(["concurren"]);
  });

  test("a trailing \\b needs a word boundary", () => {
    expect(scan(["plan\\b"], "planet plans plan.")).toEqual(["plan"]);
  });

  test("* is one word", () => {
    expect(scan(["write * code|write code"], "write python code; write code; write two words code")).toEqual([
      "write python code",
      "write code",
    ]);
  });

  test("the first item in list order wins at a position, not the longest", () => {
    expect(scan(["write a", "write an"], "write an essay")).toEqual(["write a"]);
    expect(scan(["write an", "write a"], "write an essay")).toEqual(["write an"]);
  });

  test("the search resumes after a match, as a global regex does", () => {
    // "at least" consumes "least"; the second item cannot start inside that match.
    expect(scan(["at least", "least"], "at least")).toEqual(["at least"]);
    expect(scan(["at least", "least"], "at least, least")).toEqual(["at least", "least"]);
  });

  test("a phrase must start with a word character, and * be followed by a non-word one", () => {
    expect(() => phraseMatcher([["-x"]])).toThrow();
    expect(() => phraseMatcher([["write *code"]])).toThrow();
  });
});
