// `npm test`'s pre-flight (scripts/test-prereqs.ts) on a machine without Chromium: the install step or one line.
import { afterAll, expect, test } from "bun:test";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CHROMIUM_ENV,
  chromiumPath,
  DEFAULT_CHROMIUM,
  ensureChromium,
  type PrereqDeps,
} from "../../scripts/test-prereqs.ts";
import { REPO_ROOT } from "../helpers/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "snodus-prereqs-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A missing browser path of its own per test, so the system's Chromium is never touched. */
let n = 0;
const missing = () => join(dir, `chromium-${++n}`);

function fakeDeps(path: string, canInstall: boolean, onRun: (argv: string[]) => number = () => 0) {
  const ran: string[][] = [];
  const said: string[] = [];
  const deps: PrereqDeps = {
    env: { [CHROMIUM_ENV]: path },
    canInstall,
    run: async (argv) => {
      ran.push(argv);
      return onRun(argv);
    },
    say: (line) => said.push(line),
  };
  return { deps, ran, said };
}

test("the browser path is the system's Chromium unless SNODUS_TEST_CHROMIUM names another", () => {
  expect(chromiumPath({})).toBe(DEFAULT_CHROMIUM);
  expect(chromiumPath({ [CHROMIUM_ENV]: "" })).toBe(DEFAULT_CHROMIUM);
  expect(chromiumPath({ [CHROMIUM_ENV]: "/opt/chromium/chrome" })).toBe("/opt/chromium/chrome");
});

test("missing and not allowed to install: one line saying what to run, and nothing is run", async () => {
  const path = missing();
  const { deps, ran } = fakeDeps(path, false);
  const result = await ensureChromium(deps);
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.message.split("\n")).toHaveLength(1);
  expect(result.message).toContain(path);
  expect(result.message).toContain("apt-get install -y chromium");
  expect(result.message).toContain(CHROMIUM_ENV);
  expect(ran).toEqual([]);
});

test("missing and root with apt-get: apt-get update, then Debian's chromium, then it is there", async () => {
  const path = missing();
  const { deps, ran, said } = fakeDeps(path, true, (argv) => {
    // Stands in for the package: the install step is what makes the executable appear.
    if (argv[1] === "install") {
      writeFileSync(path, "#!/bin/sh\n");
      chmodSync(path, 0o755);
    }
    return 0;
  });
  expect(await ensureChromium(deps)).toEqual({ ok: true });
  expect(ran).toEqual([
    ["apt-get", "update"],
    ["apt-get", "install", "-y", "chromium"],
  ]);
  expect(said.join("\n")).toContain(path);
});

test("a failed apt-get update stops before installing and says which step failed", async () => {
  const { deps, ran } = fakeDeps(missing(), true, (argv) => (argv[1] === "update" ? 100 : 0));
  const result = await ensureChromium(deps);
  expect(result).toEqual({
    ok: false,
    message: expect.stringContaining("`apt-get update` failed (exit 100)"),
  });
  expect(ran).toEqual([["apt-get", "update"]]);
});

test("installed but the configured path is still missing: says to point SNODUS_TEST_CHROMIUM at it", async () => {
  const path = missing();
  const { deps } = fakeDeps(path, true);
  const result = await ensureChromium(deps);
  expect(result.ok).toBe(false);
  if (!result.ok) expect(result.message).toContain(`${path} (${CHROMIUM_ENV}) is still missing`);
});

test("present: nothing to do, and the script exits 0 without a word", async () => {
  const { deps, ran } = fakeDeps(process.execPath, true);
  expect(await ensureChromium(deps)).toEqual({ ok: true });
  expect(ran).toEqual([]);

  const proc = Bun.spawn([process.execPath, join(REPO_ROOT, "scripts/test-prereqs.ts")], {
    env: { PATH: process.env.PATH ?? "", [CHROMIUM_ENV]: process.execPath },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  expect({ code, out, err }).toEqual({ code: 0, out: "", err: "" });
});
