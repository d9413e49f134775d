// Prometheus metrics of one gateway: hot-path series (series.ts) and prom-client gauges read at scrape time.
import type { Registry } from "prom-client";
import type { Usage } from "../../pricing/usage.ts";
import { CounterSeries, HistogramSeries } from "./series.ts";

/** Prometheus text format 0.0.4, as prom-client's Registry writes it. */
const PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

/** Seconds; from a fast local hop to a long generation. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];
/** The gateway's own share is meant to be small: finer buckets at the low end. */
const OVERHEAD_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/** One finished attempt, as the Attempt reports it. */
export interface AttemptSample {
  door: string;
  model: string;
  provider: string;
  status: number;
  usage: Usage;
  costMicros: number;
  /** Seconds from sending upstream to the response headers, and to the attempt's end (null: never sent). */
  ttfbSeconds: number | null;
  upstreamSeconds: number | null;
}

/** Why a request was refused before reaching an upstream (bounded: the gateway's own error codes). */
export type LimitReason =
  | "rate_limit"
  | "concurrency"
  | "budget"
  | "plan_quota"
  | "model_not_allowed"
  | "key_revoked"
  | "key_expired"
  | "user_inactive"
  | "other";

export interface ScrapeSources {
  spendQueueDepth(): number;
  keyCache(): { hits: number; misses: number; size: number };
  inflight(): number;
  /** 1 when the store answered a ping, 0 otherwise. */
  storeUp(): Promise<number>;
  /** 1 / 0 while Redis is reachable or not; null when no Redis is configured (no series then). */
  redisUp: (() => number) | null;
}

/**
 * Labels are bounded: door, model, provider, status and reason, never a key, user or team id (a
 * per-key label would grow the series with every key issued).
 */
export class Metrics {
  readonly #requests = new CounterSeries(
    "snodus_requests_total",
    "Upstream attempts by front door, model, provider and the status the client got",
    ["door", "model", "provider", "status"],
  );
  readonly #overhead = new HistogramSeries(
    "snodus_gateway_overhead_seconds",
    "Time the gateway spent before sending upstream (auth, parsing, limits, routing)",
    ["door"],
    OVERHEAD_BUCKETS,
  );
  readonly #upstream = new HistogramSeries(
    "snodus_upstream_duration_seconds",
    "Upstream time of an attempt: request sent to answer complete (streams included)",
    ["provider"],
    LATENCY_BUCKETS,
  );
  readonly #ttfb = new HistogramSeries(
    "snodus_upstream_ttfb_seconds",
    "Request sent upstream to response headers received",
    ["provider"],
    LATENCY_BUCKETS,
  );
  readonly #tokens = new CounterSeries(
    "snodus_tokens_total",
    "Tokens billed, by model, provider and kind (input, output, cache_read, cache_write)",
    ["model", "provider", "kind"],
  );
  readonly #spend = new CounterSeries(
    "snodus_spend_micros_total",
    "Cost billed in micro-dollars (µ$), by model and provider",
    ["model", "provider"],
  );
  readonly #limits = new CounterSeries(
    "snodus_limit_decisions_total",
    "Requests refused before any upstream call, by reason and status (429, 402, 403)",
    ["reason", "status"],
  );
  readonly #spendWrite = new HistogramSeries(
    "snodus_spend_write_seconds",
    "Time to write one batch of spend rows to the store",
    ["outcome"],
    [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
  );

  /** The gauges' registry, built at the first scrape (see #gauges). */
  #registry: Promise<Registry> | null = null;

  constructor(private readonly sources: ScrapeSources) {}

  /**
   * prom-client is loaded and its gauges made at the first scrape, not at start: every gauge reads its
   * value at scrape time anyway, and a gateway nobody scrapes does not carry the library's ~15,000
   * objects in the heap its collector walks during /v1 traffic.
   */
  #gauges(): Promise<Registry> {
    this.#registry ??= (async () => {
      const { Gauge, Registry } = await import("prom-client");
      const sources = this.sources;
      const registry = new Registry();
      const registers = [registry];
      new Gauge({
        name: "snodus_spend_queue_depth",
        help: "Spend rows queued and not yet written",
        registers,
        collect() {
          this.set(sources.spendQueueDepth());
        },
      });
      const cache = () => sources.keyCache();
      new Gauge({
        name: "snodus_key_cache_hits",
        help: "Key lookups answered from memory since start",
        registers,
        collect() {
          this.set(cache().hits);
        },
      });
      new Gauge({
        name: "snodus_key_cache_misses",
        help: "Key lookups that read the store since start",
        registers,
        collect() {
          this.set(cache().misses);
        },
      });
      new Gauge({
        name: "snodus_key_cache_hit_ratio",
        help: "Share of key lookups answered from memory since start (1 when none yet)",
        registers,
        collect() {
          const { hits, misses } = cache();
          this.set(hits + misses === 0 ? 1 : hits / (hits + misses));
        },
      });
      new Gauge({
        name: "snodus_inflight_requests",
        help: "Requests in flight on this instance",
        registers,
        collect() {
          this.set(sources.inflight());
        },
      });
      new Gauge({
        name: "snodus_store_up",
        help: "1 when the database answered a ping at scrape time",
        registers,
        async collect() {
          this.set(await sources.storeUp());
        },
      });
      const redisUp = sources.redisUp;
      if (redisUp)
        new Gauge({
          name: "snodus_redis_up",
          help: "1 while the shared limit store (Redis) is reachable; absent without REDIS_URL",
          registers,
          collect() {
            this.set(redisUp());
          },
        });
      return registry;
    })();
    return this.#registry;
  }

  attempt(s: AttemptSample): void {
    const status = String(s.status);
    this.#requests.inc([s.door, s.model, s.provider, status]);
    if (s.ttfbSeconds !== null) this.#ttfb.observe([s.provider], s.ttfbSeconds);
    if (s.upstreamSeconds !== null) this.#upstream.observe([s.provider], s.upstreamSeconds);
    const u = s.usage;
    if (u.inputTokens) this.#tokens.inc([s.model, s.provider, "input"], u.inputTokens);
    if (u.outputTokens) this.#tokens.inc([s.model, s.provider, "output"], u.outputTokens);
    if (u.cacheReadInputTokens) this.#tokens.inc([s.model, s.provider, "cache_read"], u.cacheReadInputTokens);
    if (u.cacheCreationInputTokens)
      this.#tokens.inc([s.model, s.provider, "cache_write"], u.cacheCreationInputTokens);
    if (s.costMicros) this.#spend.inc([s.model, s.provider], s.costMicros);
  }

  overhead(door: string, seconds: number): void {
    this.#overhead.observe([door], seconds);
  }

  refused(reason: LimitReason, status: number): void {
    this.#limits.inc([reason, String(status)]);
  }

  spendWrite(seconds: number, ok: boolean): void {
    this.#spendWrite.observe([ok ? "ok" : "error"], seconds);
  }

  /** The text exposition format. */
  async render(): Promise<string> {
    const hot = [
      this.#requests,
      this.#overhead,
      this.#upstream,
      this.#ttfb,
      this.#tokens,
      this.#spend,
      this.#limits,
      this.#spendWrite,
    ];
    const registry = await this.#gauges();
    return hot.map((m) => m.render()).join("") + (await registry.metrics());
  }

  /** The exposition format's content type (prom-client's text format, which render() writes). */
  get contentType(): string {
    return PROMETHEUS_TEXT;
  }
}

/** The refusal reason of a gateway error code (402/403/429 only; anything else is not a limit). */
export function limitReason(status: number, code: string | undefined): LimitReason | null {
  if (status === 429) return code === "concurrency_limit_exceeded" ? "concurrency" : "rate_limit";
  if (status === 402) return "budget";
  if (status !== 403) return null;
  switch (code) {
    case "plan_limit_reached":
      return "plan_quota";
    case "model_not_allowed":
    case "key_revoked":
    case "key_expired":
    case "user_inactive":
      return code;
    default:
      return "other";
  }
}
