// Every provider the gateway knows, in resolution order; everything else derives its lists from this one.
import { anthropic } from "./anthropic/index.ts";
import { ollama } from "./ollama/index.ts";
import { openai } from "./openai/index.ts";
import type { ProviderDescriptor } from "./types.ts";

/** Adding a provider: one folder with its descriptor, and one entry here. */
const ALL = [anthropic, openai, ollama] as const;

export type ProviderName = (typeof ALL)[number]["name"];
export type Provider = ProviderDescriptor<ProviderName>;

export const PROVIDERS: readonly Provider[] = ALL;

const BY_NAME = new Map<string, Provider>(PROVIDERS.map((p) => [p.name, p]));

export function providerNamed(name: string): Provider | undefined {
  return BY_NAME.get(name);
}
