// `snodus serve`: runs the gateway until SIGINT/SIGTERM.
import type { Config } from "../../config/env.ts";
import { silentLogger } from "../../log.ts";
import { ProviderRegistry } from "../../providers/registry.ts";
import { startServer } from "../../server.ts";
import type { Command } from "../command.ts";

/**
 * One line when no provider is configured (every /v1 request would then fail), naming what to set;
 * null otherwise. The registry decides what "configured" means, so new providers count without a change here.
 */
export function noProviderHint(config: Config): string | null {
  const registry = new ProviderRegistry(config, fetch, silentLogger);
  if (registry.configured().length > 0) return null;
  return "no provider configured: set ANTHROPIC_API_KEY, OPENAI_API_KEY or OLLAMA_BASE_URL (in the environment or ./.env) and restart; until then every /v1 request fails";
}

export const serveCommand: Command = {
  name: "serve",
  summary: "start the gateway (SNODUS_ADDR, default 0.0.0.0:8080)",
  flags: {},
  async run(ctx) {
    const hint = noProviderHint(ctx.config);
    if (hint) ctx.log.warn(hint);
    // Listen for signals before the server starts: one that arrives while it is starting (a quick
    // restart by an orchestrator) must still end in a graceful shutdown, not the default kill.
    let signalled!: () => void;
    const signal = new Promise<void>((resolve) => (signalled = resolve));
    process.once("SIGINT", signalled);
    process.once("SIGTERM", signalled);
    const server = await startServer(ctx.config, ctx.log);
    const stopped = signal.then(() => server.shutdown().catch(() => {}));
    await stopped;
    return 0;
  },
};
