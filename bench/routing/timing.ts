// Decision time per request on a shared machine: process CPU time, many interleaved rounds, median and minimum.
import { loadavg } from "node:os";
import { shuffled } from "./random.ts";

export interface TimingOptions {
  /** Rounds over the whole set; each request is timed once per round (default 30). */
  rounds: number;
  /** Decisions per timed batch: enough CPU time for the clock's microsecond resolution (default 20). */
  batch: number;
  /** Untimed passes first, so the JIT has compiled the hot paths (default 50). */
  warmup: number;
}

export interface ItemTiming {
  /** Median over the rounds of one decision's CPU time, µs: the figure the percentiles are taken of. */
  median: number;
  /** Fastest round, µs: the floor with the least interference from other jobs. */
  min: number;
}

export interface Timing {
  items: ItemTiming[];
  options: TimingOptions;
  /** 1-minute load average when the timing started and when it ended. */
  load: [number, number];
}

export const DEFAULT_TIMING: TimingOptions = { rounds: 30, batch: 20, warmup: 50 };

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

/**
 * Times `decide` on every request. CPU time (getrusage through `process.cpuUsage`) rather than wall
 * time, so a job that preempts this process does not pose as the router's cost; but on a loaded
 * machine CPU time still grows (shared caches, a busy sibling core), so each request is timed in
 * every round, in a different order each round, and both the median and the fastest round are kept:
 * the gap between them is the noise. A GC pause or a JIT compile lands on one batch of one round,
 * which the median ignores.
 */
export function timeDecisions<T>(
  items: readonly T[],
  decide: (item: T) => unknown,
  o: TimingOptions,
): Timing {
  const load0 = loadavg()[0] ?? 0;
  for (let pass = 0; pass < o.warmup; pass++) for (const item of items) decide(item);
  const samples: number[][] = items.map(() => []);
  const order = items.map((_, i) => i);
  for (let round = 0; round < o.rounds; round++) {
    for (const i of shuffled(order, 1000 + round)) {
      const item = items[i] as T;
      const start = process.cpuUsage();
      for (let k = 0; k < o.batch; k++) decide(item);
      const used = process.cpuUsage(start);
      samples[i]?.push((used.user + used.system) / o.batch);
    }
  }
  return {
    items: samples.map((s) => ({ median: median(s), min: Math.min(...s) })),
    options: o,
    load: [load0, loadavg()[0] ?? 0],
  };
}

/** The p-quantile (nearest rank) of `xs`. */
export function quantile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))] ?? 0;
}
