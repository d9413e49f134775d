// `snodus serve`: runs the gateway until SIGINT/SIGTERM.
import { startServer } from "../../server.ts";
import type { Command } from "../command.ts";

export const serveCommand: Command = {
  name: "serve",
  summary: "start the gateway (SNODUS_ADDR, default 0.0.0.0:8080)",
  flags: {},
  async run(ctx) {
    const server = await startServer(ctx.config, ctx.log);
    const stopped = new Promise<void>((resolve) => {
      const stop = () => {
        server.shutdown().then(resolve, resolve);
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
    await stopped;
    return 0;
  },
};
