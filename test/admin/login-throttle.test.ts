// Failed admin logins slow guessing down without locking the real admin out: a signed-in session is
// never throttled, failures count per (address, username), and the wait grows with the failures.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createLogger } from "../../src/log.ts";
import { LOGIN_TIERS } from "../../src/modules/admin/auth.ts";
import { startTestGateway, type TestGateway } from "../helpers/gateway.ts";
import { ADMIN_PASSWORD, type AdminFixture, adminFixture } from "./fixture.ts";

const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`;
const wrong = basic("admin", "guess");

describe("failed-login throttling", () => {
  let fx: AdminFixture;
  beforeAll(async () => {
    fx = await adminFixture("sqlite");
  });
  afterAll(async () => fx.close());

  const fail = async (n: number, auth = wrong) => {
    for (let i = 0; i < n; i++) await fx.call("GET", "/admin/keys", { auth });
  };

  test("a signed-in dashboard session keeps working while the address is throttled", async () => {
    const signIn = await fx.gateway.app.handle(
      new Request("http://localhost/admin/session", {
        method: "POST",
        headers: { "content-type": "application/json", "x-snodus-csrf": "1" },
        body: JSON.stringify({ username: "admin", password: ADMIN_PASSWORD }),
      }),
    );
    expect(signIn.status).toBe(200);
    const cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    await fail(100);
    expect((await fx.call("GET", "/admin/keys")).status).toBe(429);
    const withCookie = await fx.gateway.app.handle(
      new Request("http://localhost/admin/keys", { headers: { cookie } }),
    );
    expect(withCookie.status).toBe(200);
    fx.clock.now += 24 * 60 * 60_000;
  });

  test("failures with another username do not throttle the admin's", async () => {
    await fail(50, basic("mallory", "guess"));
    expect((await fx.call("GET", "/admin/keys", { auth: basic("mallory", "guess") })).status).toBe(429);
    expect((await fx.call("GET", "/admin/keys")).status).toBe(200);
    fx.clock.now += 24 * 60 * 60_000;
  });

  test("the wait grows with the failures: a typo spree costs a minute, guessing costs hours", async () => {
    const [first, second] = LOGIN_TIERS;
    if (!first || !second) throw new Error("expected at least two tiers");
    await fail(first.max);
    const short = await fx.call("GET", "/admin/keys");
    expect(short.status).toBe(429);
    expect(short.json.error.retry_after).toBeLessThanOrEqual(first.windowMs / 1000);
    fx.clock.now += first.windowMs + 1000;
    // Released after the short wait: the right password works again.
    expect((await fx.call("GET", "/admin/keys")).status).toBe(200);

    // Keep failing within the longer window, a tier's worth at a time.
    for (let done = first.max; done < second.max; done += first.max) {
      await fail(first.max);
      fx.clock.now += first.windowMs + 1000;
    }
    const long = await fx.call("GET", "/admin/keys");
    expect(long.status).toBe(429);
    expect(long.json.error.retry_after).toBeGreaterThan(first.windowMs / 1000);
    fx.clock.now += 24 * 60 * 60_000;
  });
});

describe("X-Forwarded-For from a peer that is not a trusted proxy", () => {
  let gw: TestGateway;
  const lines: string[] = [];
  beforeAll(async () => {
    gw = await startTestGateway(
      "sqlite",
      { ADMIN_PASSWORD, SNODUS_FEATURES_SIGNUP: "true" },
      { log: createLogger("warn", (l) => lines.push(l)) },
    );
  });
  afterAll(async () => gw.close());

  test("is ignored, with one clear warning however many arrive", async () => {
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${gw.url}/admin/keys`, {
        headers: { authorization: basic("admin", ADMIN_PASSWORD), "x-forwarded-for": `203.0.113.${i}` },
      });
      expect(res.status).toBe(200);
    }
    const warnings = lines.filter((l) => l.includes("X-Forwarded-For"));
    expect(warnings.length).toBe(1);
    expect(warnings[0]).toContain("SNODUS_TRUSTED_PROXIES");
  });
});
