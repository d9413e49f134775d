// Model price table in integer µ$ per million tokens, matched by model family and version, not exact name.

/** One set of per-token rates, each in µ$ per million tokens (so $3 / MTok is 3_000_000). */
export interface Rates {
  input: number;
  output: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
}

/** Rates that replace the base ones, for every token of a request, once its prompt is long enough. */
export interface LongContextRates extends Rates {
  /** Applies when input + cache writes + cache reads exceed this many tokens. */
  aboveTokens: number;
}

export interface Price extends Rates {
  longContext?: LongContextRates;
}

/** Local models (Ollama) cost nothing to run through the gateway. */
export const FREE_PRICE: Price = Object.freeze({
  input: 0,
  output: 0,
  cacheWrite5m: 0,
  cacheWrite1h: 0,
  cacheRead: 0,
});

// Dollars are written as the price pages print them; Math.round turns e.g. 0.8 * 1e6 into an exact integer.
const usd = (dollars: number): number => Math.round(dollars * 1_000_000);

/**
 * Anthropic's standard cache multipliers: 5 min write 1.25×, 1 h write 2×, read 0.1× input.
 * Some models deviate (Haiku 3, Fable 5.1+, Opus 5.5, Sonnet 5.5), so any rate can be overridden.
 */
function claude(inputUsd: number, outputUsd: number, overrides: Partial<Rates> = {}): Rates {
  const input = usd(inputUsd);
  return {
    input,
    output: usd(outputUsd),
    cacheWrite5m: (input * 5) / 4,
    cacheWrite1h: input * 2,
    cacheRead: input / 10,
    ...overrides,
  };
}

/** OpenAI caches implicitly and bills no cache-write premium, so writes cost plain input. */
function openai(inputUsd: number, outputUsd: number, cachedUsd: number): Rates {
  const input = usd(inputUsd);
  return {
    input,
    output: usd(outputUsd),
    cacheWrite5m: input,
    cacheWrite1h: input,
    cacheRead: usd(cachedUsd),
  };
}

const withLong = (base: Rates, aboveTokens: number, long: Rates): Price => ({
  ...base,
  longContext: { ...long, aboveTokens },
});

// Anthropic prices: https://platform.claude.com/docs/en/about-claude/pricing ("Model pricing" and
// "Long context pricing") and the per-model overview pages under /docs/en/models/.
const OPUS_LEGACY = claude(15, 75); // Opus 3, 4, 4.1
const OPUS_4_5 = claude(5, 25); // Opus 4.5, 4.6, 4.7, 4.8, 5
const OPUS_5_5 = claude(4, 20, { cacheRead: usd(0.2) }); // cache hits at 0.05×
const SONNET = claude(3, 15); // Sonnet 3, 3.5, 3.7, 4.6
// Sonnet 4 / 4.5 with the 1M-context beta bill the whole request at $6 / $22.50 above 200K prompt tokens.
const SONNET_4 = withLong(claude(3, 15), 200_000, claude(6, 22.5));
const SONNET_5 = claude(2, 10);
const SONNET_5_5 = claude(2, 10, { cacheRead: usd(0.1) }); // cache hits cut to 0.05× on 2026-10-07
const HAIKU_3 = claude(0.25, 1.25, { cacheWrite5m: usd(0.3), cacheWrite1h: usd(0.5), cacheRead: usd(0.03) });
const HAIKU_3_5 = claude(0.8, 4);
const HAIKU_4_5 = claude(1, 5);
// Haiku 5.5 is billed by prompt length: up to 100K prompt tokens $0.10 / $0.50, above that $0.50 / $2.50.
const HAIKU_5_5 = withLong(claude(0.1, 0.5), 100_000, claude(0.5, 2.5));
// Fable and Mythos share a model and a price list.
const FABLE_5 = claude(10, 50);
const FABLE_5_1 = claude(10, 50, { cacheRead: usd(0.25) }); // cache hits at 0.025×
const FABLE_5_2 = claude(8, 40, { cacheRead: usd(0.2) });
// Invitation-only predecessor of Mythos 5: 5× Opus 4.x rates (reported; not on the public price table).
const MYTHOS_PREVIEW = claude(25, 125);

/** A price that applies from version `from` (major * 100 + minor) up to the next tier. */
interface Tier {
  from: number;
  price: Price;
}

interface Family {
  /** Ascending by `from`; a version newer than every tier gets the last (latest known) price. */
  tiers: readonly Tier[];
  /** For names without a version: an alias of the newest model unless stated otherwise. */
  unversioned?: Price;
}

const ver = (major: number, minor = 0): number => major * 100 + minor;

const FABLE_TIERS: readonly Tier[] = [
  { from: ver(5), price: FABLE_5 },
  { from: ver(5, 1), price: FABLE_5_1 },
  { from: ver(5, 2), price: FABLE_5_2 },
];

const ANTHROPIC_FAMILIES: ReadonlyMap<string, Family> = new Map<string, Family>([
  [
    "opus",
    {
      tiers: [
        { from: ver(3), price: OPUS_LEGACY },
        { from: ver(4, 5), price: OPUS_4_5 },
        { from: ver(5, 5), price: OPUS_5_5 },
      ],
    },
  ],
  [
    "sonnet",
    {
      tiers: [
        { from: ver(3), price: SONNET },
        { from: ver(4), price: SONNET_4 },
        { from: ver(4, 6), price: SONNET },
        { from: ver(5), price: SONNET_5 },
        { from: ver(5, 5), price: SONNET_5_5 },
      ],
    },
  ],
  [
    "haiku",
    {
      tiers: [
        { from: ver(3), price: HAIKU_3 },
        { from: ver(3, 5), price: HAIKU_3_5 },
        { from: ver(4, 5), price: HAIKU_4_5 },
        { from: ver(5, 5), price: HAIKU_5_5 },
      ],
    },
  ],
  ["fable", { tiers: FABLE_TIERS }],
  // `claude-mythos-preview` carries no version number.
  ["mythos", { tiers: FABLE_TIERS, unversioned: MYTHOS_PREVIEW }],
]);

// OpenAI prices (standard tier): https://openai.com/api/pricing, cross-checked with
// https://github.com/simonw/llm-prices data/openai.json. o3 is at its June 2025 reduced price.
const OPENAI_MODELS: ReadonlyMap<string, Price> = new Map<string, Price>([
  ["gpt-4o", openai(2.5, 10, 1.25)],
  ["gpt-4o-2024-05-13", openai(5, 15, 5)], // the first snapshot kept its launch price and had no cache discount
  ["gpt-4o-mini", openai(0.15, 0.6, 0.075)],
  ["gpt-4.1", openai(2, 8, 0.5)],
  ["gpt-4.1-mini", openai(0.4, 1.6, 0.1)],
  ["gpt-4.1-nano", openai(0.1, 0.4, 0.025)],
  ["gpt-5", openai(1.25, 10, 0.125)],
  ["gpt-5-mini", openai(0.25, 2, 0.025)],
  ["gpt-5-nano", openai(0.05, 0.4, 0.005)],
  ["gpt-5.1", openai(1.25, 10, 0.125)],
  ["gpt-5.2", openai(1.75, 14, 0.175)],
  // GPT-5.4 / 5.5 bill the whole request at higher rates once the prompt exceeds 272K tokens.
  ["gpt-5.4", withLong(openai(2.5, 15, 0.25), 272_000, openai(5, 22.5, 0.5))],
  ["gpt-5.4-mini", openai(0.75, 4.5, 0.075)],
  ["gpt-5.4-nano", openai(0.2, 1.25, 0.02)],
  ["gpt-5.5", withLong(openai(5, 30, 0.5), 272_000, openai(10, 45, 1))],
  ["o1", openai(15, 60, 7.5)],
  ["o3", openai(2, 8, 0.5)],
  ["o3-mini", openai(1.1, 4.4, 0.55)],
  ["o4-mini", openai(1.1, 4.4, 0.275)],
  // Embeddings bill input only.
  ["text-embedding-3-small", openai(0.02, 0, 0.02)],
  ["text-embedding-3-large", openai(0.13, 0, 0.13)],
  ["text-embedding-ada-002", openai(0.1, 0, 0.1)],
]);

/** Version numbers are one or two digits; longer digit runs are snapshot dates (20250929). */
const VERSION_PART = /^\d{1,2}$/;
const DATE_SUFFIX = /-\d{4}-\d{2}-\d{2}$/;

/** Claude names put the version after the family (claude-opus-4-5) or, before 4.0, in front (claude-3-5-haiku). */
function claudePrice(name: string, requireLeadingFamily: boolean): Price | null {
  const tokens = name.split(/[^a-z0-9]+/).filter((t) => t !== "");
  let familyAt = -1;
  let family: Family | undefined;
  for (let i = 0; i < tokens.length; i++) {
    family = ANTHROPIC_FAMILIES.get(tokens[i] ?? "");
    if (family) {
      familyAt = i;
      break;
    }
  }
  // Without the "claude" marker only a bare alias ("sonnet", "opus[1m]") counts, not "my-opus-finetune".
  if (!family || (requireLeadingFamily && familyAt !== 0)) return null;

  const after: number[] = [];
  for (let i = familyAt + 1; i < tokens.length && after.length < 2; i++) {
    const t = tokens[i] ?? "";
    if (!VERSION_PART.test(t)) break;
    after.push(Number(t));
  }
  const before: number[] = [];
  for (let i = familyAt - 1; i >= 0 && before.length < 2; i--) {
    const t = tokens[i] ?? "";
    if (!VERSION_PART.test(t)) break;
    before.unshift(Number(t));
  }
  const parts = after.length > 0 ? after : before;
  const { tiers } = family;
  if (parts.length === 0) return family.unversioned ?? tiers[tiers.length - 1]?.price ?? null;

  const version = ver(parts[0] ?? 0, parts[1] ?? 0);
  let price = tiers[0]?.price ?? null;
  for (const tier of tiers) {
    if (tier.from > version) break;
    price = tier.price;
  }
  return price;
}

function openaiPrice(name: string): Price | null {
  return OPENAI_MODELS.get(name) ?? OPENAI_MODELS.get(name.replace(DATE_SUFFIX, "")) ?? null;
}

/**
 * The list price for a model name, or null when the name matches no known family.
 * Accepts provider prefixes and platform spellings: `anthropic/claude-sonnet-4`,
 * `us.anthropic.claude-opus-4-1-20250805-v1:0` (Bedrock), `claude-sonnet-4-5@20250929` (Vertex),
 * `claude-opus-4-6[1m]`, dated OpenAI snapshots, and `ollama/…` (free).
 */
export function lookupPrice(model: string): Price | null {
  const name = model.trim().toLowerCase();
  if (name.startsWith("ollama/")) return FREE_PRICE;
  const claudeAt = name.indexOf("claude");
  const tail = name.slice(name.lastIndexOf("/") + 1);
  return claudeAt >= 0
    ? claudePrice(name.slice(claudeAt), false)
    : (claudePrice(tail, true) ?? openaiPrice(tail));
}
