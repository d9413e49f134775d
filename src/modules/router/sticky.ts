// Cache-aware stickiness: the tier each recent conversation was routed to, in a bounded in-memory map.
import type { Tier } from "./rules.ts";
import { THRESHOLDS } from "./score.ts";

/** How far (in score points) past a tier's bounds a new score must land before a conversation moves. */
export const STICKY_MARGIN = 1.0;
/** Anthropic's default prompt cache lives 5 minutes from its last use; after that there is nothing to keep. */
export const STICKY_TTL_MS = 5 * 60_000;
/** Conversations remembered; the oldest is forgotten first. ~100 bytes each. */
export const STICKY_CAPACITY = 10_000;

const BOUNDS: Record<Tier, [number, number]> = {
  cheap: [Number.NEGATIVE_INFINITY, THRESHOLDS.middle],
  middle: [THRESHOLDS.middle, THRESHOLDS.top],
  top: [THRESHOLDS.top, Number.POSITIVE_INFINITY],
};

/** True when `score` is within the margin of `tier`'s bounds, so staying there is the better trade. */
export function withinMargin(tier: Tier, score: number): boolean {
  const [lo, hi] = BOUNDS[tier];
  return score >= lo - STICKY_MARGIN && score < hi + STICKY_MARGIN;
}

const ENDS = 4_096;
/** Both ends of a long text and its length: what differs between two agents' prompts, cheaply. */
const sample = (text: string) =>
  text.length <= 2 * ENDS ? text : `${text.length}:${text.slice(0, ENDS)}${text.slice(-ENDS)}`;

/**
 * A conversation is its system prompt plus its first user turn: both stay fixed as it grows. Only
 * the ends of each are hashed (a collision would merely share a tier between two conversations),
 * so a 100 KB agent prompt costs no more than a short one.
 */
export function conversationKey(system: string, firstUser: string, partition = ""): string {
  return Bun.hash(`${partition}\u0000${sample(system)}\u0000${sample(firstUser)}`).toString(36);
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
