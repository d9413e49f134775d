// Cost arithmetic: exact integer µ$, one half-up rounding, cache TTL split, long-context tiers, reservations.

import { describe, expect, test } from "bun:test";
import { costMicros, estimateInputTokens, worstCaseCostMicrosForPrice } from "./cost.ts";
import { lookupPrice, type Price } from "./prices.ts";
import { emptyUsage, type Usage } from "./usage.ts";

function price(model: string): Price {
  const p = lookupPrice(model);
  if (!p) throw new Error(`no price for ${model}`);
  return p;
}

const usage = (u: Partial<Usage>): Usage => ({ ...emptyUsage(), ...u });

const flat = (rate: number): Price => ({
  input: rate,
  output: rate,
  cacheWrite5m: rate,
  cacheWrite1h: rate,
  cacheRead: rate,
});

describe("costMicros", () => {
  test("claude-sonnet-4-5: 1000 input + 500 output = 10 500 µ$", () => {
    expect(costMicros(usage({ inputTokens: 1000, outputTokens: 500 }), price("claude-sonnet-4-5"))).toBe(
      10_500,
    );
  });

  test("empty usage costs nothing", () => {
    expect(costMicros(emptyUsage(), price("claude-opus-4-1"))).toBe(0);
  });

  test("5 min and 1 h cache writes are priced apart", () => {
    const sonnet = price("claude-sonnet-4-5");
    // 10 000 writes, all 5 min: 10 000 × $3.75 / MTok
    expect(costMicros(usage({ cacheCreationInputTokens: 10_000 }), sonnet)).toBe(37_500);
    // 10 000 writes, all 1 h: 10 000 × $6 / MTok
    expect(
      costMicros(usage({ cacheCreationInputTokens: 10_000, cacheCreation1hInputTokens: 10_000 }), sonnet),
    ).toBe(60_000);
    // 6 000 at 5 min + 4 000 at 1 h
    expect(
      costMicros(usage({ cacheCreationInputTokens: 10_000, cacheCreation1hInputTokens: 4_000 }), sonnet),
    ).toBe(22_500 + 24_000);
  });

  test("a 1 h count above the total is clamped instead of making 5 min writes negative", () => {
    const sonnet = price("claude-sonnet-4-5");
    expect(
      costMicros(usage({ cacheCreationInputTokens: 1_000, cacheCreation1hInputTokens: 5_000 }), sonnet),
    ).toBe(6_000);
  });

  test("cache reads", () => {
    expect(costMicros(usage({ cacheReadInputTokens: 100_000 }), price("claude-opus-4-5"))).toBe(50_000);
  });

  test("a full request on Opus 4.1", () => {
    const u = usage({
      inputTokens: 1_234,
      outputTokens: 567,
      cacheCreationInputTokens: 2_000,
      cacheCreation1hInputTokens: 500,
      cacheReadInputTokens: 30_000,
    });
    // 1234×15 + 567×75 + 1500×18.75 + 500×30 + 30000×1.5 = 18510 + 42525 + 28125 + 15000 + 45000
    expect(costMicros(u, price("claude-opus-4-1"))).toBe(149_160);
  });

  test("rounds half-up", () => {
    // 1 token at 0.5 µ$ → 0.5 → 1; 1 token at 0.499999 µ$ → 0
    expect(costMicros(usage({ inputTokens: 1 }), flat(500_000))).toBe(1);
    expect(costMicros(usage({ inputTokens: 1 }), flat(499_999))).toBe(0);
    expect(costMicros(usage({ inputTokens: 3 }), flat(500_000))).toBe(2); // 1.5 → 2
  });

  test("rounds once at the end, not per component", () => {
    // Five components of 0.4 µ$ each: 2.0 µ$ in total. Rounding each would give 0; ceiling each, 5.
    const u = usage({
      inputTokens: 1,
      outputTokens: 1,
      cacheCreationInputTokens: 2,
      cacheCreation1hInputTokens: 1,
      cacheReadInputTokens: 1,
    });
    expect(costMicros(u, flat(400_000))).toBe(2);
    // Haiku 3: 2 input at $0.25 = 0.5 µ$, 2 output at $1.25 = 2.5 µ$. Total 3; half-up per component, 4.
    expect(costMicros(usage({ inputTokens: 2, outputTokens: 2 }), price("claude-3-haiku"))).toBe(3);
  });

  test("long-context tier applies to the whole request above the threshold", () => {
    const sonnet = price("claude-sonnet-4-5");
    // Exactly 200 000 prompt tokens stays on base rates.
    expect(costMicros(usage({ inputTokens: 200_000, outputTokens: 1_000 }), sonnet)).toBe(600_000 + 15_000);
    // Cache reads count towards the threshold; everything then bills at $6 / $22.50, reads at $0.60.
    expect(
      costMicros(usage({ inputTokens: 1_000, cacheReadInputTokens: 199_001, outputTokens: 1_000 }), sonnet),
    ).toBe(147_901); // 6 000 + 119 400.6 + 22 500, rounded
  });

  test("Haiku 5.5 short and long prompts", () => {
    const haiku = price("claude-haiku-5-5");
    expect(costMicros(usage({ inputTokens: 100_000, outputTokens: 10_000 }), haiku)).toBe(10_000 + 5_000);
    expect(costMicros(usage({ inputTokens: 100_001, outputTokens: 10_000 }), haiku)).toBe(50_001 + 25_000);
  });

  test("garbage token counts count as zero", () => {
    const u = usage({ inputTokens: Number.NaN, outputTokens: -5, cacheReadInputTokens: Infinity });
    expect(costMicros(u, price("claude-sonnet-4-5"))).toBe(0);
  });

  test("stays exact beyond 2^53 intermediate sums", () => {
    // 1e12 tokens × 75e6 µ$/MTok = 7.5e19, far past Number.MAX_SAFE_INTEGER.
    const u = usage({ outputTokens: 1e12 + 1 });
    expect(costMicros(u, price("claude-opus-4-1"))).toBe(75_000_000_000_075);
  });

  test("free models cost nothing", () => {
    expect(costMicros(usage({ inputTokens: 1e6, outputTokens: 1e6 }), price("ollama/llama3"))).toBe(0);
  });
});

describe("worstCaseCostMicrosForPrice", () => {
  test("input at the 1 h cache-write rate, max_tokens at the output rate, rounded up", () => {
    // Sonnet 4.5: 1000 × $6 + 500 × $15 = 6 000 + 7 500
    expect(worstCaseCostMicrosForPrice(price("claude-sonnet-4-5"), 1000, 500)).toBe(13_500);
    // 1 token at $6 / MTok = 6 µ$; 1 token of Haiku 3 output at $1.25 = 1.25 µ$ → 2
    expect(worstCaseCostMicrosForPrice(price("claude-3-haiku"), 0, 1)).toBe(2);
    expect(worstCaseCostMicrosForPrice(price("claude-3-haiku"), 0, 0)).toBe(0);
  });

  test("is never below the cost of any outcome within the limits", () => {
    const opus = price("claude-opus-4-5");
    const worst = worstCaseCostMicrosForPrice(opus, 10_000, 2_000);
    const actual = costMicros(
      usage({ cacheCreationInputTokens: 10_000, cacheCreation1hInputTokens: 10_000, outputTokens: 2_000 }),
      opus,
    );
    expect(worst).toBe(actual);
  });

  test("OpenAI reserves at plain input price", () => {
    expect(worstCaseCostMicrosForPrice(price("gpt-4o"), 1_000, 1_000)).toBe(2_500 + 10_000);
  });

  test("uses the long-context tier when the estimate crosses it", () => {
    const sonnet = price("claude-sonnet-4-5");
    expect(worstCaseCostMicrosForPrice(sonnet, 300_000, 1_000)).toBe(300_000 * 12 + 22_500);
  });
});

test("estimateInputTokens: bytes / 3 rounded up", () => {
  expect(estimateInputTokens(0)).toBe(0);
  expect(estimateInputTokens(1)).toBe(1);
  expect(estimateInputTokens(3)).toBe(1);
  expect(estimateInputTokens(4)).toBe(2);
  expect(estimateInputTokens(300_000)).toBe(100_000);
  expect(estimateInputTokens(-10)).toBe(0);
});
