// Everything the proxy routes need, built once per app by createApp.
import type { Config } from "../../config/env.ts";
import type { Logger } from "../../log.ts";
import type { Pricer } from "../../pricing/pricer.ts";
import type { ProviderRegistry } from "../../providers/registry.ts";
import type { KeyCache } from "../auth/key-cache.ts";
import type { LimitGuard } from "../limits/guard.ts";
import type { Metrics } from "../metrics/metrics.ts";
import type { SpendRecorder } from "../spend/recorder.ts";
import type { Tracing } from "../tracing/tracing.ts";
import type { Inflight } from "./inflight.ts";

export interface ProxyContext {
  config: Config;
  log: Logger;
  fetch: typeof fetch;
  now: () => number;
  keys: KeyCache;
  spend: SpendRecorder;
  pricer: Pricer;
  inflight: Inflight;
  limits: LimitGuard;
  providers: ProviderRegistry;
  metrics: Metrics;
  tracing: Tracing;
}
