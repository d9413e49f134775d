// Redis-backed limits that fall back to in-process limits while Redis is unreachable, and come back by themselves.
import type { Logger } from "../../log.ts";
import { monthKey } from "../account/month.ts";
import type { AttemptDecision } from "./attempts.ts";
import type { RateDecision } from "./gcra.ts";
import type { MemoryLimitStore } from "./memory.ts";
import type { RedisLimits } from "./redis.ts";
import type {
  AdmitRequest,
  AdmitResult,
  AttemptRequest,
  LimitStore,
  Settlement,
  SlotDecision,
  SubjectUsage,
} from "./types.ts";

/** A Redis call slower than this counts as an outage: limits must not add seconds to requests. */
const REDIS_TIMEOUT_MS = 1_000;
const RECONNECT_EVERY_MS = 1_000;

export class FailoverLimitStore implements LimitStore {
  readonly #redis: RedisLimits;
  readonly #memory: MemoryLimitStore;
  readonly #log: Logger;
  readonly #now: () => number;
  /** Reservations made by this instance and not yet settled: where they live and how much. */
  readonly #open = new Map<string, { backend: "redis" | "memory"; amount: number }>();
  /** Concurrency slots this instance holds, and where. */
  readonly #slots = new Map<string, "redis" | "memory">();
  #degraded: string | null = null;
  #reconnect: ReturnType<typeof setInterval> | null = null;
  #closed = false;

  constructor(redis: RedisLimits, memory: MemoryLimitStore, log: Logger, now: () => number) {
    this.#redis = redis;
    this.#memory = memory;
    this.#log = log;
    this.#now = now;
    redis.client.onclose = (err) => {
      if (!this.#closed) this.#degrade(err);
    };
  }

  async start(): Promise<void> {
    try {
      await withTimeout(this.#redis.connect());
    } catch (err) {
      this.#degrade(err);
    }
  }

  async admit(req: AdmitRequest): Promise<AdmitResult> {
    if (!this.#degraded) {
      try {
        const result = await withTimeout(this.#redis.admit(req));
        if (result.budget?.ok)
          this.#open.set(req.reservationId, { backend: "redis", amount: req.amountMicros });
        return result;
      } catch (err) {
        this.#degrade(err);
      }
    }
    const result = await this.#memory.admit(req);
    if (result.budget?.ok) this.#open.set(req.reservationId, { backend: "memory", amount: req.amountMicros });
    return result;
  }

  async attempt(req: AttemptRequest): Promise<AttemptDecision> {
    if (!this.#degraded) {
      try {
        return await withTimeout(this.#redis.attempt(req));
      } catch (err) {
        this.#degrade(err);
      }
    }
    return this.#memory.attempt(req);
  }

  async takeSlot(keyId: string, leaseId: string, max: number): Promise<SlotDecision> {
    if (!this.#degraded) {
      try {
        const d = await withTimeout(this.#redis.takeSlot(keyId, leaseId, max));
        if (d.taken) this.#slots.set(leaseId, "redis");
        return d;
      } catch (err) {
        this.#degrade(err);
      }
    }
    const d = await this.#memory.takeSlot(keyId, leaseId, max);
    if (d.taken) this.#slots.set(leaseId, "memory");
    return d;
  }

  async releaseSlot(keyId: string, leaseId: string): Promise<void> {
    const backend = this.#slots.get(leaseId);
    this.#slots.delete(leaseId);
    if (backend === "memory") return this.#memory.releaseSlot(keyId, leaseId);
    if (backend === "redis" && !this.#degraded) {
      try {
        await withTimeout(this.#redis.releaseSlot(keyId, leaseId));
      } catch (err) {
        // The slot dies with this instance's liveness key once Redis sees it renewed under a new id.
        this.#degrade(err);
      }
    }
  }

  async inFlight(keyId: string): Promise<number> {
    if (!this.#degraded) {
      try {
        return await withTimeout(this.#redis.inFlight(keyId));
      } catch (err) {
        this.#degrade(err);
      }
    }
    return this.#memory.inFlight(keyId);
  }

  async rateState(keyId: string, limit: number, now: number): Promise<RateDecision> {
    if (!this.#degraded) {
      try {
        return await withTimeout(this.#redis.rateState(keyId, limit, now));
      } catch (err) {
        this.#degrade(err);
      }
    }
    return this.#memory.rateState(keyId, limit, now);
  }

  async settle(s: Settlement): Promise<void> {
    const open = this.#open.get(s.reservationId);
    this.#open.delete(s.reservationId);
    const backend = open?.backend ?? "memory";
    // The local book always learns the cost, so it is current if we must fall back to it.
    this.#memory.book.settleSync(s, backend === "memory");
    if (backend === "redis" && !this.#degraded) {
      try {
        await withTimeout(this.#redis.settle(s));
      } catch (err) {
        // The row is in the spend log; Redis is re-seeded from it when it comes back.
        this.#degrade(err);
      }
    }
  }

  async usage(kind: "key" | "team", id: string, month: string): Promise<SubjectUsage> {
    if (!this.#degraded) {
      try {
        return await withTimeout(this.#redis.usage(kind, id, month));
      } catch (err) {
        this.#degrade(err);
      }
    }
    return this.#memory.usage(kind, id, month);
  }

  outstanding(): number {
    let total = 0;
    for (const r of this.#open.values()) total += r.amount;
    return total;
  }

  status(): string {
    return this.#degraded ? `degraded: ${this.#degraded}` : "ok";
  }

  #degrade(err: unknown): void {
    if (this.#degraded || this.#closed) return;
    this.#degraded = "redis unreachable; limits are enforced per instance until it returns";
    this.#log.error("REDIS UNREACHABLE: rate limits and budgets now enforced per instance", {
      err: err instanceof Error ? err.message : String(err),
    });
    // Local figures catch up with every instance's spend recorded so far.
    void this.#memory.book.reload(monthKey(this.#now())).catch(() => {});
    this.#reconnect ??= setInterval(() => void this.#tryReconnect(), RECONNECT_EVERY_MS);
    this.#reconnect.unref?.();
  }

  async #tryReconnect(): Promise<void> {
    try {
      this.#redis.renewInstance();
      await withTimeout(this.#redis.connect());
      const now = this.#now();
      // Spend recorded during the outage is in the spend log, not in Redis: rebuild from the log.
      await withTimeout(this.#redis.invalidateSeeds([monthKey(now), monthKey(now - 32 * 86_400_000)]));
      if (this.#reconnect) clearInterval(this.#reconnect);
      this.#reconnect = null;
      this.#degraded = null;
      this.#log.warn("Redis reachable again: shared limits resumed");
    } catch {
      // Still down; the next tick tries again.
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#reconnect) clearInterval(this.#reconnect);
    this.#redis.close();
  }
}

function withTimeout<T>(p: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`redis did not answer within ${REDIS_TIMEOUT_MS} ms`)),
      REDIS_TIMEOUT_MS,
    );
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
