// The score method on real asks: the misroutes of the spec's rules that it exists to fix.
import { describe, expect, test } from "bun:test";
import { createRouter, type RoutingPivot, type Tier } from "./index.ts";

const turn = (text: string, extra: Partial<RoutingPivot> = {}): RoutingPivot => ({
  max_tokens: 1024,
  messages: [{ role: "user", content: text }],
  ...extra,
});
const tierOf = (pivot: RoutingPivot): Tier => createRouter().decide(pivot, "score").tier;

describe("short but hard asks go to the top tier", () => {
  test.each([
    "Prove that every planar graph is 5-colorable.",
    "Find the race condition:\n\n```go\nvar n int\nfor i := 0; i < 10; i++ { go func() { n++ }() }\n```",
    "Show that a graph is bipartite if and only if it has no odd cycle.",
    "Design a distributed rate limiter for an API gateway running in 12 regions.",
    "Why does this Python code deadlock sometimes?\n\n```python\nwith a:\n    with b:\n        pass\n```",
  ])("%p", (text) => {
    expect(tierOf(turn(text))).toBe("top");
  });
});

describe("ordinary coding asks go to the middle tier", () => {
  test.each([
    "Write a SQL query that returns the top 5 customers by total order value in 2024, with their email.",
    "Write a Python function that checks whether a string is a palindrome, ignoring punctuation and case.",
    "Explain how JavaScript promises work, with a short example.",
    "How do I set up ESLint and Prettier together in a new TypeScript project?",
  ])("%p", (text) => {
    expect(tierOf(turn(text))).toBe("middle");
  });
});

describe("simple asks stay cheap, even when they name a hard word", () => {
  test.each([
    "hi",
    "translate this to French: good morning",
    "What's the capital of Australia?",
    "What does 'refactor' mean in programming, in one sentence?",
    "Define 'idempotent' in one line",
    "Summarize in one sentence: The meeting was moved from Tuesday to Thursday.",
  ])("%p", (text) => {
    expect(tierOf(turn(text))).toBe("cheap");
  });
});

test("what the request asks of the model counts: a large thinking budget lifts a plain ask", () => {
  const ask = "Should the flag be called --dry or --dry-run? Pick one for our CLI.";
  expect(tierOf(turn(ask))).not.toBe("top");
  expect(tierOf(turn(ask, { thinking: { type: "enabled", budget_tokens: 31_999 } }))).toBe("top");
});

test("a tiny max_tokens pulls an ordinary ask down", () => {
  const ask = "Explain how JavaScript promises work, with a short example.";
  expect(tierOf(turn(ask))).toBe("middle");
  expect(tierOf(turn(ask, { max_tokens: 50 }))).toBe("cheap");
});

test("the reason names the deciding signal and the score, in the shape the reports group by", () => {
  const d = createRouter().decide(turn("Prove that every planar graph is 5-colorable."), "score");
  expect(d).toMatchObject({ tier: "top", method: "score" });
  expect(d.reason).toMatch(/^top tier: reasoning "prove" \(score \d+\.\d/);
  expect(d.score).toBeGreaterThanOrEqual(2.8);
});

test("rules stays the spec's method, reason prefixed with the tier", () => {
  const d = createRouter().decide(turn("Prove that every planar graph is 5-colorable."), "rules");
  expect(d).toEqual({ tier: "cheap", method: "rules", reason: "cheap tier: short input (~12 tokens < 200)" });
});

test("hostile input never throws: special-token text, empty and malformed bodies", () => {
  const router = createRouter();
  expect(router.decide(turn("<|endoftext|> <|im_start|>"), "score").tier).toBe("cheap");
  expect(router.decide({}, "score").tier).toBe("cheap");
  expect(router.decide({ messages: "nope", system: 42, tools: {}, thinking: "yes" }, "score").tier).toBe(
    "cheap",
  );
  expect(router.decide({ messages: [null, { role: "user", content: [null, 1] }] }, "score").tier).toBe(
    "cheap",
  );
});
