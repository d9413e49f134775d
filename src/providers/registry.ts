// Which provider serves a model: configured providers, model families, and Ollama's discovered models.
import type { Config } from "../config/env.ts";
import type { Logger } from "../log.ts";
import type { Tier } from "../modules/router/rules.ts";
import { ANTHROPIC_MODELS, OPENAI_MODELS } from "./catalog.ts";
import { parseOllamaTags } from "./ollama/tags.ts";
import { isAnthropicModel, isOllamaFamily, isOpenAIModel } from "./translate/models.ts";

export type ProviderName = "anthropic" | "openai" | "ollama";

export interface ProviderStatus {
  name: ProviderName;
  configured: boolean;
  /** null when not checked (not configured) */
  reachable: boolean | null;
  upstreamUrl: string | null;
  models: string[];
}

/** Ollama's model list is refreshed this often (and at start). */
const OLLAMA_REFRESH_MS = 60_000;

export class ProviderRegistry {
  readonly #config: Config;
  readonly #fetch: typeof fetch;
  readonly #log: Logger;
  #ollamaModels: string[] = [];
  #ollamaReachable: boolean | null = null;
  #timer: ReturnType<typeof setInterval> | null = null;

  constructor(config: Config, fetchImpl: typeof fetch, log: Logger) {
    this.#config = config;
    this.#fetch = fetchImpl;
    this.#log = log;
  }

  configured(): ProviderName[] {
    const out: ProviderName[] = [];
    if (this.#config.anthropicApiKey) out.push("anthropic");
    if (this.#config.openaiApiKey) out.push("openai");
    if (this.#config.ollamaBaseUrl) out.push("ollama");
    return out;
  }

  /** The provider for a model, or null when no configured provider serves it. */
  resolve(model: string): ProviderName | null {
    const c = this.#config;
    if (c.ollamaBaseUrl && this.#ollamaModels.includes(model)) return "ollama";
    if (isAnthropicModel(model)) return c.anthropicApiKey ? "anthropic" : null;
    if (isOpenAIModel(model)) return c.openaiApiKey ? "openai" : null;
    if (isOllamaFamily(model)) return c.ollamaBaseUrl ? "ollama" : null;
    return null;
  }

  /** The router's three tiers: configured ones win, else the best family among configured providers. */
  tiers(): Record<Tier, string | null> {
    const t = this.#config.routerTiers;
    const defaults: Record<Tier, string | null> = this.#config.anthropicApiKey
      ? { cheap: "claude-haiku-4-5", middle: "claude-sonnet-4-5", top: "claude-opus-4-5" }
      : this.#config.openaiApiKey
        ? { cheap: "gpt-4o-mini", middle: "gpt-4.1", top: "gpt-5" }
        : {
            cheap: this.#ollamaModels[0] ?? null,
            middle: this.#ollamaModels[0] ?? null,
            top: this.#ollamaModels[0] ?? null,
          };
    return {
      cheap: t.cheap ?? defaults.cheap,
      middle: t.middle ?? defaults.middle,
      top: t.top ?? defaults.top,
    };
  }

  ollamaModels(): string[] {
    return this.#ollamaModels;
  }

  async refreshOllama(): Promise<void> {
    const base = this.#config.ollamaBaseUrl;
    if (!base) return;
    try {
      const res = await this.#fetch(`${base}/api/tags`, { signal: AbortSignal.timeout(5_000) });
      if (!res.ok) throw new Error(`status ${res.status}`);
      this.#ollamaModels = parseOllamaTags(await res.json());
      if (this.#ollamaReachable === false)
        this.#log.info("Ollama reachable again", { models: this.#ollamaModels.length });
      this.#ollamaReachable = true;
    } catch (err) {
      if (this.#ollamaReachable !== false)
        this.#log.warn("Ollama model discovery failed", { err: (err as Error).message });
      this.#ollamaReachable = false;
    }
  }

  start(): void {
    if (!this.#config.ollamaBaseUrl) return;
    void this.refreshOllama();
    this.#timer ??= setInterval(() => void this.refreshOllama(), OLLAMA_REFRESH_MS);
    this.#timer.unref?.();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** Every provider, configured or not, with reachability checked now (for the CLI and admin API). */
  async status(): Promise<ProviderStatus[]> {
    const c = this.#config;
    await this.refreshOllama();
    const [anthropic, openai] = await Promise.all([
      c.anthropicApiKey ? this.#probe(c.anthropicUpstreamUrl) : null,
      c.openaiApiKey ? this.#probe(c.openaiUpstreamUrl) : null,
    ]);
    return [
      {
        name: "anthropic",
        configured: !!c.anthropicApiKey,
        reachable: anthropic,
        upstreamUrl: c.anthropicUpstreamUrl,
        models: ANTHROPIC_MODELS,
      },
      {
        name: "openai",
        configured: !!c.openaiApiKey,
        reachable: openai,
        upstreamUrl: c.openaiUpstreamUrl,
        models: OPENAI_MODELS,
      },
      {
        name: "ollama",
        configured: !!c.ollamaBaseUrl,
        reachable: c.ollamaBaseUrl ? this.#ollamaReachable : null,
        upstreamUrl: c.ollamaBaseUrl,
        models: this.#ollamaModels,
      },
    ];
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
