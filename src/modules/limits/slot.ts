// A key's concurrency slot for one request: taken at admission, given back when its last holder lets go.
import { GatewayError } from "../../errors.ts";
import type { KeyIdentity } from "../../store/types.ts";
import type { LimitStore } from "./types.ts";

/** What a client over its concurrency cap is told to wait: a slot frees when any request ends. */
export const CONCURRENCY_RETRY_AFTER_S = 1;

/**
 * One request's slot, shared by its attempts: the pipeline holds it while it runs and each Attempt holds
 * it until its `finish()`, so a fallback never has to queue for a slot again. The store's slot is given
 * back exactly once, when the last holder drops it; further drops are ignored.
 */
export class Slot {
  #holders = 1;
  #released = false;
  readonly #release: () => void;

  constructor(release: () => void) {
    this.#release = release;
  }

  hold(): void {
    if (!this.#released) this.#holders++;
  }

  drop(): void {
    if (this.#released) return;
    if (--this.#holders > 0) return;
    this.#released = true;
    this.#release();
  }

  get released(): boolean {
    return this.#released;
  }
}

/** A slot for a key without a cap: nothing to take or give back. */
export const unlimitedSlot = () => new Slot(() => {});

/**
 * Takes a slot for the key when it has `max_concurrent`, or answers 429 with `retry_after` when that
 * many requests are already in flight (on every instance sharing the store).
 */
export async function takeSlot(
  store: LimitStore,
  identity: KeyIdentity,
  onError: (err: unknown) => void,
): Promise<Slot> {
  const max = identity.key.maxConcurrent;
  if (max === null) return unlimitedSlot();
  const keyId = identity.key.id;
  const leaseId = Bun.randomUUIDv7();
  const decision = await store.takeSlot(keyId, leaseId, max);
  if (!decision.taken) {
    throw new GatewayError(
      429,
      "rate_limit_error",
      `Concurrency limit of ${max} requests in flight reached for this key; retry when one finishes`,
      { retryAfter: CONCURRENCY_RETRY_AFTER_S, code: "concurrency_limit_exceeded" },
    );
  }
  return new Slot(() => void store.releaseSlot(keyId, leaseId).catch(onError));
}
