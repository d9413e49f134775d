// `snodus serve`: open the store, build the gateway, listen, and shut down gracefully on SIGINT/SIGTERM.
import { createGateway, type Gateway } from "./app.ts";
import type { Config } from "./config/env.ts";
import type { Logger } from "./log.ts";
import { type AlertDedup, RedisDedup } from "./modules/alerts/dedup.ts";
import { FailoverLimitStore } from "./modules/limits/failover.ts";
import { monthLoader } from "./modules/limits/loader.ts";
import { MemoryLimitStore } from "./modules/limits/memory.ts";
import { RedisLimits } from "./modules/limits/redis.ts";
import type { LimitStore } from "./modules/limits/types.ts";
import { serveMetrics } from "./modules/metrics/index.ts";
import { MAX_BODY_BYTES } from "./modules/proxy/request-body.ts";
import { preloadTokenizer } from "./modules/router/tokens.ts";
import { openStore } from "./store/open.ts";
import type { Store } from "./store/types.ts";

export interface RunningServer {
  url: string;
  /** The SNODUS_METRICS_ADDR listener's base URL, when configured. */
  metricsUrl: string | null;
  port: number;
  store: Store;
  gateway: Gateway;
  /** Stops accepting, lets in-flight streams finish (bounded), writes every pending spend row, closes the store. */
  shutdown(): Promise<void>;
}

export interface StartOptions {
  fetch?: typeof fetch;
  now?: () => number;
}

export async function startServer(
  config: Config,
  log: Logger,
  opts: StartOptions = {},
): Promise<RunningServer> {
  // Reports (src/modules/analytics/jobs.ts) and spend writes run in worker threads on either dialect.
  const store = await openStore(config.database, { lane: true });
  const now = opts.now ?? Date.now;
  const shared = await sharedLimits(config, store, log, now);
  // The OpenTelemetry SDK is loaded only when traces are exported (see tracing/tracing.ts for why).
  const tracing = config.otelEndpoint
    ? (await import("./modules/tracing/otel.ts")).createTracing({
        endpoint: config.otelEndpoint,
        serviceName: config.otelServiceName,
      })
    : undefined;
  const gateway = createGateway({
    config,
    store,
    log,
    fetch: opts.fetch ?? fetch,
    now,
    limitStore: shared?.limits,
    alertDedup: shared?.dedup,
    tracing,
  });
  gateway.start();
  // The score method's tokenizer takes a few hundred milliseconds to load: pay it before listening,
  // not on the first routed request.
  if (config.routerEnabled && config.routerMethod === "score") preloadTokenizer();
  const { app } = gateway;
  // Our own 413 (in the client's protocol) fires first; Bun's hard limit sits above it.
  // The idle timeout closes idle keep-alive connections and stalled bodies; /v1 requests lift it while
  // in flight (src/http/idle.ts), so long generations may be silent for minutes between events.
  try {
    app.listen({
      hostname: config.addr.hostname,
      port: config.addr.port,
      idleTimeout: config.idleTimeoutS,
      maxRequestBodySize: MAX_BODY_BYTES * 2,
      // Elysia turns SO_REUSEPORT on by default; with it a second gateway on a taken port would start
      // silently and the kernel would split connections between the two.
      reusePort: config.reusePort,
    });
  } catch (err) {
    await gateway.drain(0);
    await store.close();
    throw portInUse(err, config) ?? err;
  }
  const server = app.server;
  if (!server) throw new Error("server failed to start");
  const host = config.addr.hostname.includes(":") ? `[${config.addr.hostname}]` : config.addr.hostname;
  log.info(`listening on ${host}:${server.port}`, { store: config.database.kind });
  const metricsServer = config.metricsAddr
    ? serveMetrics(gateway.metrics, config.metricsAddr, config.metricsToken)
    : null;
  if (metricsServer) log.info(`metrics on ${metricsServer.hostname}:${metricsServer.port}/metrics`);
  if (!config.adminPassword)
    log.warn("ADMIN_PASSWORD is not set: Basic auth for /admin is off (admin keys still work)");

  let closing: Promise<void> | null = null;
  const shutdown = () => {
    closing ??= (async () => {
      log.info("shutting down: no new connections; waiting for in-flight requests", {
        inflight: gateway.inflight.count,
      });
      void server.stop(false);
      const { drained, unwritten } = await gateway.drain(config.shutdownGraceMs);
      if (!drained)
        log.warn("grace period over with requests still in flight", { inflight: gateway.inflight.count });
      await server.stop(true);
      await metricsServer?.stop(true);
      await store.close();
      log.info("stopped", { spendRowsWritten: gateway.spend.written, unwritten });
    })();
    return closing;
  };
  const local = config.addr.hostname === "0.0.0.0" || config.addr.hostname === "::" ? "127.0.0.1" : host;
  return {
    url: `http://${local}:${server.port}`,
    port: server.port ?? 0,
    metricsUrl:
      metricsServer && config.metricsAddr
        ? `http://${reachable(config.metricsAddr.hostname)}:${metricsServer.port}`
        : null,
    store,
    gateway,
    shutdown,
  };
}

/** A clear message for EADDRINUSE: which address, and how to share it on purpose. */
function portInUse(err: unknown, config: Config): Error | null {
  if ((err as { code?: unknown })?.code !== "EADDRINUSE") return null;
  const { hostname, port } = config.addr;
  const host = hostname.includes(":") ? `[${hostname}]` : hostname;
  return new Error(
    `${host}:${port} is already in use (another snodus serve?); stop it, pick another SNODUS_ADDR, ` +
      "or set SNODUS_REUSE_PORT=true on every process that should share the port",
  );
}

/** With REDIS_URL, limits and alert de-duplication are shared by every instance (memory during outages). */
async function sharedLimits(
  config: Config,
  store: Store,
  log: Logger,
  now: () => number,
): Promise<{ limits: LimitStore; dedup: AlertDedup } | undefined> {
  if (!config.redisUrl) return undefined;
  const load = monthLoader(store);
  const redis = new RedisLimits({ url: config.redisUrl.reveal(), prefix: config.redisPrefix, load });
  const limits = new FailoverLimitStore(redis, new MemoryLimitStore(load), log, now);
  await limits.start();
  return { limits, dedup: new RedisDedup(redis.client, config.redisPrefix) };
}

/** A wildcard bind address is reached through loopback; a specific one as it is. */
function reachable(hostname: string): string {
  if (hostname === "0.0.0.0" || hostname === "::") return "127.0.0.1";
  return hostname.includes(":") ? `[${hostname}]` : hostname;
}
