// Runs the snodus CLI as a subprocess, from source or from the compiled executable.
import { join } from "node:path";

export const REPO_ROOT = join(import.meta.dir, "../..");
export const SOURCE_ENTRY = join(REPO_ROOT, "bin/snodus.ts");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Environment for a child: only what the test sets, plus PATH/HOME, so a developer's .env or vars never leak in. */
export function childEnv(extra: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...extra };
}

export async function runSnodus(
  args: string[],
  env: Record<string, string>,
  opts: { cwd?: string; exe?: string } = {},
) {
  const cmd = opts.exe ? [opts.exe, ...args] : [process.execPath, SOURCE_ENTRY, ...args];
  const proc = Bun.spawn(cmd, { env: childEnv(env), cwd: opts.cwd, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { code, stdout, stderr } satisfies CliResult;
}
