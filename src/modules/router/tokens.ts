// Token counts from a real BPE tokenizer (OpenAI's o200k_base, pure JS, ranks shipped in the package).

type O200k = typeof import("gpt-tokenizer/encoding/o200k_base");

// The encoder's rank table is ~5 MB of JavaScript: importing it costs hundreds of milliseconds, which
// every CLI command and every server start would pay. It is loaded on first use instead (Bun's
// synchronous require; the bundler still embeds it in the compiled executable), or ahead of time by
// `preloadTokenizer()`.
let encoder: O200k | null = null;
function o200k(): O200k {
  encoder ??= require("gpt-tokenizer/encoding/o200k_base") as O200k;
  return encoder;
}

/** Loads the encoder now, so the first request that needs a count does not pay for it. */
export function preloadTokenizer(): void {
  o200k();
}

// Claude's own tokenizer is not published for current models; o200k_base is a close public proxy
// (within ~10-20 % on English and code), far better than characters / 4 on code and non-Latin text.
// Special-token text such as "<|endoftext|>" in a client's prompt is counted as plain text: by
// default the library throws on it, and a prompt must never make the gateway fail.
const PLAIN = { disallowedSpecial: new Set<string>() };

/** Exact o200k_base token count of `text`. Linear in its length: ~1 µs per 20 characters. */
export function countTokens(text: string): number {
  return text.length === 0 ? 0 : o200k().countTokens(text, PLAIN);
}

/** Characters tokenized exactly before the router extrapolates; keeps a decision within microseconds. */
export const EXACT_PREFIX_CHARS = 300;

/**
 * Token count for routing: exact up to EXACT_PREFIX_CHARS, then the prefix's own characters-per-token
 * ratio extrapolated to the rest. The router's thresholds sit at a few hundred and a few thousand
 * tokens, where a few per cent of error cannot change a tier, while a 100 KB paste would otherwise
 * cost milliseconds.
 */
export function routingTokens(text: string): number {
  if (text.length <= EXACT_PREFIX_CHARS) return countTokens(text);
  // Cut on a space when one is near, so the sample does not end inside a word.
  const space = text.lastIndexOf(" ", EXACT_PREFIX_CHARS);
  const cut = space > EXACT_PREFIX_CHARS / 2 ? space : EXACT_PREFIX_CHARS;
  const sample = countTokens(text.slice(0, cut));
  return Math.round((sample * text.length) / cut);
}
