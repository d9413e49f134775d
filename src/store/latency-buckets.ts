// The fixed latency histogram of the hourly rollup: bucket bounds, a duration's bucket, and percentiles.
//
// Durations are integer milliseconds. 0–15 ms get a bucket each (exact); from 16 ms the lower bounds grow
// by 2^(1/4) (≈ 19 %), rounded to whole ms, up to the last bucket, which holds everything from ~10.4 min
// on. A percentile read from the merged histogram is the value in its bucket that is furthest from
// neither end, relatively (see `representative`), so it is within LATENCY_RESOLUTION of the exact
// nearest-rank percentile of the raw rows. Changing the bounds changes the meaning of stored columns:
// it needs a rebuild of the rollup, never an in-place edit.

function bounds(): number[] {
  const out: number[] = [];
  for (let ms = 0; ms < 16; ms++) out.push(ms);
  for (let k = 0; (out.at(-1) ?? 0) < 600_000; k++) out.push(Math.round(16 * 2 ** (k / 4)));
  return out;
}

/** Lower bound (inclusive, ms) of each bucket; bucket i holds [LOWER[i], LOWER[i + 1]). */
export const LATENCY_LOWER_BOUNDS: readonly number[] = bounds();
export const LATENCY_BUCKETS = LATENCY_LOWER_BOUNDS.length;

/** The largest relative error of a percentile read from the histogram (checked by its test). */
export const LATENCY_RESOLUTION = 0.09;

/** The bucket a duration in ms falls in (negative or fractional durations are floored to whole ms ≥ 0). */
export function latencyBucket(durationMs: number): number {
  const ms = Math.max(0, Math.floor(durationMs));
  if (ms < 16) return ms;
  // Binary search: the last bucket whose lower bound is ≤ ms.
  let lo = 16;
  let hi = LATENCY_BUCKETS - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((LATENCY_LOWER_BOUNDS[mid] ?? 0) <= ms) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The value a bucket stands for: for whole-ms values a..b in it, 2ab/(a+b) is the point whose
 * relative distance to a and to b is the same ((b − a)/(a + b)), the least worst case. The open last
 * bucket stands for its lower bound.
 */
export function representative(bucket: number): number {
  const a = LATENCY_LOWER_BOUNDS[bucket] ?? 0;
  const next = LATENCY_LOWER_BOUNDS[bucket + 1];
  if (next === undefined) return a;
  const b = next - 1;
  if (a === b) return a;
  return Math.round(((2 * a * b) / (a + b)) * 10) / 10;
}

/** The nearest-rank percentile (0 < p ≤ 1) of a histogram, or null when it is empty. */
export function histogramPercentile(counts: readonly number[], p: number): number | null {
  let total = 0;
  for (const c of counts) total += c;
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    seen += counts[i] ?? 0;
    if (seen >= rank) return representative(i);
  }
  return representative(counts.length - 1);
}

/** The exact nearest-rank percentile of raw durations (what the histogram approximates; for tests). */
export function exactPercentile(durations: readonly number[], p: number): number | null {
  if (durations.length === 0) return null;
  const sorted = [...durations].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1] ?? null;
}
