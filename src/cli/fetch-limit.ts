// Lifts Bun's cap of 256 simultaneous fetch() requests for `snodus serve` by re-executing in place.
//
// Every proxied request is one upstream fetch, and a Claude Code stream can stay open for minutes;
// past 256 of them Bun silently queues new upstream requests until older streams end. The cap is read
// once from BUN_CONFIG_MAX_HTTP_REQUESTS when the process starts (setting process.env later does
// nothing), so when it is unset we execve(2) the same program with it set (through GNU env on Linux,
// see below): same PID, same file descriptors, signals and process managers unaffected. Set the
// variable yourself to pick a value.
import { dlopen, FFIType, ptr } from "bun:ffi";

export const FETCH_LIMIT_VAR = "BUN_CONFIG_MAX_HTTP_REQUESTS";
/** The most Bun accepts. */
export const FETCH_LIMIT = "65535";
const SIGPWR = 30; // Linux, x86-64 and arm64
const SIG_IGN = 1;
const ENV = "/usr/bin/env";

/** GNU coreutils' env (8.31+) can reset a signal to its default before it runs a program. */
function envResetsSignals(): boolean {
  try {
    return (
      Bun.spawnSync([ENV, "--default-signal=PWR", "true"], { stdout: "ignore", stderr: "ignore" })
        .exitCode === 0
    );
  } catch {
    return false;
  }
}

/** The argv to run this same program again, from source or as the compiled executable. */
function selfArgv(args: readonly string[]): string[] {
  // A compiled executable's entry lives in its embedded file system; running the binary runs it.
  const compiled = Bun.main.startsWith("/$bunfs/") || /^[A-Z]:\\~BUN\\/.test(Bun.main);
  return compiled ? [process.execPath, ...args] : [process.execPath, ...process.execArgv, Bun.main, ...args];
}

/**
 * For `serve` without BUN_CONFIG_MAX_HTTP_REQUESTS: replaces this process with itself, the variable set.
 * Returns only when nothing was done or execve failed (then the reason, for a warning).
 */
export function raiseFetchLimit(args: readonly string[], env: NodeJS.ProcessEnv): string | null {
  if (args[0] !== "serve" || env[FETCH_LIMIT_VAR]) return null;
  if (process.platform !== "linux" && process.platform !== "darwin") return null;
  const envp = Object.entries(env)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `${k}=${v}`);
  envp.push(`${FETCH_LIMIT_VAR}=${FETCH_LIMIT}`);
  try {
    const libc = dlopen(process.platform === "darwin" ? "libSystem.B.dylib" : "libc.so.6", {
      execve: { args: [FFIType.ptr, FFIType.ptr, FFIType.ptr], returns: FFIType.i32 },
      signal: { args: [FFIType.i32, FFIType.ptr], returns: FFIType.ptr },
    });
    const linux = process.platform === "linux";
    const argv =
      linux && envResetsSignals() ? [ENV, "--default-signal=PWR", ...selfArgv(args)] : selfArgv(args);
    const cstrings = [...argv, ...envp].map((s) => Buffer.from(`${s}\0`));
    const table = (from: number, to: number) => {
      const t = new BigUint64Array(to - from + 1); // NULL-terminated
      for (let i = from; i < to; i++) t[i - from] = BigInt(ptr(cstrings[i] as Buffer));
      return t;
    };
    const argvTable = table(0, argv.length);
    const envTable = table(argv.length, cstrings.length);
    // On Linux the VM suspends threads with SIGPWR (GC, the sampling profiler). A pending signal survives
    // execve and, before the new VM installs its handler, its default action kills the process. An
    // ignored one is dropped instead. GNU env then puts the default back before running us again, so the
    // new VM finds SIGPWR as it expects (else it installs its handler anyway, with a warning line).
    if (linux) libc.symbols.signal(SIGPWR, SIG_IGN);
    libc.symbols.execve(ptr(cstrings[0] as Buffer), ptr(argvTable), ptr(envTable));
    libc.close();
    return "execve failed";
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}
