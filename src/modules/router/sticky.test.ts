// Cache-aware stickiness: a conversation keeps its tier (and its cached prefix) unless the score says otherwise clearly.
import { expect, test } from "bun:test";
import { createRouter, type RoutingPivot } from "./index.ts";
import { shapeOf } from "./pivot.ts";
import { conversationKey, DOWN_PREFIX_LIMIT, StickyTiers, shouldStay } from "./sticky.ts";

// ~2 500 tokens: long enough for the upstream to cache it.
const SYSTEM = "You are a coding assistant for the Acme monorepo. Follow the style guide. ".repeat(140);
const conversation = (system: string, ...turns: string[]): RoutingPivot => {
  const messages: Array<{ role: string; content: string }> = [];
  turns.forEach((t, i) => {
    if (i) messages.push({ role: "assistant", content: "Done." });
    messages.push({ role: "user", content: t });
  });
  return { system, max_tokens: 1024, messages };
};
const FIRST = "Write a Python function that merges two sorted lists.";
const FOLLOW_UP = "now add a docstring";

test("a follow-up that alone would move down stays on the conversation's tier, and the reason says why", () => {
  let now = 0;
  const router = createRouter({ now: () => now });
  const first = router.decide(conversation(SYSTEM, FIRST), "score");
  expect(first).toMatchObject({ tier: "middle" });
  expect(first.sticky).toBeUndefined();
  expect(createRouter().decide(conversation(SYSTEM, FOLLOW_UP), "score").tier).toBe("cheap");
  now += 10_000;
  const next = router.decide(conversation(SYSTEM, FIRST, FOLLOW_UP), "score");
  expect(next).toMatchObject({ tier: "middle", sticky: true });
  expect(next.reason).toMatch(
    /^middle tier: sticky \(kept for ~\d+ cached prefix tokens; score .* alone would pick cheap\)$/,
  );
});

test("a hard ask moves the conversation up at once, and the reason names the forfeited prefix", () => {
  const router = createRouter({ now: () => 0 });
  router.decide(conversation(SYSTEM, "hi"), "score");
  const hard = router.decide(
    conversation(SYSTEM, "hi", "Prove that every planar graph is 5-colorable."),
    "score",
  );
  expect(hard).toMatchObject({ tier: "top", switchedFrom: "cheap" });
  expect(hard.sticky).toBeUndefined();
  expect(hard.forfeitedPrefixTokens).toBeGreaterThan(2_000);
  expect(hard.reason).toMatch(/switched from cheap, ~\d+ cached prefix tokens forfeited\)$/);
});

test("without a cacheable prefix there is nothing to keep: every turn is judged alone", () => {
  const router = createRouter({ now: () => 0 });
  router.decide(conversation("Be brief.", FIRST), "score");
  const next = router.decide(conversation("Be brief.", FIRST, FOLLOW_UP), "score");
  expect(next.tier).toBe("cheap");
  expect(next.sticky).toBeUndefined();
  expect(next.switchedFrom).toBeUndefined();
});

test("stickiness ends with the prompt cache's lifetime, and other conversations are unaffected", () => {
  let now = 0;
  const router = createRouter({ now: () => now });
  router.decide(conversation(SYSTEM, FIRST), "score");
  now += 6 * 60_000; // past the 5-minute cache lifetime
  const late = router.decide(conversation(SYSTEM, FIRST, FOLLOW_UP), "score");
  expect(late.tier).toBe("cheap");
  expect(late.sticky).toBeUndefined();
  expect(router.decide(conversation(SYSTEM, "thanks"), "score").sticky).toBeUndefined();
});

test("the trade: up only past a margin, down only when clearly lower and the cache is small", () => {
  // Up: a borderline score stays, a clear one moves.
  expect(shouldStay("middle", "top", 3.0, 5_000)).toBe(true);
  expect(shouldStay("middle", "top", 4.0, 5_000)).toBe(false);
  // Down: a score just under the tier stays; a clearly lower one moves while the cache is small...
  expect(shouldStay("top", "middle", 2.5, 5_000)).toBe(true);
  expect(shouldStay("top", "cheap", 0.0, 5_000)).toBe(false);
  // ...but not when re-writing the cache on the cheaper model costs more than the answer saves.
  expect(shouldStay("top", "cheap", 0.0, DOWN_PREFIX_LIMIT)).toBe(true);
  // A top-tier score never stays on the cheap tier, however borderline.
  expect(shouldStay("cheap", "top", 2.9, 50_000)).toBe(false);
  expect(shouldStay("cheap", "middle", 1.0, 50_000)).toBe(true);
  // Nothing cached: never stay.
  expect(shouldStay("top", "cheap", 2.5, 500)).toBe(false);
});

test("the rules method is never sticky", () => {
  const router = createRouter({ now: () => 0 });
  router.decide(conversation(SYSTEM, "x".repeat(9_000)), "rules");
  expect(router.decide(conversation(SYSTEM, "x".repeat(9_000), "hi"), "rules").tier).toBe("cheap");
});

test("the memory is bounded: the least recently routed conversation is forgotten first", () => {
  const tiers = new StickyTiers(() => 0, 2);
  tiers.remember("a", "top");
  tiers.remember("b", "cheap");
  tiers.remember("a", "top"); // a is now the most recent
  tiers.remember("c", "middle");
  expect(tiers.size).toBe(2);
  expect(tiers.previous("b")).toBeNull();
  expect(tiers.previous("a")).toBe("top");
  expect(tiers.previous("c")).toBe("middle");
});

test("a conversation is named by its system prompt and first user turn, not by what follows", () => {
  const key = (p: RoutingPivot, partition = "") => conversationKey(shapeOf(p).conversation, partition);
  const long = `${"x".repeat(5_000)} middle ${"y".repeat(5_000)}`;
  const same = key(conversation(SYSTEM, FIRST));
  expect(key(conversation(SYSTEM, FIRST, FOLLOW_UP, "and tests"))).toBe(same);
  expect(key(conversation(SYSTEM, FIRST), "another key")).not.toBe(same);
  expect(key(conversation(`${SYSTEM}.`, FIRST))).not.toBe(same);
  expect(key(conversation(SYSTEM, `${FIRST}!`))).not.toBe(same);
  // A long text is told apart by its length and ends, and a system prompt in blocks by each block.
  expect(key(conversation(long, FIRST))).not.toBe(key(conversation(`${long}z`, FIRST)));
  expect(key(conversation(long, FIRST))).not.toBe(key(conversation(`z${long}`, FIRST)));
  const blocks = (...texts: string[]): RoutingPivot => ({
    system: texts.map((text) => ({ type: "text", text })),
    messages: [{ role: "user", content: FIRST }],
  });
  expect(key(blocks("a", "b"))).toBe(key(blocks("a", "b")));
  expect(key(blocks("a", "b"))).not.toBe(key(blocks("ab")));
  expect(key(blocks("a", "b"))).not.toBe(key(blocks("b", "a")));
});
