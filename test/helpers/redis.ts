// Redis for tests: a fresh key prefix on the shared local server, or a private server a test may stop.
import type { Subprocess } from "bun";

export const REDIS_URL = process.env.SNODUS_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

export const freshPrefix = () =>
  `snodus-test-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

export interface PrivateRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
}

async function freePort(): Promise<number> {
  const probe = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = probe.port;
  probe.stop(true);
  return port;
}

/** A redis-server of our own on a free port, so stopping it cannot disturb other tests. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let proc: Subprocess | null = null;
  const start = async () => {
    proc = Bun.spawn(
      ["redis-server", "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
      {
        stdout: "ignore",
        stderr: "ignore",
      },
    );
    for (let i = 0; i < 100; i++) {
      const ping = Bun.spawnSync(["redis-cli", "-p", String(port), "ping"]);
      if (ping.stdout.toString().includes("PONG")) return;
      await Bun.sleep(50);
    }
    throw new Error("private redis-server did not start");
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    start,
    async stop() {
      const p = proc as Subprocess | null;
      p?.kill("SIGKILL");
      await p?.exited;
    },
  };
}
