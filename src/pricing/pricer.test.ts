// Pricer: default price and one-time report for unknown models, overrides, and the bounded cache.

import { expect, test } from "bun:test";
import { createPricer } from "./pricer.ts";
import type { Price } from "./prices.ts";
import { emptyUsage } from "./usage.ts";

const DEFAULT: Price = {
  input: 20_000_000,
  output: 100_000_000,
  cacheWrite5m: 25_000_000,
  cacheWrite1h: 40_000_000,
  cacheRead: 2_000_000,
};

test("known models are priced from the table", () => {
  const pricer = createPricer({ defaultPrice: DEFAULT });
  const result = pricer.priceFor("claude-sonnet-4-5-20250929");
  expect(result.known).toBe(true);
  expect(result.price.input).toBe(3_000_000);
  expect(pricer.cost("claude-sonnet-4-5", { ...emptyUsage(), inputTokens: 1000, outputTokens: 500 })).toBe(
    10_500,
  );
});

test("an unknown model gets the default price and is reported once", () => {
  const reported: string[] = [];
  const pricer = createPricer({ defaultPrice: DEFAULT, onUnknown: (m) => reported.push(m) });
  for (let i = 0; i < 5; i++) {
    const result = pricer.priceFor("mistral-large-latest");
    expect(result).toEqual({ price: DEFAULT, known: false });
  }
  pricer.cost("mistral-large-latest", emptyUsage());
  pricer.priceFor("claude-sonnet-4-5");
  pricer.priceFor("some-other-model");
  expect(reported).toEqual(["mistral-large-latest", "some-other-model"]);
});

test("an unknown model evicted from the cache is not reported again", () => {
  const reported: string[] = [];
  const pricer = createPricer({ defaultPrice: DEFAULT, onUnknown: (m) => reported.push(m), cacheSize: 2 });
  pricer.priceFor("mystery");
  pricer.priceFor("claude-opus-4-5");
  pricer.priceFor("claude-haiku-4-5");
  pricer.priceFor("mystery");
  expect(reported).toEqual(["mystery"]);
});

test("the cache stays bounded and results stay correct after eviction", () => {
  const pricer = createPricer({ defaultPrice: DEFAULT, cacheSize: 10 });
  for (let i = 0; i < 1000; i++) pricer.priceFor(`unknown-${i}`);
  expect(pricer.priceFor("claude-opus-4-1").price.input).toBe(15_000_000);
  expect(pricer.priceFor("claude-opus-4-1").price.input).toBe(15_000_000);
});

test("repeated lookups return the cached result", () => {
  const pricer = createPricer({ defaultPrice: DEFAULT });
  expect(pricer.priceFor("claude-opus-4-8")).toBe(pricer.priceFor("claude-opus-4-8"));
});

test("overrides win over the table and are matched case-insensitively", () => {
  const custom: Price = { input: 1, output: 2, cacheWrite5m: 3, cacheWrite1h: 4, cacheRead: 5 };
  const pricer = createPricer({
    defaultPrice: DEFAULT,
    overrides: { "Claude-Sonnet-4-5": custom, "my-finetune": custom },
  });
  expect(pricer.priceFor("claude-sonnet-4-5")).toEqual({ price: custom, known: true });
  expect(pricer.priceFor("my-finetune")).toEqual({ price: custom, known: true });
  expect(pricer.priceFor("claude-sonnet-4-6").price.input).toBe(3_000_000);
});

test("worst-case reservation goes through the model's price", () => {
  const pricer = createPricer({ defaultPrice: DEFAULT });
  expect(pricer.worstCaseCostMicros("claude-sonnet-4-5", 1000, 500)).toBe(13_500);
  // Unknown: 1000 × $40 (1 h write) + 500 × $100
  expect(pricer.worstCaseCostMicros("who-knows", 1000, 500)).toBe(90_000);
});

test("absurdly long model names are looked up by a bounded key", () => {
  const reported: string[] = [];
  const pricer = createPricer({ defaultPrice: DEFAULT, onUnknown: (m) => reported.push(m) });
  const huge = `x${"y".repeat(100_000)}`;
  expect(pricer.priceFor(huge).known).toBe(false);
  expect(pricer.priceFor(`${huge}z`).known).toBe(false);
  expect(reported).toHaveLength(1);
  expect(reported[0]?.length).toBe(256);
});
