// Cache-aware stickiness: the tier each recent conversation was routed to, in a bounded in-memory map.
import type { Tier } from "./rules.ts";
import { THRESHOLDS } from "./score.ts";

/** Anthropic's default prompt cache lives 5 minutes from its last use; after that there is nothing to keep. */
export const STICKY_TTL_MS = 5 * 60_000;
/** Conversations remembered; the oldest is forgotten first. ~100 bytes each. */
export const STICKY_CAPACITY = 10_000;
/** Below this many prefix tokens Anthropic caches nothing (1 024 for Sonnet/Opus), so there is nothing to keep. */
export const MIN_CACHED_PREFIX = 1_024;
/** How far past the upper tier's threshold a score must reach to move a conversation up. */
export const UP_MARGIN = 0.5;
/** How far below the current tier's threshold a score must fall to move a conversation down. */
export const DOWN_MARGIN = 1.0;
/**
 * Largest cached prefix worth giving up to move down. Moving down saves roughly 4/5 of the output
 * price per answer token but pays a fresh cache write (1.25× input) instead of a cache read (0.1×),
 * about as much per prefix token as the saving per answer token ÷ 20 at the price table's ratios:
 * for a ~1 000-token answer the break-even prefix is ~20 000 tokens.
 */
export const DOWN_PREFIX_LIMIT = 20_000;

const RANK: Record<Tier, number> = { cheap: 0, middle: 1, top: 2 };
const LOWER_BOUND: Record<Tier, number> = {
  cheap: Number.NEGATIVE_INFINITY,
  middle: THRESHOLDS.middle,
  top: THRESHOLDS.top,
};

/**
 * Whether a conversation on `previous` (with `prefixTokens` cached) should stay there although its
 * new score alone picks `scored`. Moving up is about quality: only a borderline score stays, and
 * never on the cheap tier when the score says top. Moving down is about money: it only pays when the
 * score is clearly lower and the cache is small.
 */
export function shouldStay(previous: Tier, scored: Tier, score: number, prefixTokens: number): boolean {
  if (previous === scored || prefixTokens < MIN_CACHED_PREFIX) return false;
  if (RANK[scored] > RANK[previous]) {
    // A hard ask on the cheap tier is the one misroute no saved cache is worth.
    if (previous === "cheap" && scored === "top") return false;
    return score < LOWER_BOUND[scored] + UP_MARGIN;
  }
  return score >= LOWER_BOUND[previous] - DOWN_MARGIN || prefixTokens >= DOWN_PREFIX_LIMIT;
}

/**
 * A conversation's key: the request shape's hash of its system prompt and first user turn (see
 * `shapeOf`), within one partition (e.g. the key id, so two clients with identical prompts are apart).
 */
export function conversationKey(conversation: bigint, partition = ""): string {
  return Bun.hash.wyhash(partition, conversation).toString(36);
}

interface Entry {
  tier: Tier;
  at: number;
}

export class StickyTiers {
  private readonly map = new Map<string, Entry>();
  constructor(
    private readonly now: () => number,
    private readonly capacity = STICKY_CAPACITY,
    private readonly ttlMs = STICKY_TTL_MS,
  ) {}

  /** The tier this conversation was last routed to, while its cache can still be warm. */
  previous(key: string): Tier | null {
    const e = this.map.get(key);
    if (!e) return null;
    if (this.now() - e.at > this.ttlMs) {
      this.map.delete(key);
      return null;
    }
    return e.tier;
  }

  remember(key: string, tier: Tier): void {
    // Re-inserting moves the key to the end, so insertion order is least-recently-used first.
    this.map.delete(key);
    if (this.map.size >= this.capacity) {
      const oldest = this.map.keys().next();
      if (!oldest.done) this.map.delete(oldest.value);
    }
    this.map.set(key, { tier, at: this.now() });
  }

  get size(): number {
    return this.map.size;
  }
}
