// Which provider serves a model: configured providers, model families, and models discovered at run time.
import type { Config } from "../config/env.ts";
import type { Logger } from "../log.ts";
import type { Tier } from "../modules/router/rules.ts";
import { type BuiltinName, type Provider, type ProviderName, providersFor } from "./index.ts";
import { type DeploymentHealth, DeploymentPool, type Lease } from "./pool.ts";
import type { ProviderTarget } from "./types.ts";

export type { ProviderName } from "./index.ts";

export interface ProviderStatus {
  name: ProviderName;
  configured: boolean;
  /** null when not checked (not configured) */
  reachable: boolean | null;
  upstreamUrl: string | null;
  models: string[];
  /** Its deployments, their health in this process and whether each answers now, when it has several. */
  deployments: (DeploymentHealth & { reachable: boolean })[];
}

/** A provider that can take a request now, with where to send it. */
export interface ResolvedProvider {
  provider: Provider;
  target: ProviderTarget;
  /** The deployment chosen for this attempt when the provider has several; the Attempt reports back to it. */
  lease: Lease | null;
}

export interface RegistryOptions {
  now?: () => number;
  random?: () => number;
}

const NO_DEPLOYMENTS: ReadonlySet<string> = new Set();

/** Discovered model lists (Ollama's) are refreshed this often (and at start). */
const DISCOVERY_REFRESH_MS = 60_000;

/** The router's default tiers per built-in provider, best first in resolution order. */
const DEFAULT_TIERS = new Map<ProviderName, Record<Tier, string>>([
  ["anthropic", { cheap: "claude-haiku-4-5", middle: "claude-sonnet-4-5", top: "claude-opus-4-5" }],
  ["openai", { cheap: "gpt-4o-mini", middle: "gpt-4.1", top: "gpt-5" }],
] satisfies [BuiltinName, Record<Tier, string>][]);

export class ProviderRegistry {
  readonly #config: Config;
  readonly #fetch: typeof fetch;
  readonly #log: Logger;
  /** Configured upstreams first, then the built-in ones (see providersFor). */
  readonly #providers: readonly Provider[];
  readonly #discovered = new Map<ProviderName, string[]>();
  readonly #reachable = new Map<ProviderName, boolean>();
  #timer: ReturnType<typeof setInterval> | null = null;

  /** Providers with several deployments: the pool behind their target. */
  readonly #pools = new Map<ProviderName, DeploymentPool>();

  constructor(config: Config, fetchImpl: typeof fetch, log: Logger, opts: RegistryOptions = {}) {
    this.#config = config;
    this.#fetch = fetchImpl;
    this.#log = log;
    this.#providers = providersFor(config);
    for (const p of this.#providers) {
      const base = p.target(config);
      const declared = config.deployments.filter((d) => d.provider === p.name);
      if (!base || declared.length === 0) continue;
      const deployments = declared.map((d) => ({
        name: d.name,
        weight: d.weight,
        target: { baseUrl: d.baseUrl ?? base.baseUrl, apiKey: d.apiKey ?? base.apiKey },
      }));
      this.#pools.set(
        p.name,
        new DeploymentPool(deployments, { now: opts.now ?? Date.now, random: opts.random }),
      );
    }
  }

  configured(): ProviderName[] {
    return this.#providers.filter((p) => p.target(this.#config) !== null).map((p) => p.name);
  }

  /**
   * The provider for a model, or null when no configured provider serves it. Discovered names win
   * (a local `qwen3:8b` is Ollama's), then families in resolution order.
   */
  resolve(model: string, tried: ReadonlySet<string> = NO_DEPLOYMENTS): ResolvedProvider | null {
    for (const provider of this.#providers) {
      if (!this.#discovered.get(provider.name)?.includes(model)) continue;
      const target = provider.target(this.#config);
      if (target) return this.#resolved(provider, target, tried);
    }
    for (const provider of this.#providers) {
      if (!provider.servesFamily(model)) continue;
      const target = provider.target(this.#config);
      return target ? this.#resolved(provider, target, tried) : null;
    }
    return null;
  }

  /**
   * With several deployments the target is the one the pool picks (by weight, skipping those cooling
   * down and those this request already `tried`); null once every deployment was tried.
   */
  #resolved(provider: Provider, target: ProviderTarget, tried: ReadonlySet<string>): ResolvedProvider | null {
    const pool = this.#pools.get(provider.name);
    if (!pool) return { provider, target, lease: null };
    const lease = pool.pick(tried);
    return lease ? { provider, target: lease.target, lease } : null;
  }

  /** Every model a configured provider lists (discovered ones as last seen). */
  models(): string[] {
    return this.modelEntries().map((m) => m.id);
  }

  /** The same list with the provider that serves each model. */
  modelEntries(): { id: string; provider: ProviderName }[] {
    const out: { id: string; provider: ProviderName }[] = [];
    for (const p of this.#providers) {
      if (!p.target(this.#config)) continue;
      for (const id of [...p.models, ...(this.#discovered.get(p.name) ?? [])])
        out.push({ id, provider: p.name });
    }
    return out;
  }

  /** The router's three tiers: configured ones win, else the best family among configured providers. */
  tiers(): Record<Tier, string | null> {
    const t = this.#config.routerTiers;
    let defaults: Record<Tier, string | null> = { cheap: null, middle: null, top: null };
    for (const p of this.#providers) {
      if (!p.target(this.#config)) continue;
      const tiers = DEFAULT_TIERS.get(p.name);
      const first = this.#discovered.get(p.name)?.[0] ?? null;
      if (tiers) {
        defaults = tiers;
        break;
      }
      if (first) {
        defaults = { cheap: first, middle: first, top: first };
        break;
      }
    }
    return {
      cheap: t.cheap ?? defaults.cheap,
      middle: t.middle ?? defaults.middle,
      top: t.top ?? defaults.top,
    };
  }

  ollamaModels(): string[] {
    return this.#discovered.get("ollama") ?? [];
  }

  /** Re-reads every discovering provider's model list; failures keep the last list and log once. */
  async refresh(): Promise<void> {
    await Promise.all(
      this.#providers.map(async (p) => {
        const target = p.target(this.#config);
        if (!target || !p.discover) return;
        try {
          this.#discovered.set(p.name, await p.discover(target, this.#fetch));
          if (this.#reachable.get(p.name) === false)
            this.#log.info(`${p.name} reachable again`, { models: this.#discovered.get(p.name)?.length });
          this.#reachable.set(p.name, true);
        } catch (err) {
          if (this.#reachable.get(p.name) !== false)
            this.#log.warn(`${p.name} model discovery failed`, { err: (err as Error).message });
          this.#reachable.set(p.name, false);
        }
      }),
    );
  }

  /** Kept for callers that only care about Ollama. */
  refreshOllama(): Promise<void> {
    return this.refresh();
  }

  start(): void {
    if (!this.#providers.some((p) => p.discover && p.target(this.#config))) return;
    void this.refresh();
    this.#timer ??= setInterval(() => void this.refresh(), DISCOVERY_REFRESH_MS);
    this.#timer.unref?.();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** Every provider, configured or not, with reachability checked now (for the CLI and admin API). */
  async status(): Promise<ProviderStatus[]> {
    await this.refresh();
    return Promise.all(
      this.#providers.map(async (p): Promise<ProviderStatus> => {
        const target = p.target(this.#config);
        const discovers = p.discover !== undefined;
        const reachable = !target
          ? null
          : discovers
            ? (this.#reachable.get(p.name) ?? null)
            : await this.#probe(target.baseUrl);
        return {
          name: p.name,
          configured: target !== null,
          reachable,
          upstreamUrl: p.upstreamUrl(this.#config),
          models: [...p.models, ...(this.#discovered.get(p.name) ?? [])],
          deployments: await Promise.all(
            (this.#pools.get(p.name)?.health() ?? []).map(async (d) => ({
              ...d,
              reachable: await this.#probe(d.upstreamUrl),
            })),
          ),
        };
      }),
    );
  }

  /** Any HTTP answer means the host is up; only a transport failure counts as unreachable. */
  async #probe(baseUrl: string): Promise<boolean> {
    try {
      const res = await this.#fetch(baseUrl, { method: "HEAD", signal: AbortSignal.timeout(3_000) });
      await res.arrayBuffer().catch(() => {});
      return true;
    } catch {
      return false;
    }
  }
}
