// GET /metrics: protected, parsed by a Prometheus text parser, and counting what the traffic did.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import parsePrometheusTextFormat, { type Family } from "parse-prometheus-text-format";
import { createKey } from "../../src/modules/keys/service.ts";
import { startTestGateway, type TestGateway } from "../helpers/gateway.ts";
import { freshPrefix, REDIS_URL } from "../helpers/redis.ts";
import { mockHeader } from "../mock-upstream/index.ts";

const TOKEN = "metrics-scrape-token-for-tests";

function value(families: Family[], name: string, labels: Record<string, string> = {}): number {
  const family = families.find((f) => f.name === name);
  if (!family) throw new Error(`no metric ${name}`);
  const match = family.metrics.filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  return match.reduce((s, m) => s + Number(m.value ?? m.count ?? 0), 0);
}

/** Observations of a histogram: its +Inf bucket (this parser keeps a histogram's buckets, not its labels). */
function observations(families: Family[], name: string): number {
  const family = families.find((f) => f.name === name);
  if (family?.type !== "HISTOGRAM") throw new Error(`no histogram ${name}`);
  return family.metrics.reduce((s, m) => s + Number(m.buckets?.["+Inf"] ?? 0), 0);
}

describe("/metrics with SNODUS_METRICS_TOKEN", () => {
  let gw: TestGateway;
  const scrape = async () => {
    const res = await fetch(`${gw.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const text = await res.text();
    return { text, families: parsePrometheusTextFormat(text) };
  };
  const send = (secret: string, model: string, mock: Record<string, unknown> = {}) =>
    fetch(`${gw.url}/v1/messages`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${secret}`,
        "content-type": "application/json",
        "x-mock": mockHeader(mock),
      },
      body: JSON.stringify({ model, max_tokens: 100, messages: [{ role: "user", content: "hi" }] }),
    }).then(async (r) => {
      await r.arrayBuffer();
      return r.status;
    });

  beforeAll(async () => {
    gw = await startTestGateway("sqlite", { SNODUS_METRICS_TOKEN: TOKEN }, { allProviders: true });
  });
  afterAll(async () => gw.close());

  test("no token or a wrong one is a 401; the right one gets the text format", async () => {
    expect((await fetch(`${gw.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${gw.url}/metrics`, { headers: { authorization: "Bearer nope" } })).status).toBe(
      401,
    );
    const { families } = await scrape();
    expect(families.length).toBeGreaterThan(10);
  });

  test("requests, tokens, spend, latencies and refusals by reason; no per-key label", async () => {
    const store = gw.server.store;
    const limited = await createKey(store, {
      userId: gw.user.id,
      name: "m",
      rateLimit: 2,
      allowedModels: ["claude-haiku-*"],
    });
    const broke = await createKey(store, { userId: gw.user.id, name: "b", budgetMonthlyCents: 0 });
    const usage = { usage: { input_tokens: 100, output_tokens: 20 } };
    expect(await send(limited.secret, "claude-haiku-4-5", usage)).toBe(200);
    expect(await send(limited.secret, "claude-sonnet-4-5")).toBe(403);
    expect(await send(limited.secret, "claude-haiku-4-5", usage)).toBe(200);
    expect(await send(limited.secret, "claude-haiku-4-5")).toBe(429);
    expect(await send(broke.secret, "claude-haiku-4-5")).toBe(402);
    expect(await send(gw.secret, "claude-haiku-4-5", { status: 500 })).toBe(500);
    const rows = await gw.spendRows();

    const { text, families } = await scrape();
    const haiku = { door: "anthropic", model: "claude-haiku-4-5", provider: "anthropic" };
    expect(value(families, "snodus_requests_total", { ...haiku, status: "200" })).toBe(2);
    expect(value(families, "snodus_requests_total", { ...haiku, status: "500" })).toBe(1);
    expect(value(families, "snodus_tokens_total", { model: "claude-haiku-4-5", kind: "input" })).toBe(200);
    expect(value(families, "snodus_tokens_total", { model: "claude-haiku-4-5", kind: "output" })).toBe(40);
    expect(value(families, "snodus_spend_micros_total")).toBe(rows.reduce((s, r) => s + r.costMicros, 0));
    expect(
      value(families, "snodus_limit_decisions_total", { reason: "model_not_allowed", status: "403" }),
    ).toBe(1);
    expect(value(families, "snodus_limit_decisions_total", { reason: "rate_limit", status: "429" })).toBe(1);
    expect(value(families, "snodus_limit_decisions_total", { reason: "budget", status: "402" })).toBe(1);
    // Histograms: one observation per attempt that reached an upstream (3), overhead per request sent (3).
    expect(observations(families, "snodus_upstream_ttfb_seconds")).toBe(3);
    expect(observations(families, "snodus_upstream_duration_seconds")).toBe(3);
    expect(observations(families, "snodus_gateway_overhead_seconds")).toBe(3);
    expect(text).toContain('snodus_upstream_ttfb_seconds_count{provider="anthropic"} 3');
    expect(text).toContain('snodus_gateway_overhead_seconds_count{door="anthropic"} 3');
    expect(observations(families, "snodus_spend_write_seconds")).toBeGreaterThan(0);
    expect(value(families, "snodus_store_up")).toBe(1);
    expect(value(families, "snodus_spend_queue_depth")).toBe(0);
    expect(value(families, "snodus_key_cache_hits")).toBeGreaterThan(0);
    const ratio = value(families, "snodus_key_cache_hit_ratio");
    expect(ratio).toBeGreaterThan(0);
    expect(ratio).toBeLessThanOrEqual(1);
    // No Redis configured: no Redis series at all (a constant 0 would page someone).
    expect(families.some((f) => f.name === "snodus_redis_up")).toBe(false);
    for (const id of [limited.key.id, broke.key.id, gw.key.id, gw.team.id, gw.user.id])
      expect(text).not.toContain(id);
    expect(text).not.toContain(limited.secret);
  });
});

describe("/metrics without a token", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway("sqlite", { SNODUS_METRICS_ADDR: "127.0.0.1:0" });
  });
  afterAll(async () => gw.close());

  test("the main listener does not serve it; SNODUS_METRICS_ADDR does, and only /metrics", async () => {
    expect((await fetch(`${gw.url}/metrics`)).status).toBe(404);
    const url = gw.server.metricsUrl;
    expect(url).not.toBeNull();
    const res = await fetch(`${url}/metrics`);
    expect(res.status).toBe(200);
    expect(parsePrometheusTextFormat(await res.text()).some((f) => f.name === "snodus_requests_total")).toBe(
      true,
    );
    expect((await fetch(`${url}/v1/messages`)).status).toBe(404);
  });
});

describe("/metrics with limits in Redis", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway("sqlite", {
      SNODUS_METRICS_TOKEN: TOKEN,
      REDIS_URL,
      SNODUS_REDIS_PREFIX: freshPrefix(),
    });
  });
  afterAll(async () => gw.close());

  test("snodus_redis_up is 1 while Redis answers", async () => {
    const res = await fetch(`${gw.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(value(parsePrometheusTextFormat(await res.text()), "snodus_redis_up")).toBe(1);
  });
});
