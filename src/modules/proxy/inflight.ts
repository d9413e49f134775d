// Counts requests in flight so shutdown can wait for streams to finish before flushing spend.
export class Inflight {
  #count = 0;
  #waiters: (() => void)[] = [];

  enter(): void {
    this.#count++;
  }

  leave(): void {
    this.#count = Math.max(0, this.#count - 1);
    if (this.#count === 0) for (const w of this.#waiters.splice(0)) w();
  }

  get count(): number {
    return this.#count;
  }

  /** Resolves when nothing is in flight, or after `timeoutMs`; returns whether it drained. */
  idle(timeoutMs: number): Promise<boolean> {
    if (this.#count === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.#waiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}
