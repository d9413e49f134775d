// Price table: every family's list price and the family/version matching of real-world model names.

import { describe, expect, test } from "bun:test";
import { FREE_PRICE, lookupPrice, type Price } from "./prices.ts";

const M = 1_000_000;

/** [input, output] in dollars per MTok, as the price pages print them. */
function listPrice(model: string): [number, number] {
  const price = lookupPrice(model);
  if (!price) throw new Error(`no price for ${model}`);
  return [price.input / M, price.output / M];
}

function rates(model: string): Price {
  const price = lookupPrice(model);
  if (!price) throw new Error(`no price for ${model}`);
  return price;
}

describe("Anthropic families", () => {
  test.each([
    // Opus: $15/$75 up to 4.1, $5/$25 from 4.5, $4/$20 from 5.5
    ["claude-3-opus-20240229", 15, 75],
    ["claude-3-opus-latest", 15, 75],
    ["claude-opus-4-20250514", 15, 75],
    ["claude-opus-4-0", 15, 75],
    ["claude-opus-4-1-20250805", 15, 75],
    ["claude-opus-4-5", 5, 25],
    ["claude-opus-4-5-20251101", 5, 25],
    ["claude-opus-4-6", 5, 25],
    ["claude-opus-4-7", 5, 25],
    ["claude-opus-4-8", 5, 25],
    ["claude-opus-4-9", 5, 25],
    ["claude-opus-5", 5, 25],
    ["claude-opus-5-5", 4, 20],
    // Sonnet: $3/$15 through 4.6, $2/$10 from 5
    ["claude-3-sonnet-20240229", 3, 15],
    ["claude-3-5-sonnet-20241022", 3, 15],
    ["claude-3-7-sonnet-latest", 3, 15],
    ["claude-sonnet-4-20250514", 3, 15],
    ["claude-sonnet-4-5", 3, 15],
    ["claude-sonnet-4-6", 3, 15],
    ["claude-sonnet-5", 2, 10],
    ["claude-sonnet-5-5", 2, 10],
    // Haiku
    ["claude-3-haiku-20240307", 0.25, 1.25],
    ["claude-3-5-haiku-latest", 0.8, 4],
    ["claude-3-5-haiku-20241022", 0.8, 4],
    ["claude-haiku-4-5", 1, 5],
    ["claude-haiku-4-5-20251001", 1, 5],
    ["claude-haiku-5-5", 0.1, 0.5],
    // Mythos class
    ["claude-fable-5", 10, 50],
    ["claude-fable-5-1", 10, 50],
    ["claude-fable-5-2", 8, 40],
    ["claude-mythos-5", 10, 50],
    ["claude-mythos-5-1", 10, 50],
    ["claude-mythos-5-2", 8, 40],
    ["claude-mythos-preview", 25, 125],
  ])("%s costs $%d / $%d", (model, input, output) => {
    expect(listPrice(model)).toEqual([input, output]);
  });

  test("cache rates follow 1.25× / 2× / 0.1× of input", () => {
    expect(rates("claude-sonnet-4-5")).toMatchObject({
      input: 3_000_000,
      output: 15_000_000,
      cacheWrite5m: 3_750_000,
      cacheWrite1h: 6_000_000,
      cacheRead: 300_000,
    });
    expect(rates("claude-opus-4-5")).toMatchObject({
      cacheWrite5m: 6_250_000,
      cacheWrite1h: 10_000_000,
      cacheRead: 500_000,
    });
    expect(rates("claude-opus-4-1")).toMatchObject({
      cacheWrite5m: 18_750_000,
      cacheWrite1h: 30_000_000,
      cacheRead: 1_500_000,
    });
    expect(rates("claude-3-5-haiku")).toMatchObject({
      cacheWrite5m: 1_000_000,
      cacheWrite1h: 1_600_000,
      cacheRead: 80_000,
    });
  });

  test("models whose published cache rates are not the standard multiples", () => {
    // Haiku 3's rates are rounded on the price page.
    expect(rates("claude-3-haiku-20240307")).toMatchObject({
      cacheWrite5m: 300_000,
      cacheWrite1h: 500_000,
      cacheRead: 30_000,
    });
    expect(rates("claude-opus-5-5")).toMatchObject({
      cacheWrite5m: 5_000_000,
      cacheWrite1h: 8_000_000,
      cacheRead: 200_000,
    });
    expect(rates("claude-fable-5").cacheRead).toBe(1_000_000);
    expect(rates("claude-fable-5-1").cacheRead).toBe(250_000);
    expect(rates("claude-fable-5-2")).toMatchObject({
      cacheWrite5m: 10_000_000,
      cacheWrite1h: 16_000_000,
      cacheRead: 200_000,
    });
    expect(rates("claude-sonnet-5").cacheRead).toBe(200_000);
    expect(rates("claude-sonnet-5-5").cacheRead).toBe(100_000);
  });

  test("long-context tiers", () => {
    expect(rates("claude-sonnet-4-5").longContext).toMatchObject({
      aboveTokens: 200_000,
      input: 6_000_000,
      output: 22_500_000,
    });
    expect(rates("claude-sonnet-4-20250514").longContext?.aboveTokens).toBe(200_000);
    expect(rates("claude-sonnet-4-6").longContext).toBeUndefined();
    expect(rates("claude-opus-4-6").longContext).toBeUndefined();
    expect(rates("claude-haiku-5-5").longContext).toMatchObject({
      aboveTokens: 100_000,
      input: 500_000,
      output: 2_500_000,
      cacheWrite5m: 625_000,
      cacheWrite1h: 1_000_000,
      cacheRead: 50_000,
    });
  });
});

describe("name matching", () => {
  test.each([
    ["anthropic/claude-sonnet-4", 3, 15],
    ["openrouter/anthropic/claude-opus-4.5", 5, 25],
    ["claude-sonnet-4-5@20250929", 3, 15], // Vertex
    ["claude-3-5-sonnet-v2@20241022", 3, 15],
    ["anthropic.claude-3-5-haiku-20241022-v1:0", 0.8, 4], // Bedrock
    ["us.anthropic.claude-opus-4-1-20250805-v1:0", 15, 75],
    ["global.anthropic.claude-sonnet-4-5-20250929-v1:0", 3, 15],
    ["claude-opus-4-6[1m]", 5, 25], // Claude Code's 1M-context spelling
    ["Claude-Opus-4-8", 5, 25],
    ["  claude-haiku-4-5  ", 1, 5],
    ["sonnet", 2, 10], // bare aliases point at the newest model
    ["opus", 4, 20],
    ["haiku", 0.1, 0.5],
  ])("%s → $%d / $%d", (model, input, output) => {
    expect(listPrice(model)).toEqual([input, output]);
  });

  test("future versions take the latest known price of their family", () => {
    expect(listPrice("claude-opus-7")).toEqual([4, 20]);
    expect(listPrice("claude-sonnet-6-1-20280101")).toEqual([2, 10]);
    expect(listPrice("claude-haiku-9")).toEqual([0.1, 0.5]);
    expect(listPrice("claude-fable-6")).toEqual([8, 40]);
  });

  test.each([
    "claude-2.1",
    "claude-instant-1.2",
    "claude-saga-6",
    "my-opus-finetune",
    "gpt-4o-audio-preview",
    "gpt-4o-realtime-preview",
    "gpt-5-pro",
    "o1-pro",
    "llama3.1:8b",
    "",
  ])("unknown: %p", (model) => {
    expect(lookupPrice(model)).toBeNull();
  });
});

describe("OpenAI", () => {
  test.each([
    ["gpt-4o", 2.5, 10, 1.25],
    ["gpt-4o-2024-08-06", 2.5, 10, 1.25],
    ["gpt-4o-2024-05-13", 5, 15, 5],
    ["gpt-4o-mini", 0.15, 0.6, 0.075],
    ["gpt-4o-mini-2024-07-18", 0.15, 0.6, 0.075],
    ["gpt-4.1", 2, 8, 0.5],
    ["gpt-4.1-mini", 0.4, 1.6, 0.1],
    ["gpt-4.1-nano-2025-04-14", 0.1, 0.4, 0.025],
    ["gpt-5", 1.25, 10, 0.125],
    ["gpt-5-2025-08-07", 1.25, 10, 0.125],
    ["gpt-5-mini", 0.25, 2, 0.025],
    ["gpt-5-nano", 0.05, 0.4, 0.005],
    ["gpt-5.1", 1.25, 10, 0.125],
    ["gpt-5.2", 1.75, 14, 0.175],
    ["o1", 15, 60, 7.5],
    ["o1-2024-12-17", 15, 60, 7.5],
    ["o3", 2, 8, 0.5],
    ["o3-mini", 1.1, 4.4, 0.55],
    ["o4-mini", 1.1, 4.4, 0.275],
    ["openai/gpt-4o", 2.5, 10, 1.25],
  ])("%s costs $%d / $%d, cached $%d", (model, input, output, cached) => {
    const price = rates(model);
    expect([price.input / M, price.output / M, price.cacheRead / M]).toEqual([input, output, cached]);
    // No cache-write premium on OpenAI.
    expect(price.cacheWrite5m).toBe(price.input);
    expect(price.cacheWrite1h).toBe(price.input);
  });
});

test("Ollama models are free", () => {
  expect(lookupPrice("ollama/llama3.1:8b")).toBe(FREE_PRICE);
});

test("every rate in the table is a non-negative integer", () => {
  const models = [
    "claude-3-opus",
    "claude-opus-4-1",
    "claude-opus-4-5",
    "claude-opus-5-5",
    "claude-3-sonnet",
    "claude-sonnet-4-5",
    "claude-sonnet-5",
    "claude-sonnet-5-5",
    "claude-3-haiku",
    "claude-3-5-haiku",
    "claude-haiku-4-5",
    "claude-haiku-5-5",
    "claude-fable-5",
    "claude-fable-5-1",
    "claude-fable-5-2",
    "claude-mythos-preview",
    "gpt-4o",
    "gpt-4o-mini",
    "gpt-4.1",
    "gpt-4.1-mini",
    "gpt-4.1-nano",
    "gpt-5",
    "gpt-5-mini",
    "gpt-5-nano",
    "gpt-5.4",
    "gpt-5.4-mini",
    "gpt-5.4-nano",
    "gpt-5.5",
    "o1",
    "o3",
    "o3-mini",
    "o4-mini",
  ];
  for (const model of models) {
    const price = rates(model);
    for (const r of [price, price.longContext].filter((x) => x !== undefined)) {
      for (const key of ["input", "output", "cacheWrite5m", "cacheWrite1h", "cacheRead"] as const) {
        expect(Number.isInteger(r[key]) && r[key] >= 0).toBe(true);
      }
    }
  }
});
