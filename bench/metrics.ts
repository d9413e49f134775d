// What metrics cost the request path: none, prom-client's own counters/histograms, and the gateway's
// series (series.ts) that replaced them on the hot path; and one scrape.
// Run: npx bun bench/metrics.ts   (figures go to BENCHMARKS.md by hand; a shared machine makes them rough)
import { Counter, Histogram, Registry } from "prom-client";
import { Metrics } from "../src/modules/metrics/metrics.ts";
import { emptyUsage } from "../src/pricing/usage.ts";

const N = 300_000;
const metrics = new Metrics({
  spendQueueDepth: () => 0,
  keyCache: () => ({ hits: 1, misses: 0, size: 1 }),
  inflight: () => 0,
  storeUp: async () => 1,
  redisUp: null,
});
const MODELS = ["claude-haiku-4-5", "claude-sonnet-4-5", "claude-opus-4-5", "gpt-4o-mini", "gpt-4.1"];
const usage = { ...emptyUsage(), inputTokens: 1200, outputTokens: 300, cacheReadInputTokens: 1000 };

// The same nine updates per request through prom-client directly, for comparison.
const reg = new Registry();
const B = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];
const pc = {
  requests: new Counter({
    name: "r",
    help: "r",
    labelNames: ["door", "model", "provider", "status"],
    registers: [reg],
  }),
  overhead: new Histogram({ name: "o", help: "o", labelNames: ["door"], buckets: B, registers: [reg] }),
  ttfb: new Histogram({ name: "t", help: "t", labelNames: ["provider"], buckets: B, registers: [reg] }),
  upstream: new Histogram({ name: "u", help: "u", labelNames: ["provider"], buckets: B, registers: [reg] }),
  tokens: new Counter({ name: "k", help: "k", labelNames: ["model", "provider", "kind"], registers: [reg] }),
  spend: new Counter({ name: "s", help: "s", labelNames: ["model", "provider"], registers: [reg] }),
};

type Mode = "none" | "prom-client" | "series";

/** What one proxied request reports: the overhead observation and one finished attempt. */
function perRequest(i: number, mode: Mode): number {
  const model = MODELS[i % MODELS.length] as string;
  const sample = {
    door: "anthropic",
    model,
    provider: model.startsWith("gpt") ? "openai" : "anthropic",
    status: i % 50 === 0 ? 502 : 200,
    usage,
    costMicros: 4_200,
    ttfbSeconds: 0.35,
    upstreamSeconds: 2.1,
  };
  if (mode === "series") {
    metrics.overhead(sample.door, 0.0004);
    metrics.attempt(sample);
  } else if (mode === "prom-client") {
    const base = { model: sample.model, provider: sample.provider };
    pc.overhead.observe({ door: sample.door }, 0.0004);
    pc.requests.inc({ door: sample.door, ...base, status: String(sample.status) });
    pc.ttfb.observe({ provider: sample.provider }, sample.ttfbSeconds);
    pc.upstream.observe({ provider: sample.provider }, sample.upstreamSeconds);
    pc.tokens.inc({ ...base, kind: "input" }, usage.inputTokens);
    pc.tokens.inc({ ...base, kind: "output" }, usage.outputTokens);
    pc.tokens.inc({ ...base, kind: "cache_read" }, usage.cacheReadInputTokens);
    pc.spend.inc(base, sample.costMicros);
  }
  return sample.costMicros;
}

function timeLoop(mode: Mode): number {
  let sink = 0;
  const t0 = Bun.nanoseconds();
  for (let i = 0; i < N; i++) sink += perRequest(i, mode);
  const ns = (Bun.nanoseconds() - t0) / N;
  if (sink === 42) console.log("");
  return ns;
}

// Warm both paths so the JIT has compiled them before timing.
const MODES: Mode[] = ["none", "prom-client", "series"];
for (const m of MODES) timeLoop(m);
const runs = 5;
const times: Record<Mode, number[]> = { none: [], "prom-client": [], series: [] };
for (let r = 0; r < runs; r++) for (const m of MODES) times[m].push(timeLoop(m));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const t0 = performance.now();
const text = await metrics.render();
const scrapeMs = performance.now() - t0;
const base = median(times.none);
for (const m of MODES)
  console.log(
    `${m.padEnd(12)} ${(median(times[m]) - base).toFixed(0).padStart(6)} ns per request (median of ${runs} × ${N})`,
  );
console.log(`scrape: ${scrapeMs.toFixed(2)} ms for ${text.split("\n").length} lines`);
