// "At most once per hour per (subject, threshold)": in memory, or in Redis so every instance agrees.
import type { RedisClient } from "bun";

export interface AlertDedup {
  /** True the first time `id` is claimed within `ttlMs`; false for repeats. */
  claim(id: string, ttlMs: number, now: number): Promise<boolean>;
}

export class MemoryDedup implements AlertDedup {
  readonly #until = new Map<string, number>();

  async claim(id: string, ttlMs: number, now: number): Promise<boolean> {
    const until = this.#until.get(id);
    if (until !== undefined && until > now) return false;
    this.#until.set(id, now + ttlMs);
    if (this.#until.size > 10_000) for (const [k, u] of this.#until) if (u <= now) this.#until.delete(k);
    return true;
  }
}

/** SET NX PX is atomic: exactly one instance wins each claim. Falls back to memory if Redis fails. */
export class RedisDedup implements AlertDedup {
  readonly #fallback = new MemoryDedup();

  constructor(
    private readonly client: RedisClient,
    private readonly prefix: string,
  ) {}

  async claim(id: string, ttlMs: number, now: number): Promise<boolean> {
    try {
      const r = await this.client.send("SET", [`${this.prefix}:alert:${id}`, "1", "NX", "PX", String(ttlMs)]);
      return r === "OK";
    } catch {
      return this.#fallback.claim(id, ttlMs, now);
    }
  }
}
