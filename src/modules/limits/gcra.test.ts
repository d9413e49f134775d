// GCRA decisions with time passed in: bursts, refusals, refill.
import { expect, test } from "bun:test";
import { gcra } from "./gcra.ts";

test("limit 5/min: five pass with falling remaining, the sixth is refused, a minute later it passes", () => {
  let tat = 0;
  const t0 = 1_000_000;
  const remaining: number[] = [];
  for (let i = 0; i < 5; i++) {
    const step = gcra(tat, t0, 5);
    expect(step.decision.allowed).toBe(true);
    remaining.push(step.decision.remaining);
    tat = step.tat;
  }
  expect(remaining).toEqual([4, 3, 2, 1, 0]);
  const sixth = gcra(tat, t0, 5);
  expect(sixth.decision).toMatchObject({
    allowed: false,
    remaining: 0,
    retryAfterSeconds: 12,
    resetSeconds: 60,
  });
  expect(sixth.tat).toBe(tat);
  // One emission interval later exactly one more passes.
  expect(gcra(tat, t0 + 11_999, 5).decision.allowed).toBe(false);
  expect(gcra(tat, t0 + 12_000, 5).decision.allowed).toBe(true);
  // After the whole window the full burst is back.
  let later = tat;
  for (let i = 0; i < 5; i++) {
    const step = gcra(later, t0 + 60_000, 5);
    expect(step.decision.allowed).toBe(true);
    later = step.tat;
  }
  expect(gcra(later, t0 + 60_000, 5).decision.allowed).toBe(false);
});

test("under steady pressure: one burst of `limit`, then exactly `limit` per minute", () => {
  let tat = 0;
  const accepted: number[] = [];
  for (let t = 0; t < 300_000; t += 250) {
    const step = gcra(tat, t, 10);
    if (step.decision.allowed) {
      tat = step.tat;
      accepted.push(t);
    }
  }
  // A burst of 10, then one per 6 s: at most 10 + (window / 6 s) in any 60 s window with the burst.
  for (let i = 0; i < accepted.length; i++) {
    const inWindow = accepted.filter(
      (t) => t >= (accepted[i] ?? 0) && t < (accepted[i] ?? 0) + 60_000,
    ).length;
    expect(inWindow).toBeLessThanOrEqual(20);
  }
  // Steady state: after the burst, exactly one every 6 s.
  expect(accepted.filter((t) => t >= 60_000 && t < 120_000).length).toBe(10);
});
