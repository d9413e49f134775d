// Which providers this gateway is configured for, and the models each one serves.
import type { Config } from "../config/env.ts";

export interface ProviderInfo {
  name: "anthropic" | "openai" | "ollama";
  configured: boolean;
  upstreamUrl: string | null;
  models: string[];
}

export const ANTHROPIC_MODELS = [
  "claude-opus-4-5",
  "claude-sonnet-4-5",
  "claude-haiku-4-5",
  "claude-opus-4-1",
  "claude-sonnet-4",
  "claude-3-5-haiku-latest",
];

export const OPENAI_MODELS = [
  "gpt-5",
  "gpt-5-mini",
  "gpt-5-nano",
  "gpt-4.1",
  "gpt-4.1-mini",
  "gpt-4o",
  "gpt-4o-mini",
  "o3",
  "o4-mini",
];

export function listProviders(config: Config): ProviderInfo[] {
  return [
    {
      name: "anthropic",
      configured: config.anthropicApiKey !== null,
      upstreamUrl: config.anthropicUpstreamUrl,
      models: ANTHROPIC_MODELS,
    },
    {
      name: "openai",
      configured: config.openaiApiKey !== null,
      upstreamUrl: config.openaiUpstreamUrl,
      models: OPENAI_MODELS,
    },
    {
      name: "ollama",
      configured: config.ollamaBaseUrl !== null,
      upstreamUrl: config.ollamaBaseUrl,
      models: [],
    },
  ];
}
