import { describe, expect, test } from "bun:test";
import { DeploymentPool, retryAfterMs } from "./pool.ts";
import { seeded } from "./translate/testing.ts";

const target = (baseUrl: string) => ({ baseUrl, apiKey: null });
const NONE = new Set<string>();

function pool(clock: { t: number }, random = seeded(42)) {
  return new DeploymentPool(
    [
      { name: "a", weight: 3, target: target("http://a") },
      { name: "b", weight: 1, target: target("http://b") },
    ],
    { now: () => clock.t, random, failuresToTrip: 3, coolDownMs: 30_000 },
  );
}

const share = (p: DeploymentPool, n: number) => {
  const counts = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const lease = p.pick(NONE);
    if (!lease) throw new Error("no deployment");
    counts.set(lease.name, (counts.get(lease.name) ?? 0) + 1);
    lease.report(200);
  }
  return counts;
};

describe("DeploymentPool", () => {
  test("1 000 picks over weights 3:1 land within ±5 % of 75/25", () => {
    for (const seed of [1, 2, 3, 42, 1234]) {
      const counts = share(pool({ t: 0 }, seeded(seed)), 1000);
      const a = (counts.get("a") ?? 0) / 1000;
      expect(a).toBeGreaterThanOrEqual(0.7);
      expect(a).toBeLessThanOrEqual(0.8);
    }
  });

  test("three failures in a row (500, 529, timeout) take a deployment out; it returns after its cool-down", () => {
    const clock = { t: 1_000 };
    const p = pool(clock, () => 0.99); // always "b" while b is healthy
    for (const status of [500, 529, 504]) {
      const lease = p.pick(NONE);
      expect(lease?.name).toBe("b");
      lease?.report(status);
    }
    expect(p.health().find((h) => h.name === "b")).toMatchObject({ healthy: false, coolingUntil: 31_000 });
    expect(share(p, 50).get("b")).toBeUndefined();
    clock.t = 31_000;
    expect(p.pick(NONE)?.name).toBe("b");
  });

  test("back from its cool-down, one more failure takes it out again; a success clears it", () => {
    const clock = { t: 0 };
    const p = pool(clock, () => 0.99);
    for (let i = 0; i < 3; i++) p.pick(NONE)?.report(503);
    clock.t = 30_000;
    p.pick(NONE)?.report(500);
    expect(p.health().find((h) => h.name === "b")?.healthy).toBe(false);
    clock.t = 60_000;
    p.pick(NONE)?.report(200);
    p.pick(NONE)?.report(500);
    expect(p.health().find((h) => h.name === "b")).toMatchObject({ healthy: true, failures: 1 });
  });

  test("a 429's retry-after is respected, longer than the cool-down", () => {
    const clock = { t: 0 };
    const p = pool(clock, () => 0.99);
    const lease = p.pick(NONE);
    lease?.holdOff("120");
    lease?.report(429);
    expect(p.health().find((h) => h.name === "b")?.coolingUntil).toBe(120_000);
    clock.t = 119_999;
    expect(p.pick(NONE)?.name).toBe("a");
    clock.t = 120_000;
    expect(p.pick(NONE)?.name).toBe("b");
  });

  test("client mistakes do not count; a lease reports once", () => {
    const p = pool({ t: 0 }, () => 0.99);
    const lease = p.pick(NONE);
    for (let i = 0; i < 5; i++) lease?.report(500);
    expect(p.health().find((h) => h.name === "b")?.failures).toBe(1);
    for (const s of [400, 401, 404, 413, 499]) p.pick(NONE)?.report(s);
    expect(p.health().find((h) => h.name === "b")?.failures).toBe(0);
  });

  test("tried deployments are skipped; alternatives are healthy untried ones; all cooling → the soonest back", () => {
    const clock = { t: 0 };
    const p = pool(clock, () => 0.99);
    expect(p.pick(new Set(["b"]))?.name).toBe("a");
    expect(p.pick(new Set(["a", "b"]))).toBeNull();
    const b = p.pick(NONE);
    expect(b?.hasAlternative(NONE)).toBe(true);
    expect(b?.hasAlternative(new Set(["a"]))).toBe(false);
    for (const name of ["a", "b"]) {
      const lease = p.pick(new Set(name === "a" ? ["b"] : ["a"]));
      lease?.holdOff(name === "a" ? "60" : "10");
    }
    expect(p.pick(NONE)?.name).toBe("b");
  });

  test("retry-after as seconds or an HTTP date", () => {
    expect(retryAfterMs("2", 0)).toBe(2000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(retryAfterMs("soon", 0)).toBeNull();
    expect(retryAfterMs(null, 0)).toBeNull();
  });
});
