// Counts requests in flight and holds the open streams, so shutdown can wait for them and then cut them.

/** An attempt that shutdown can end now: a stream with its protocol's error event, a wait with 503. */
export interface Cuttable {
  cut(): void;
}

export class Inflight {
  #count = 0;
  #waiters: (() => void)[] = [];
  readonly #streams = new Set<Cuttable>();

  enter(): void {
    this.#count++;
  }

  /** A leave() without its enter() is a bookkeeping bug somewhere: it throws instead of hiding it. */
  leave(): void {
    if (this.#count === 0) throw new Error("Inflight.leave() called more often than enter()");
    this.#count--;
    if (this.#count === 0 && this.#waiters.length > 0) for (const w of this.#waiters.splice(0)) w();
  }

  get count(): number {
    return this.#count;
  }

  hold(stream: Cuttable): void {
    this.#streams.add(stream);
  }

  release(stream: Cuttable): void {
    this.#streams.delete(stream);
  }

  /** Ends every open attempt now (the shutdown deadline): each records its row and leaves on its own. */
  cutAll(): number {
    const open = [...this.#streams];
    for (const s of open) s.cut();
    return open.length;
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
