// Every provider the gateway knows, in resolution order: the ones SNODUS_CONFIG declares, then the built-in ones.
import type { Config } from "../config/env.ts";
import { anthropic } from "./anthropic/index.ts";
import { ollama } from "./ollama/index.ts";
import { openai } from "./openai/index.ts";
import { openAICompatible } from "./openai-compatible/index.ts";
import type { ProviderDescriptor } from "./types.ts";

/** Adding a built-in provider: one folder with its descriptor, and one entry here. */
const BUILTIN = [anthropic, openai, ollama] as const;

export type BuiltinName = (typeof BUILTIN)[number]["name"];
/** A built-in provider's name, or one an operator declared (any string; autocompletion keeps the built-ins). */
export type ProviderName = BuiltinName | (string & {});
export type Provider = ProviderDescriptor<ProviderName>;

const built = new WeakMap<Config, readonly Provider[]>();

/**
 * The providers of one configuration, built once per config (configuration is read once, at start):
 * configured ones first, so an operator's explicit models and prefixes win over the built-in families.
 */
export function providersFor(config: Config): readonly Provider[] {
  let list = built.get(config);
  if (!list) {
    list = [...config.providers.map(openAICompatible), ...BUILTIN];
    built.set(config, list);
  }
  return list;
}
