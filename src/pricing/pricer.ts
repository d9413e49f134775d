// Per-process price lookup with config overrides, a default for unknown models and a bounded result cache.

import { costMicros, worstCaseCostMicrosForPrice } from "./cost.ts";
import { lookupPrice, type Price } from "./prices.ts";
import type { Usage } from "./usage.ts";

export interface PriceResult {
  price: Price;
  /** false when the model matched nothing and `defaultPrice` was used. */
  known: boolean;
}

export interface PricerOptions {
  /** Charged for models that match no known family, so unknown models are never free by accident. */
  defaultPrice: Price;
  /** Called once per unknown model name, so the caller can log it once instead of per request. */
  onUnknown?: (model: string) => void;
  /** Exact model names (case-insensitive) priced by configuration; they win over the built-in table. */
  overrides?: Readonly<Record<string, Price>>;
  /**
   * Prices an operator declared for a configured provider's models (exact or by its default price);
   * consulted first, so admission and the spend row use the same price. Undefined = not configured.
   */
  configured?: (model: string) => Price | undefined;
  /** Distinct model names remembered; defaults to 1000. */
  cacheSize?: number;
}

export interface Pricer {
  priceFor(model: string): PriceResult;
  /** Integer µ$ for a finished request. */
  cost(model: string, usage: Usage): number;
  /** Integer µ$ to reserve before the request runs (see `worstCaseCostMicrosForPrice`). */
  worstCaseCostMicros(model: string, inputTokensEstimate: number, maxTokens: number): number;
}

// Real model names are short; capping the key keeps a hostile client from filling memory with huge names.
const MAX_NAME_LENGTH = 256;

export function createPricer(options: PricerOptions): Pricer {
  const { defaultPrice, onUnknown } = options;
  const cacheSize = Math.max(1, options.cacheSize ?? 1000);
  const overrides = new Map<string, Price>();
  for (const [name, price] of Object.entries(options.overrides ?? {}))
    overrides.set(name.toLowerCase(), price);

  const cache = new Map<string, PriceResult>();
  // Kept apart from the cache so an evicted unknown name is not reported a second time.
  const reported = new Set<string>();

  function resolve(name: string): PriceResult {
    const price = options.configured?.(name) ?? overrides.get(name.trim().toLowerCase()) ?? lookupPrice(name);
    if (price) return { price, known: true };
    if (onUnknown && !reported.has(name)) {
      // Bounded like the cache; forgetting the oldest only means it may be logged once more.
      if (reported.size >= cacheSize * 10) reported.clear();
      reported.add(name);
      onUnknown(name);
    }
    return { price: defaultPrice, known: false };
  }

  function priceFor(model: string): PriceResult {
    const name = model.length > MAX_NAME_LENGTH ? model.slice(0, MAX_NAME_LENGTH) : model;
    const hit = cache.get(name);
    if (hit) return hit;
    const result = resolve(name);
    // Maps iterate in insertion order, so the first key is the oldest entry.
    if (cache.size >= cacheSize) {
      const oldest = cache.keys().next();
      if (!oldest.done) cache.delete(oldest.value);
    }
    cache.set(name, result);
    return result;
  }

  return {
    priceFor,
    cost: (model, usage) => costMicros(usage, priceFor(model).price),
    worstCaseCostMicros: (model, inputTokensEstimate, maxTokens) =>
      worstCaseCostMicrosForPrice(priceFor(model).price, inputTokensEstimate, maxTokens),
  };
}
