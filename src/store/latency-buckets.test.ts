// The histogram's buckets: every whole-ms duration reads back within the stated resolution.
import { expect, test } from "bun:test";
import {
  exactPercentile,
  histogramPercentile,
  LATENCY_BUCKETS,
  LATENCY_LOWER_BOUNDS,
  LATENCY_RESOLUTION,
  latencyBucket,
  representative,
} from "./latency-buckets.ts";

test("bounds rise strictly from 0 ms, exact to 15 ms, and end past 10 minutes", () => {
  expect(LATENCY_LOWER_BOUNDS.slice(0, 17)).toEqual([...Array(16).keys(), 16]);
  for (let i = 1; i < LATENCY_BUCKETS; i++)
    expect(LATENCY_LOWER_BOUNDS[i] ?? 0).toBeGreaterThan(LATENCY_LOWER_BOUNDS[i - 1] ?? 0);
  expect(LATENCY_LOWER_BOUNDS.at(-1) ?? 0).toBeGreaterThanOrEqual(600_000);
  expect(LATENCY_BUCKETS).toBe(78);
});

test("every duration up to the open bucket reads back within the resolution (exact below 16 ms)", () => {
  const open = LATENCY_LOWER_BOUNDS.at(-1) ?? 0;
  let worst = 0;
  for (let ms = 0; ms < open; ms++) {
    const b = latencyBucket(ms);
    expect(ms).toBeGreaterThanOrEqual(LATENCY_LOWER_BOUNDS[b] ?? 0);
    if (ms < 16) expect(representative(b)).toBe(ms);
    else worst = Math.max(worst, Math.abs(representative(b) - ms) / ms);
  }
  expect(worst).toBeLessThanOrEqual(LATENCY_RESOLUTION);
  expect(worst).toBeGreaterThan(LATENCY_RESOLUTION - 0.01); // the stated bound is tight, not padded
  expect(latencyBucket(3_600_000)).toBe(LATENCY_BUCKETS - 1);
  expect(latencyBucket(-5)).toBe(0);
});

test("a percentile of the histogram is the nearest-rank one's bucket", () => {
  const durations = [1, 2, 2, 3, 40, 41, 900, 1_000, 5_000, 120_000];
  const counts = Array(LATENCY_BUCKETS).fill(0);
  for (const d of durations) counts[latencyBucket(d)]++;
  for (const p of [0.1, 0.5, 0.9, 0.95, 0.99, 1]) {
    const exact = exactPercentile(durations, p) ?? 0;
    expect(histogramPercentile(counts, p)).toBe(representative(latencyBucket(exact)));
  }
  expect(histogramPercentile(Array(LATENCY_BUCKETS).fill(0), 0.5)).toBeNull();
});
