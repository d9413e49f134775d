// Run by `npm test` before the suite: makes sure what the tests need beyond npm packages is there
// (the system's Chromium for the dashboard tests), installing Debian's package when it may, else one line.
import { accessSync, constants } from "node:fs";

/** Names the Chromium executable the dashboard tests drive (test/dashboard/harness.ts reads it too). */
export const CHROMIUM_ENV = "SNODUS_TEST_CHROMIUM";
/** Where Debian's `chromium` package puts it. */
export const DEFAULT_CHROMIUM = "/usr/bin/chromium";

const INSTALL_STEPS = [
  ["apt-get", "update"],
  ["apt-get", "install", "-y", "chromium"],
];
const INSTALL_HINT = "sudo apt-get update && sudo apt-get install -y chromium";

export function chromiumPath(env: Record<string, string | undefined>): string {
  return env[CHROMIUM_ENV] || DEFAULT_CHROMIUM;
}

export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export interface PrereqDeps {
  env: Record<string, string | undefined>;
  /** Root with apt-get on PATH: we may install Debian's package ourselves. */
  canInstall: boolean;
  /** Runs one command with the terminal attached; resolves to its exit code. */
  run(argv: string[]): Promise<number>;
  /** Progress while installing (stderr). */
  say(line: string): void;
}

export type PrereqResult = { ok: true } | { ok: false; message: string };

/**
 * Chromium comes only from the distribution (never a downloaded browser build): if it is missing and
 * we are root with apt-get, install Debian's `chromium`; otherwise say in one line what to run.
 */
export async function ensureChromium(deps: PrereqDeps): Promise<PrereqResult> {
  const path = chromiumPath(deps.env);
  if (isExecutable(path)) return { ok: true };
  const custom = deps.env[CHROMIUM_ENV] ? ` (${CHROMIUM_ENV})` : "";
  if (!deps.canInstall) {
    return {
      ok: false,
      message:
        `npm test: the dashboard tests need Chromium at ${path}${custom}, which is missing: ` +
        `run \`${INSTALL_HINT}\`, or set ${CHROMIUM_ENV} to a Chromium executable.`,
    };
  }
  deps.say(`npm test: Chromium is missing at ${path}${custom}; installing Debian's chromium package…`);
  for (const step of INSTALL_STEPS) {
    const code = await deps.run(step);
    if (code !== 0)
      return {
        ok: false,
        message: `npm test: \`${step.join(" ")}\` failed (exit ${code}); install Chromium (\`${INSTALL_HINT}\`) and run npm test again.`,
      };
  }
  if (isExecutable(path)) return { ok: true };
  return {
    ok: false,
    message: `npm test: Debian's chromium is installed but ${path}${custom} is still missing; set ${CHROMIUM_ENV} to its path.`,
  };
}

async function runInherited(argv: string[]): Promise<number> {
  const proc = Bun.spawn(argv, {
    stdio: ["inherit", "inherit", "inherit"],
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  return proc.exited;
}

if (import.meta.main) {
  const result = await ensureChromium({
    env: process.env,
    canInstall: process.getuid?.() === 0 && Bun.which("apt-get") !== null,
    run: runInherited,
    say: (line) => console.error(line),
  });
  if (!result.ok) {
    console.error(result.message);
    process.exit(1);
  }
}
