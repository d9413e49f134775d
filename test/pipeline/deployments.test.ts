// Several deployments per provider through the gateway: a failing one is taken out with no request lost, and comes back.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestGateway, type TestGateway } from "../helpers/gateway.ts";
import { type MockUpstream, startMockUpstream } from "../mock-upstream/index.ts";

const ADMIN_PASSWORD = "deployments-admin";
const body = JSON.stringify({
  model: "claude-haiku-4-5",
  max_tokens: 10,
  messages: [{ role: "user", content: "hi" }],
});

describe("deployments: weighted keys and replicas with a circuit breaker", () => {
  let broken: MockUpstream;
  let gw: TestGateway;
  let dir: string;
  const clock = { t: Date.now() };

  beforeAll(async () => {
    broken = await startMockUpstream();
    broken.setDefault({ status: 529 });
    dir = mkdtempSync(join(tmpdir(), "snodus-deployments-"));
    const file = join(dir, "snodus.toml");
    writeFileSync(
      file,
      `
[[deployments]]
provider = "anthropic"
name = "primary"
weight = 1

[[deployments]]
provider = "anthropic"
name = "replica-down"
base_url = "${broken.url}"
api_key = "sk-ant-second-key"
weight = 3
`,
    );
    gw = await startTestGateway("sqlite", { SNODUS_CONFIG: file, ADMIN_PASSWORD }, { now: () => clock.t });
  });
  afterAll(async () => {
    await gw.close();
    await broken.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const send = () =>
    fetch(`${gw.url}/v1/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${gw.secret}`, "content-type": "application/json" },
      body,
    });

  test("0 requests lost, the failing deployment out within a few requests, back after its cool-down", async () => {
    for (let i = 0; i < 40; i++) expect((await send()).status).toBe(200);
    const posts = () => broken.calls.filter((c) => c.method === "POST").length;
    const brokenCalls = posts();
    // Three failures in a row trip it; weights 3:1 send it most traffic until then.
    expect(brokenCalls).toBe(3);
    expect(broken.calls[0]?.headers["x-api-key"]).toBe("sk-ant-second-key");

    const rows = await gw.spendRows();
    const failed = rows.filter((r) => r.deployment === "replica-down");
    expect(failed.map((r) => r.status)).toEqual([529, 529, 529]);
    expect(rows.filter((r) => r.deployment === "primary" && r.status === 200)).toHaveLength(40);
    // The failed tries share a request id with the answer the client got from the other deployment.
    for (const row of failed)
      expect(rows.some((r) => r.requestId === row.requestId && r.status === 200)).toBe(true);

    const res = await fetch(`${gw.url}/admin/providers`, {
      headers: { authorization: `Basic ${btoa(`admin:${ADMIN_PASSWORD}`)}` },
    });
    const anthropic = ((await res.json()) as { data: Array<Record<string, unknown>> }).data.find(
      (p) => p.name === "anthropic",
    );
    expect(anthropic?.deployments).toEqual([
      {
        name: "primary",
        upstream_url: gw.mock.url,
        reachable: true,
        weight: 1,
        healthy: true,
        failures: 0,
        cooling_until: null,
      },
      {
        name: "replica-down",
        upstream_url: broken.url,
        reachable: true,
        weight: 3,
        healthy: false,
        failures: 0,
        // The clock stands still in this phase: tripped at clock.t, back 30 s later.
        cooling_until: new Date(clock.t + 30_000).toISOString(),
      },
    ]);

    // After its cool-down it gets traffic again (and, still failing, is taken out again at once).
    clock.t += 30_001;
    for (let i = 0; i < 10; i++) expect((await send()).status).toBe(200);
    expect(posts()).toBe(brokenCalls + 1);
  });
});

test("ANTHROPIC_API_KEYS: each key is a deployment, named in the spend rows", async () => {
  const gw = await startTestGateway("sqlite", {
    ANTHROPIC_API_KEY: "",
    ANTHROPIC_API_KEYS: "sk-ant-one, sk-ant-two",
  });
  try {
    for (let i = 0; i < 30; i++) {
      const res = await fetch(`${gw.url}/v1/messages`, {
        method: "POST",
        headers: { authorization: `Bearer ${gw.secret}`, "content-type": "application/json" },
        body,
      });
      expect(res.status).toBe(200);
    }
    const keys = new Set(
      gw.mock.calls.filter((c) => c.path === "/v1/messages").map((c) => c.headers["x-api-key"]),
    );
    expect(keys).toEqual(new Set(["sk-ant-one", "sk-ant-two"]));
    const names = new Set((await gw.spendRows()).map((r) => r.deployment));
    expect(names).toEqual(new Set(["key-1", "key-2"]));
  } finally {
    await gw.close();
  }
});
