// Per-address throttles behind a load balancer: X-Forwarded-For counts only from SNODUS_TRUSTED_PROXIES.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { SIGNUPS_PER_HOUR } from "../../src/modules/signup/index.ts";
import { startTestGateway, type TestGateway } from "../helpers/gateway.ts";

let n = 0;
function signup(gw: TestGateway, forwardedFor?: string): Promise<Response> {
  n++;
  return fetch(`${gw.url}/signup`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}),
    },
    body: JSON.stringify({
      email: `xff${n}-${Date.now()}@company.com`,
      name: "X",
      company: `XFF ${n} ${Date.now()}`,
    }),
  });
}

describe("behind a trusted proxy (127.0.0.1)", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway("sqlite", {
      SNODUS_FEATURES_SIGNUP: "true",
      SNODUS_TRUSTED_PROXIES: "127.0.0.1, 10.0.0.0/8",
    });
  });
  afterAll(async () => gw?.close());

  test("each forwarded client has its own allowance; prepending a fake address does not help", async () => {
    for (let i = 0; i < SIGNUPS_PER_HOUR; i++) expect((await signup(gw, "203.0.113.9")).status).toBe(201);
    expect((await signup(gw, "203.0.113.9")).status).toBe(429);
    // Another client behind the same balancer (and a second trusted hop) is not affected.
    expect((await signup(gw, "198.51.100.4, 10.1.2.3")).status).toBe(201);
    // Anyone can write the header: only the right-most untrusted address counts.
    expect((await signup(gw, "192.0.2.77, 203.0.113.9")).status).toBe(429);
    // Garbage stops the walk at the last address a trusted hop vouched for (here the proxy itself).
    expect((await signup(gw, "not-an-ip")).status).toBe(201);
  });
});

describe("without trusted proxies", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway("sqlite", { SNODUS_FEATURES_SIGNUP: "true" });
  });
  afterAll(async () => gw?.close());

  test("X-Forwarded-For is ignored: every request counts against the socket's address", async () => {
    for (let i = 0; i < SIGNUPS_PER_HOUR; i++)
      expect((await signup(gw, `203.0.113.${i + 1}`)).status).toBe(201);
    expect((await signup(gw, "198.51.100.200")).status).toBe(429);
  });
});
