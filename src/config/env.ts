// Every environment variable Snodus reads, declared once with its default and validation.
import type { BlockList } from "node:net";
import { parseTrustedProxies } from "../http/client-ip.ts";
import type { RouterMethod } from "../modules/router/index.ts";
import { parseDatabaseUrl, type StoreLocation } from "./database-url.ts";
import { type ConfiguredProvider, type DeploymentConfig, loadConfigFile } from "./providers-file.ts";
import { Secret } from "./secret.ts";

export interface Config {
  /** DATABASE_URL — SQLite file (default `snodus.db`) or `postgres://…`. */
  database: StoreLocation;
  /** SNODUS_ADDR — listen address `host:port`. */
  addr: { hostname: string; port: number };
  /** REDIS_URL — shared limits and cache invalidation across instances; unset = in-process. */
  redisUrl: Secret | null;
  /** SNODUS_REDIS_PREFIX — namespace of every Redis key, so deployments can share one Redis. */
  redisPrefix: string;
  /** ANTHROPIC_API_KEY — the real key sent upstream in place of the virtual one. */
  anthropicApiKey: Secret | null;
  /** ANTHROPIC_UPSTREAM_URL — where Anthropic requests go (tests point it at the mock). */
  anthropicUpstreamUrl: string;
  /** OPENAI_API_KEY — enables the OpenAI provider. */
  openaiApiKey: Secret | null;
  /** OPENAI_UPSTREAM_URL — where OpenAI requests go. */
  openaiUpstreamUrl: string;
  /** OLLAMA_BASE_URL — enables a local Ollama. */
  ollamaBaseUrl: string | null;
  /** ADMIN_USERNAME — Basic-auth user of the global administrator. */
  adminUsername: string;
  /** ADMIN_PASSWORD — Basic-auth password; unset = Basic auth off (no default password). */
  adminPassword: Secret | null;
  /** SNODUS_ROUTER_ENABLED — lets `"model": "auto"` be routed by rules. */
  routerEnabled: boolean;
  /** SNODUS_ROUTER_METHOD — `rules` (the spec's keywords and lengths) or `score` (see ROUTING.md). */
  routerMethod: RouterMethod;
  /** SNODUS_ROUTER_{CHEAP,MIDDLE,TOP}_MODEL — the three tiers; unset = chosen from configured providers. */
  routerTiers: { cheap: string | null; middle: string | null; top: string | null };
  /** SNODUS_FALLBACKS — `model=fallback1,fallback2;other=…`: who answers when a model's upstream fails. */
  fallbacks: Map<string, string[]>;
  /** SNODUS_TRUSTED_PROXIES — load balancers whose X-Forwarded-For names the client (IPs or CIDRs). */
  trustedProxies: BlockList | null;
  /** SNODUS_FEATURES_SIGNUP — enables POST /signup. */
  featureSignup: boolean;
  /** SNODUS_FEATURES_PLANS — enforces plan caps (tokens, users, keys). */
  featurePlans: boolean;
  /** SNODUS_FEATURES_LANDING — serves a landing page at `/`. */
  featureLanding: boolean;
  /** SNODUS_WEBHOOK_URL — receives budget and rate-limit alerts. */
  webhookUrl: string | null;
  /** SNODUS_WEBHOOK_SECRET — signs webhook bodies with HMAC-SHA256. */
  webhookSecret: Secret | null;
  /** SNODUS_UPSTREAM_TIMEOUT_MS — longest wait for upstream response headers / between stream bytes. */
  upstreamTimeoutMs: number;
  /** SNODUS_CONNECT_TIMEOUT_MS — longest wait to open an upstream connection. */
  connectTimeoutMs: number;
  /** SNODUS_SHUTDOWN_GRACE_MS — how long SIGTERM waits for in-flight streams. */
  shutdownGraceMs: number;
  /**
   * SNODUS_REUSE_PORT — let several processes listen on one port (SO_REUSEPORT; the kernel spreads
   * connections). Off by default, so a second `serve` on a taken port fails instead of silently sharing.
   */
  reusePort: boolean;
  /**
   * SNODUS_IDLE_TIMEOUT_S — a connection on which no byte moves for this long is closed: idle keep-alive
   * connections and stalled request bodies. /v1 requests are exempt while in flight (long generations
   * and silent streams stay open); Bun itself closes connections that never finish their headers.
   */
  idleTimeoutS: number;
  /** SNODUS_DEFAULT_PRICE — `input,output` USD per million tokens for models the price table lacks. */
  defaultPrice: { inputPerMTok: number; outputPerMTok: number };
  /** SNODUS_LOG_LEVEL — debug, info, warn or error. */
  logLevel: "debug" | "info" | "warn" | "error";
  /** SNODUS_CONFIG — a TOML or JSON file declaring OpenAI-compatible upstreams (`providers-file.ts`). */
  providers: ConfiguredProvider[];
  /**
   * ANTHROPIC_API_KEYS / OPENAI_API_KEYS (comma-separated, equal weights) and the file's `[[deployments]]`:
   * several keys or replicas per provider, balanced per attempt.
   */
  deployments: DeploymentConfig[];
  /** SNODUS_LOG_FORMAT — `text` (key=value lines) or `json` (one object per line). */
  logFormat: "text" | "json";
  /** SNODUS_METRICS_TOKEN — bearer token that opens `GET /metrics` on the main listener; unset = closed there. */
  metricsToken: Secret | null;
  /** OTEL_EXPORTER_OTLP_ENDPOINT — OTLP/HTTP collector base URL (`…/v1/traces` is appended); unset = no tracing. */
  otelEndpoint: string | null;
  /** OTEL_SERVICE_NAME — the traces' service.name. */
  otelServiceName: string;
  /** SNODUS_ADMIN_KEY — an admin virtual key the CLI sends with `--url` to read a running gateway. */
  adminKey: Secret | null;
  /** SNODUS_METRICS_ADDR — a separate `host:port` serving only `/metrics` (no token needed unless set). */
  metricsAddr: { hostname: string; port: number } | null;
}

export type Env = Record<string, string | undefined>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "ConfigError";
  }
}

const TRUE = new Set(["1", "true", "yes", "on"]);
const FALSE = new Set(["0", "false", "no", "off", ""]);

/** Reads and validates the whole config; throws one ConfigError listing every bad value. */
export function loadConfig(env: Env): Config {
  const problems: string[] = [];
  const get = (name: string) => {
    const v = env[name]?.trim();
    return v === undefined || v === "" ? undefined : v;
  };
  const check = <T>(name: string, fallback: T, parse: (raw: string) => T): T => {
    const raw = get(name);
    if (raw === undefined) return fallback;
    try {
      return parse(raw);
    } catch (err) {
      problems.push(`${name} ${(err as Error).message}`);
      return fallback;
    }
  };
  const flag = (name: string) =>
    check(name, false, (raw) => {
      const v = raw.toLowerCase();
      if (TRUE.has(v)) return true;
      if (FALSE.has(v)) return false;
      throw new Error(`must be true or false (got "${raw}")`);
    });
  const httpUrl = (name: string, fallback: string) =>
    check(name, fallback, (raw) => {
      let u: URL;
      try {
        u = new URL(raw);
      } catch {
        throw new Error(`must be an http:// or https:// URL (got "${raw}")`);
      }
      if (u.protocol !== "http:" && u.protocol !== "https:") {
        throw new Error(`must be an http:// or https:// URL (got "${raw}")`);
      }
      return raw.replace(/\/+$/, "");
    });
  const millis = (name: string, fallback: number) =>
    check(name, fallback, (raw) => {
      const n = Number(raw);
      if (!Number.isInteger(n) || n <= 0)
        throw new Error(`must be a positive integer of milliseconds (got "${raw}")`);
      return n;
    });
  const secret = (name: string) => {
    const raw = get(name);
    return raw === undefined ? null : new Secret(raw);
  };

  let database: StoreLocation = { kind: "sqlite", path: "snodus.db" };
  try {
    database = parseDatabaseUrl(get("DATABASE_URL"));
  } catch (err) {
    problems.push((err as Error).message);
  }

  const redisUrl = secret("REDIS_URL");
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl.reveal()))
    problems.push("REDIS_URL must start with redis:// or rediss://");

  const file = loadConfigFile(get("SNODUS_CONFIG"), env, problems);
  const keyList = (name: string, provider: string): DeploymentConfig[] =>
    (get(name) ?? "")
      .split(",")
      .map((k) => k.trim())
      .filter(Boolean)
      .map((k, i) => ({ provider, name: `key-${i + 1}`, baseUrl: null, apiKey: new Secret(k), weight: 1 }));
  const deployments = [
    ...keyList("ANTHROPIC_API_KEYS", "anthropic"),
    ...keyList("OPENAI_API_KEYS", "openai"),
    ...file.deployments,
  ];
  // A list of keys alone enables the provider: its first key stands for the provider's own.
  const firstKey = (provider: string) =>
    deployments.find((d) => d.provider === provider && d.apiKey)?.apiKey ?? null;

  const config: Config = {
    database,
    addr: check("SNODUS_ADDR", { hostname: "0.0.0.0", port: 8080 }, parseAddr),
    redisUrl,
    redisPrefix: check("SNODUS_REDIS_PREFIX", "snodus", (raw) => {
      if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(raw))
        throw new Error(`must be 1-64 letters, digits or _ . : - (got "${raw}")`);
      return raw;
    }),
    anthropicApiKey: secret("ANTHROPIC_API_KEY") ?? firstKey("anthropic"),
    anthropicUpstreamUrl: httpUrl("ANTHROPIC_UPSTREAM_URL", "https://api.anthropic.com"),
    openaiApiKey: secret("OPENAI_API_KEY") ?? firstKey("openai"),
    openaiUpstreamUrl: httpUrl("OPENAI_UPSTREAM_URL", "https://api.openai.com"),
    ollamaBaseUrl: get("OLLAMA_BASE_URL") === undefined ? null : httpUrl("OLLAMA_BASE_URL", ""),
    adminUsername: get("ADMIN_USERNAME") ?? "admin",
    adminPassword: secret("ADMIN_PASSWORD"),
    routerEnabled: flag("SNODUS_ROUTER_ENABLED"),
    routerMethod: check("SNODUS_ROUTER_METHOD", "rules" as RouterMethod, (raw) => {
      const v = raw.toLowerCase();
      if (v === "rules" || v === "score") return v;
      throw new Error(`must be rules or score (got "${raw}")`);
    }),
    routerTiers: {
      cheap: get("SNODUS_ROUTER_CHEAP_MODEL") ?? null,
      middle: get("SNODUS_ROUTER_MIDDLE_MODEL") ?? null,
      top: get("SNODUS_ROUTER_TOP_MODEL") ?? null,
    },
    fallbacks: check("SNODUS_FALLBACKS", new Map<string, string[]>(), parseFallbacks),
    trustedProxies: check("SNODUS_TRUSTED_PROXIES", null, parseTrustedProxies),
    featureSignup: flag("SNODUS_FEATURES_SIGNUP"),
    featurePlans: flag("SNODUS_FEATURES_PLANS"),
    featureLanding: flag("SNODUS_FEATURES_LANDING"),
    webhookUrl: get("SNODUS_WEBHOOK_URL") === undefined ? null : httpUrl("SNODUS_WEBHOOK_URL", ""),
    webhookSecret: secret("SNODUS_WEBHOOK_SECRET"),
    upstreamTimeoutMs: millis("SNODUS_UPSTREAM_TIMEOUT_MS", 600_000),
    connectTimeoutMs: millis("SNODUS_CONNECT_TIMEOUT_MS", 10_000),
    shutdownGraceMs: millis("SNODUS_SHUTDOWN_GRACE_MS", 30_000),
    reusePort: flag("SNODUS_REUSE_PORT"),
    idleTimeoutS: check("SNODUS_IDLE_TIMEOUT_S", 30, (raw) => {
      const n = Number(raw);
      // Bun's limit for a connection's idle timeout.
      if (!Number.isInteger(n) || n < 1 || n > 255)
        throw new Error(`must be an integer number of seconds from 1 to 255 (got "${raw}")`);
      return n;
    }),
    defaultPrice: check("SNODUS_DEFAULT_PRICE", { inputPerMTok: 3, outputPerMTok: 15 }, parsePrice),
    logLevel: check("SNODUS_LOG_LEVEL", "info" as Config["logLevel"], (raw) => {
      if (raw === "debug" || raw === "info" || raw === "warn" || raw === "error") return raw;
      throw new Error(`must be debug, info, warn or error (got "${raw}")`);
    }),
    providers: file.providers,
    deployments,
    logFormat: check("SNODUS_LOG_FORMAT", "text" as Config["logFormat"], (raw) => {
      if (raw === "text" || raw === "json") return raw;
      throw new Error(`must be text or json (got "${raw}")`);
    }),
    metricsToken: secret("SNODUS_METRICS_TOKEN"),
    adminKey: secret("SNODUS_ADMIN_KEY"),
    otelEndpoint:
      get("OTEL_EXPORTER_OTLP_ENDPOINT") === undefined ? null : httpUrl("OTEL_EXPORTER_OTLP_ENDPOINT", ""),
    otelServiceName: get("OTEL_SERVICE_NAME") ?? "snodus",
    metricsAddr: check<Config["metricsAddr"]>("SNODUS_METRICS_ADDR", null, parseAddr),
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}

function parseAddr(raw: string): { hostname: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(raw) ?? /^()()(\d+)$/.exec(raw);
  const port = Number(m?.[3]);
  if (!m || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`must be host:port, e.g. 0.0.0.0:8080 (got "${raw}")`);
  }
  return { hostname: m[1] || m[2] || "0.0.0.0", port };
}

function parsePrice(raw: string): { inputPerMTok: number; outputPerMTok: number } {
  const parts = raw.split(",").map((p) => Number(p.trim()));
  const [input, output] = parts;
  if (parts.length !== 2 || input === undefined || output === undefined || !(input >= 0) || !(output >= 0)) {
    throw new Error(`must be "input,output" in USD per million tokens, e.g. 3,15 (got "${raw}")`);
  }
  return { inputPerMTok: input, outputPerMTok: output };
}

function parseFallbacks(raw: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const rule of raw
    .split(";")
    .map((r) => r.trim())
    .filter(Boolean)) {
    const [model, list] = rule.split("=").map((p) => p.trim());
    const chain = (list ?? "")
      .split(",")
      .map((m) => m.trim())
      .filter(Boolean);
    if (!model || chain.length === 0) {
      throw new Error(
        `must look like "claude-opus-4-5=claude-sonnet-4-5,gpt-4.1;gpt-4o=gpt-4o-mini" (bad rule "${rule}")`,
      );
    }
    out.set(model, chain);
  }
  return out;
}
