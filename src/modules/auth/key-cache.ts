// Virtual-key lookups through memory: one store read per new key, none once warm, revalidated in bulk.
import { StoreTimeoutError } from "../../http/store-errors.ts";
import type { KeyIdentity, Store } from "../../store/types.ts";

export interface KeyCacheOptions {
  /** How often cached keys are re-read from the store, so CLI revocations land within a second. */
  refreshMs?: number;
  /** Unknown hashes are remembered this long; keys are random, so an unknown hash stays unknown. */
  negativeTtlMs?: number;
  /** Bound on remembered unknown hashes, so a flood of random keys cannot grow memory. */
  maxNegative?: number;
  /**
   * Longest a request waits for a new key's lookup. A database that accepts connections but never
   * answers (or a driver stuck reconnecting) would otherwise hold the request forever; past this the
   * request gets 503 and the next one tries again.
   */
  lookupTimeoutMs?: number;
  now?: () => number;
  onError?: (err: unknown) => void;
}

export class KeyCache {
  readonly #store: Store;
  readonly #positive = new Map<string, KeyIdentity>();
  readonly #byId = new Map<string, string>();
  readonly #negative = new Map<string, number>();
  readonly #inflight = new Map<string, Promise<KeyIdentity | null>>();
  readonly #opts: Required<Omit<KeyCacheOptions, "onError">> & Pick<KeyCacheOptions, "onError">;
  #timer: ReturnType<typeof setInterval> | null = null;
  #refreshing = false;
  /** Store reads made, for tests and metrics. */
  lookups = 0;
  /** Lookups answered from memory (a known key, or a remembered unknown one), for metrics. */
  hits = 0;

  constructor(store: Store, opts: KeyCacheOptions = {}) {
    this.#store = store;
    this.#opts = {
      refreshMs: opts.refreshMs ?? 500,
      negativeTtlMs: opts.negativeTtlMs ?? 60_000,
      maxNegative: opts.maxNegative ?? 100_000,
      lookupTimeoutMs: opts.lookupTimeoutMs ?? 3_000,
      now: opts.now ?? Date.now,
      onError: opts.onError,
    };
  }

  /** The identity for a key hash, or null when no such key exists. Concurrent misses share one read. */
  get(hash: string): KeyIdentity | null | Promise<KeyIdentity | null> {
    const hit = this.#positive.get(hash);
    if (hit) {
      this.hits++;
      return hit;
    }
    const negativeUntil = this.#negative.get(hash);
    if (negativeUntil !== undefined && negativeUntil > this.#opts.now()) {
      this.hits++;
      return null;
    }
    let pending = this.#inflight.get(hash);
    if (!pending) {
      pending = this.#load(hash).finally(() => this.#inflight.delete(hash));
      this.#inflight.set(hash, pending);
    }
    return pending;
  }

  async #load(hash: string): Promise<KeyIdentity | null> {
    this.lookups++;
    const identity = await this.#bounded(this.#store.keys.identityByHash(hash));
    if (identity) {
      this.#positive.set(hash, identity);
      this.#byId.set(identity.key.id, hash);
    } else {
      if (this.#negative.size >= this.#opts.maxNegative) {
        // Drop the oldest entry (Maps iterate in insertion order).
        const oldest = this.#negative.keys().next().value;
        if (oldest !== undefined) this.#negative.delete(oldest);
      }
      this.#negative.set(hash, this.#opts.now() + this.#opts.negativeTtlMs);
    }
    return identity;
  }

  #bounded<T>(lookup: Promise<T>): Promise<T> {
    const ms = this.#opts.lookupTimeoutMs;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StoreTimeoutError("key lookup", ms)), ms);
    });
    // A late answer is dropped; the lookup itself cannot be cancelled.
    lookup.catch(() => {});
    return Promise.race([lookup, expired]).finally(() => clearTimeout(timer));
  }

  /** Drops one key so the next request re-reads it (the admin API calls this after a change). */
  invalidateKey(keyId: string): void {
    const hash = this.#byId.get(keyId);
    if (hash) this.#positive.delete(hash);
    this.#byId.delete(keyId);
  }

  /** Drops everything cached (e.g. after a team or user change whose keys we cannot list cheaply). */
  invalidateAll(): void {
    this.#positive.clear();
    this.#byId.clear();
  }

  /** Re-reads every cached key in one batched query; changed rows replace, vanished rows drop. */
  async refresh(): Promise<void> {
    if (this.#refreshing || this.#byId.size === 0) return;
    this.#refreshing = true;
    try {
      const ids = [...this.#byId.keys()];
      const fresh = await this.#store.keys.identitiesByIds(ids);
      const seen = new Set<string>();
      for (const identity of fresh) {
        seen.add(identity.key.id);
        this.#positive.set(identity.key.keyHash, identity);
      }
      for (const id of ids) if (!seen.has(id)) this.invalidateKey(id);
    } catch (err) {
      this.#opts.onError?.(err);
    } finally {
      this.#refreshing = false;
    }
  }

  start(): void {
    this.#timer ??= setInterval(() => void this.refresh(), this.#opts.refreshMs);
    this.#timer.unref?.();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  get size(): number {
    return this.#positive.size;
  }
}
