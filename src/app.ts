// Builds the gateway from its dependencies; tests call this with fakes and serve it on port 0.
import { Elysia } from "elysia";
import type { Config } from "./config/env.ts";
import { configuredPrice } from "./config/providers-file.ts";
import { errorAnswer } from "./http/error-answer.ts";
import { idleTimeouts } from "./http/idle.ts";
import type { Logger } from "./log.ts";
import { adminRoutes } from "./modules/admin/index.ts";
import { type AlertDedup, MemoryDedup } from "./modules/alerts/dedup.ts";
import { WebhookDelivery } from "./modules/alerts/delivery.ts";
import { AlertNotifier } from "./modules/alerts/notifier.ts";
import { KeyCache } from "./modules/auth/key-cache.ts";
import { healthRoutes } from "./modules/health/index.ts";
import { landingRoutes } from "./modules/landing/index.ts";
import { LimitGuard } from "./modules/limits/guard.ts";
import { monthLoader } from "./modules/limits/loader.ts";
import { MemoryLimitStore } from "./modules/limits/memory.ts";
import type { LimitStore } from "./modules/limits/types.ts";
import { metricsRoutes } from "./modules/metrics/index.ts";
import { Metrics } from "./modules/metrics/metrics.ts";
import type { ProxyContext } from "./modules/proxy/context.ts";
import { proxyRoutes } from "./modules/proxy/index.ts";
import { Inflight } from "./modules/proxy/inflight.ts";
import { nativeProxyRoutes } from "./modules/proxy/native-routes.ts";
import { signupRoutes } from "./modules/signup/index.ts";
import { SpendRecorder } from "./modules/spend/recorder.ts";
import { noTracing, type Tracing } from "./modules/tracing/tracing.ts";
import { createPricer } from "./pricing/pricer.ts";
import { ProviderRegistry } from "./providers/registry.ts";
import type { Store } from "./store/types.ts";

export interface AppDeps {
  config: Config;
  store: Store;
  log: Logger;
  /** Injected so tests can count or fake upstream calls. */
  fetch: typeof fetch;
  /** Injected so limits and months can be tested without sleeping. */
  now: () => number;
  /** Shared (Redis) limits; in-process when absent. */
  limitStore?: LimitStore;
  /** Cross-instance alert de-duplication (Redis); in-process when absent. */
  alertDedup?: AlertDedup;
  /** Trace export (src/modules/tracing/otel.ts, loaded by `serve` when configured); none when absent. */
  tracing?: Tracing;
}

/** The app plus the background services that must be started and stopped with it. */
export interface Gateway {
  app: ReturnType<typeof buildApp>;
  keys: KeyCache;
  limits: LimitGuard;
  limitStore: LimitStore;
  webhooks: WebhookDelivery | null;
  providers: ProviderRegistry;
  spend: SpendRecorder;
  inflight: Inflight;
  metrics: Metrics;
  tracing: Tracing;
  start(): void;
  /** Waits for in-flight requests (bounded), then writes every pending spend row. */
  drain(graceMs: number): Promise<{ drained: boolean; unwritten: number }>;
}

export function createGateway(deps: AppDeps): Gateway {
  const keys = new KeyCache(deps.store, {
    onError: (err) => deps.log.warn("key cache refresh failed", { err }),
  });
  // Gauges read their sources at scrape time, after everything below exists.
  const metrics: Metrics = new Metrics({
    spendQueueDepth: () => spend.pending,
    keyCache: () => ({ hits: keys.hits, misses: keys.lookups, size: keys.size }),
    inflight: () => inflight.count,
    storeUp: () =>
      deps.store.ping().then(
        () => 1,
        () => 0,
      ),
    redisUp: deps.config.redisUrl ? () => (limits.status() === "ok" ? 1 : 0) : null,
  });
  const spend = new SpendRecorder(deps.store, {
    log: deps.log,
    onWrite: (seconds, ok) => metrics.spendWrite(seconds, ok),
  });
  const inflight = new Inflight();
  const pricer = createPricer({
    defaultPrice: defaultPrice(deps.config),
    configured: (model) => configuredPrice(deps.config.providers, model),
    onUnknown: (model) =>
      deps.log.warn("model not in the price table; using SNODUS_DEFAULT_PRICE", { model }),
  });
  const limitStore = deps.limitStore ?? new MemoryLimitStore(monthLoader(deps.store));
  const webhooks = deps.config.webhookUrl
    ? new WebhookDelivery({
        url: deps.config.webhookUrl,
        secret: deps.config.webhookSecret,
        fetch: deps.fetch,
        log: deps.log,
      })
    : null;
  const alerts = webhooks
    ? new AlertNotifier({
        delivery: webhooks,
        dedup: deps.alertDedup ?? new MemoryDedup(),
        limits: limitStore,
        now: deps.now,
        log: deps.log,
      })
    : undefined;
  const limits = new LimitGuard({
    store: limitStore,
    pricer,
    plansEnforced: deps.config.featurePlans,
    events: alerts,
    onSettleError: (err) => deps.log.error("budget settlement failed", { err }),
  });
  const providers = new ProviderRegistry(deps.config, deps.fetch, deps.log, { now: deps.now });
  const tracing = deps.tracing ?? noTracing;
  const proxy: ProxyContext = {
    metrics,
    ...deps,
    // After deps: theirs is optional, this one never undefined.
    tracing,
    keys,
    spend,
    pricer,
    inflight,
    limits,
    providers,
  };
  const app = buildApp(deps, proxy, limitStore);
  return {
    app,
    keys,
    limits,
    limitStore,
    webhooks,
    spend,
    inflight,
    providers,
    metrics,
    tracing,
    start: () => {
      keys.start();
      providers.start();
    },
    async drain(graceMs) {
      const drained = await inflight.idle(graceMs);
      if (!drained) {
        // The deadline: every open attempt ends now, each stream with its protocol's error event and
        // every attempt with its spend row (the usage so far); they are written below.
        const cut = inflight.cutAll();
        deps.log.warn("grace period over: cutting the requests still in flight", { cut });
        await inflight.idle(2_000);
      }
      keys.stop();
      providers.stop();
      const unwritten = await spend.close();
      await webhooks?.idle(2_000);
      await limitStore.close();
      // Exports the spans still buffered.
      await tracing.close().catch((err) => deps.log.warn("trace export failed at shutdown", { err }));
      return { drained, unwritten };
    },
  };
}

/** Shorthand for tests that only need the HTTP app. */
export function createApp(deps: AppDeps) {
  return createGateway(deps).app;
}

function buildApp(deps: AppDeps, proxy: ProxyContext, limitStore: LimitStore) {
  return new Elysia({
    name: "snodus",
    // The hot /v1 POST routes skip the framework when served by Bun (native-routes.ts).
    serve: { routes: nativeProxyRoutes(proxy, deps.log, deps.config.idleTimeoutS) },
  })
    .use(idleTimeouts(deps.config.idleTimeoutS))
    .onError(({ code, error, request, path }) => errorAnswer(deps.log, code, error, request, path))
    .use(
      healthRoutes({
        store: deps.store,
        components: (): Record<string, string> =>
          deps.config.redisUrl ? { redis: proxy.limits.status() } : {},
      }),
    )
    .use(proxyRoutes(proxy))
    .use(metricsRoutes(proxy.metrics, deps.config.metricsToken))
    .use(
      adminRoutes({
        store: deps.store,
        config: deps.config,
        keys: proxy.keys,
        limits: limitStore,
        now: deps.now,
        log: deps.log,
        providers: proxy.providers,
      }),
    )
    .use(
      signupRoutes({
        store: deps.store,
        config: deps.config,
        limits: limitStore,
        now: deps.now,
        log: deps.log,
      }),
    )
    .use(landingRoutes(deps.config));
}

function defaultPrice(config: Config) {
  const { inputPerMTok, outputPerMTok } = config.defaultPrice;
  const input = Math.round(inputPerMTok * 1_000_000);
  return {
    input,
    output: Math.round(outputPerMTok * 1_000_000),
    cacheWrite5m: Math.round(input * 1.25),
    cacheWrite1h: input * 2,
    cacheRead: Math.round(input / 10),
  };
}
