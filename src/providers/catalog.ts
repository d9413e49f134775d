// Which providers this gateway is configured for, and the models each one lists (without probing).
import type { Config } from "../config/env.ts";
import { type ProviderName, providersFor } from "./index.ts";

export { ANTHROPIC_MODELS } from "./anthropic/index.ts";
export { OPENAI_MODELS } from "./openai/index.ts";

export interface ProviderInfo {
  name: ProviderName;
  configured: boolean;
  upstreamUrl: string | null;
  models: string[];
}

export function listProviders(config: Config): ProviderInfo[] {
  return providersFor(config).map((p) => ({
    name: p.name,
    configured: p.target(config) !== null,
    upstreamUrl: p.upstreamUrl(config),
    models: [...p.models],
  }));
}
