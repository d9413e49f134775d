// Spend rows leave the request path through an in-memory queue; a background writer batches them.
import type { Logger } from "../../log.ts";
import type { SpendRow, Store } from "../../store/types.ts";

export interface SpendRecorderOptions {
  /** Longest a row waits before it is written. */
  flushMs?: number;
  /** A batch this large is written at once, without waiting for the timer. */
  batchSize?: number;
  log: Logger;
  /** Told how long each batch write took and whether it succeeded (metrics). */
  onWrite?: (seconds: number, ok: boolean) => void;
}

/**
 * Never loses a row it accepted: a failed write keeps the batch at the head of the queue and is
 * retried with backoff; `close()` writes whatever remains before the store closes.
 */
export class SpendRecorder {
  readonly #store: Store;
  readonly #opts: Required<Omit<SpendRecorderOptions, "log" | "onWrite">>;
  readonly #onWrite: (seconds: number, ok: boolean) => void;
  readonly #log: Logger;
  #queue: SpendRow[] = [];
  #lastUsed = new Map<string, Date>();
  #timer: ReturnType<typeof setTimeout> | null = null;
  #flushing: Promise<void> | null = null;
  #failures = 0;
  /** Subscribers learn about every row as it is recorded (budgets settle from this). */
  readonly #listeners: ((row: SpendRow) => void)[] = [];
  written = 0;

  constructor(store: Store, opts: SpendRecorderOptions) {
    this.#store = store;
    this.#log = opts.log;
    this.#opts = { flushMs: opts.flushMs ?? 200, batchSize: opts.batchSize ?? 500 };
    this.#onWrite = opts.onWrite ?? (() => {});
  }

  onRecord(listener: (row: SpendRow) => void): void {
    this.#listeners.push(listener);
  }

  record(row: SpendRow): void {
    this.#queue.push(row);
    this.#lastUsed.set(row.apiKeyId, row.createdAt);
    for (const l of this.#listeners) l(row);
    if (this.#queue.length >= this.#opts.batchSize) void this.flush();
    else this.#schedule(this.#opts.flushMs);
  }

  /** Rows accepted but not yet in the store. */
  get pending(): number {
    return this.#queue.length;
  }

  #schedule(ms: number): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.flush();
    }, ms);
  }

  /** Writes everything queued so far; concurrent callers share one write. */
  flush(): Promise<void> {
    this.#flushing ??= this.#drain().finally(() => {
      this.#flushing = null;
    });
    return this.#flushing;
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.slice(0, this.#opts.batchSize * 4);
      const started = performance.now();
      try {
        await this.#store.spend.insertMany(batch);
        this.#onWrite((performance.now() - started) / 1000, true);
      } catch (err) {
        this.#onWrite((performance.now() - started) / 1000, false);
        this.#failures++;
        const delay = Math.min(30_000, 250 * 2 ** Math.min(this.#failures, 7));
        this.#log.error("spend rows could not be written; will retry", {
          rows: this.#queue.length,
          retryInMs: delay,
          err,
        });
        this.#schedule(delay);
        return;
      }
      this.#failures = 0;
      this.#queue.splice(0, batch.length);
      this.written += batch.length;
    }
    if (this.#lastUsed.size > 0) {
      const touched = this.#lastUsed;
      this.#lastUsed = new Map();
      try {
        await this.#store.keys.touch(touched);
      } catch (err) {
        this.#log.warn("last_used_at update failed", { err });
      }
    }
  }

  /** Flushes until the queue is empty or `deadlineMs` passes; reports rows left unwritten. */
  async close(deadlineMs = 30_000): Promise<number> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const until = Date.now() + deadlineMs;
    while (this.#queue.length > 0 && Date.now() < until) {
      await this.flush();
      if (this.#queue.length > 0) await Bun.sleep(Math.min(500, Math.max(0, until - Date.now())));
    }
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#queue.length > 0)
      this.#log.error("shutdown with unwritten spend rows", { rows: this.#queue.length });
    return this.#queue.length;
  }
}
