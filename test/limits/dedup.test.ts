// Alert de-duplication: one claim wins per hour, in memory and across instances through Redis.
import { expect, test } from "bun:test";
import { RedisClient } from "bun";
import { MemoryDedup, RedisDedup } from "../../src/modules/alerts/dedup.ts";
import { freshPrefix, REDIS_URL } from "../helpers/redis.ts";

test("memory: a second claim within the hour loses; after the hour it wins again", async () => {
  const d = new MemoryDedup();
  expect(await d.claim("budget:key:1:70", 3_600_000, 0)).toBe(true);
  expect(await d.claim("budget:key:1:70", 3_600_000, 1000)).toBe(false);
  expect(await d.claim("budget:key:1:90", 3_600_000, 1000)).toBe(true);
  expect(await d.claim("budget:key:1:70", 3_600_000, 3_600_001)).toBe(true);
});

test("redis: two instances racing for the same alert — exactly one wins", async () => {
  const prefix = freshPrefix();
  const a = new RedisClient(REDIS_URL);
  const b = new RedisClient(REDIS_URL);
  try {
    const [x, y] = [new RedisDedup(a, prefix), new RedisDedup(b, prefix)];
    const wins = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? x : y).claim("budget:team:t:90", 3_600_000, 0)),
    );
    expect(wins.filter(Boolean).length).toBe(1);
  } finally {
    a.close();
    b.close();
  }
});
