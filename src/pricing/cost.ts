// Exact integer µ$ cost of a request's usage, plus the worst-case amount budgets reserve up front.

import type { Price, Rates } from "./prices.ts";
import type { Usage } from "./usage.ts";

const PER_MILLION = 1_000_000;

/** Token counts come from upstream JSON: anything that is not a non-negative number counts as 0. */
const count = (n: number): number => (n > 0 && Number.isFinite(n) ? Math.floor(n) : 0);

/** The rates a request pays: the long-context tier replaces the base one for the whole request. */
function ratesFor(price: Price, prompt: number): Rates {
  const long = price.longContext;
  return long && prompt > long.aboveTokens ? long : price;
}

/** floor(x / 1e6) for a non-negative safe integer, without float division rounding up near a boundary. */
const divMillion = (x: number): number => (x - (x % PER_MILLION)) / PER_MILLION;

function costFromProducts(terms: ReadonlyArray<readonly [number, number]>, roundUp: boolean): number {
  const bias = roundUp ? PER_MILLION - 1 : PER_MILLION / 2;
  let sum = 0;
  for (const [tokens, rate] of terms) sum += tokens * rate;
  // Every term is non-negative, so a safe sum means every product and partial sum was exact.
  if (sum + bias <= Number.MAX_SAFE_INTEGER) return divMillion(sum + bias);
  let big = 0n;
  for (const [tokens, rate] of terms) big += BigInt(tokens) * BigInt(rate);
  return Number((big + BigInt(bias)) / BigInt(PER_MILLION));
}

/**
 * Cost in integer µ$: Σ tokens × µ$/MTok, divided by 1e6 and rounded half-up once at the end,
 * so many small components cannot each lose (or gain) half a micro-dollar.
 */
export function costMicros(usage: Usage, price: Price): number {
  const input = count(usage.inputTokens);
  const writes = count(usage.cacheCreationInputTokens);
  // The 1 h share can never exceed the total; a bad upstream count must not make 5 min writes negative.
  const writes1h = Math.min(count(usage.cacheCreation1hInputTokens), writes);
  const reads = count(usage.cacheReadInputTokens);
  const rates = ratesFor(price, input + writes + reads);
  return costFromProducts(
    [
      [input, rates.input],
      [count(usage.outputTokens), rates.output],
      [writes - writes1h, rates.cacheWrite5m],
      [writes1h, rates.cacheWrite1h],
      [reads, rates.cacheRead],
    ],
    false,
  );
}

/**
 * The most a request can cost, for budget reservations: every input token at the dearest
 * input-side rate (normally the 1 h cache write) and all `maxTokens` as output. Rounded up.
 * The long-context tier applies when the input estimate alone crosses its threshold.
 */
export function worstCaseCostMicrosForPrice(
  price: Price,
  inputTokensEstimate: number,
  maxTokens: number,
): number {
  const input = count(inputTokensEstimate);
  const rates = ratesFor(price, input);
  const inputRate = Math.max(rates.input, rates.cacheWrite5m, rates.cacheWrite1h, rates.cacheRead);
  return costFromProducts(
    [
      [input, inputRate],
      [count(maxTokens), rates.output],
    ],
    true,
  );
}

/**
 * A cheap, deliberately high token estimate from the request body size: real tokenizers average
 * about 4 bytes per token on English and JSON, so bytes / 3 over-reserves rather than under-reserves.
 */
export function estimateInputTokens(bodyByteLength: number): number {
  return Math.ceil(count(bodyByteLength) / 3);
}
