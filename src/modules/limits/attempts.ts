// Sliding-window attempt counter per subject (an IP): failed admin logins, signups. The in-process gate;
// with Redis the same rule runs as the ATTEMPT script (lua.ts) so every instance shares the count.

export interface AttemptDecision {
  allowed: boolean;
  /** Seconds until the oldest counted attempt leaves the window (0 when allowed). */
  retryAfter: number;
}

export class AttemptLimiter {
  readonly #events = new Map<string, number[]>();

  constructor(
    readonly max: number,
    readonly windowMs: number,
    /** Bound on remembered subjects, so a flood of addresses cannot grow memory without limit. */
    readonly maxSubjects = 50_000,
  ) {}

  /** Whether one more attempt is allowed now, without counting it. */
  check(subject: string, now: number): AttemptDecision {
    const events = this.#live(subject, now);
    if (events.length < this.max) return { allowed: true, retryAfter: 0 };
    const oldest = events[events.length - this.max] ?? now;
    return { allowed: false, retryAfter: Math.max(1, Math.ceil((oldest + this.windowMs - now) / 1000)) };
  }

  /** Counts one attempt. */
  record(subject: string, now: number): void {
    const events = this.#live(subject, now);
    events.push(now);
    // Only the last `max` attempts can decide anything.
    if (events.length > this.max) events.splice(0, events.length - this.max);
    this.#events.set(subject, events);
    if (this.#events.size > this.maxSubjects) this.#sweep(now);
  }

  /** Checks and counts in one step: the usual "at most N per window" gate. */
  take(subject: string, now: number): AttemptDecision {
    const decision = this.check(subject, now);
    if (decision.allowed) this.record(subject, now);
    return decision;
  }

  reset(subject: string): void {
    this.#events.delete(subject);
  }

  #live(subject: string, now: number): number[] {
    const events = this.#events.get(subject);
    if (!events) return [];
    const from = now - this.windowMs;
    while (events.length && (events[0] ?? 0) <= from) events.shift();
    if (!events.length) this.#events.delete(subject);
    return events;
  }

  #sweep(now: number): void {
    for (const subject of [...this.#events.keys()]) this.#live(subject, now);
    // Still too many live subjects: forget the oldest-inserted ones (Maps iterate in insertion order).
    for (const subject of this.#events.keys()) {
      if (this.#events.size <= this.maxSubjects) break;
      this.#events.delete(subject);
    }
  }
}
