// Starts `snodus serve` as a child process on port 0 and learns its address from the log line.
import type { Subprocess } from "bun";
import { childEnv, SOURCE_ENTRY } from "./cli.ts";

export interface ServeProcess {
  url: string;
  proc: Subprocess<"ignore", "pipe", "pipe">;
  /** Everything the process wrote to stderr so far. */
  logs(): string;
  stop(signal?: NodeJS.Signals): Promise<number>;
}

export async function spawnServe(
  env: Record<string, string>,
  opts: { exe?: string; cwd?: string; timeoutMs?: number } = {},
): Promise<ServeProcess> {
  const cmd = opts.exe ? [opts.exe, "serve"] : [process.execPath, SOURCE_ENTRY, "serve"];
  const proc = Bun.spawn(cmd, {
    env: childEnv({ SNODUS_ADDR: "127.0.0.1:0", ...env }),
    cwd: opts.cwd,
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  let logs = "";
  const decoder = new TextDecoder();
  const reader = proc.stderr.getReader();
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`serve did not start:\n${logs}`)),
      opts.timeoutMs ?? 20_000,
    );
    (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        logs += decoder.decode(value, { stream: true });
        const m = /listening on ([^\s"]+)/.exec(logs);
        if (m) {
          clearTimeout(timer);
          resolve(`http://${m[1]}`);
        }
      }
      clearTimeout(timer);
      reject(new Error(`serve exited before listening:\n${logs}`));
    })().catch(reject);
  });
  // Keep draining stderr so the child never blocks on a full pipe.
  (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      logs += decoder.decode(value, { stream: true });
    }
  })().catch(() => {});
  return {
    url,
    proc,
    logs: () => logs,
    stop: async (signal = "SIGTERM") => {
      proc.kill(signal);
      return proc.exited;
    },
  };
}
