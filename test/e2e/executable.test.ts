// The compiled executable: built once, run from an empty directory with no repo and a fresh SQLite file.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchBrowser, signIn, watchConsole } from "../dashboard/harness.ts";
import { REPO_ROOT, runSnodus } from "../helpers/cli.ts";
import { spawnServe } from "../helpers/process.ts";

const exe = join(REPO_ROOT, "dist/snodus");
let dir: string;

beforeAll(async () => {
  const build = Bun.spawn([process.execPath, "run", "build"], {
    cwd: REPO_ROOT,
    stdout: "pipe",
    stderr: "pipe",
  });
  const code = await build.exited;
  if (code !== 0) throw new Error(`build failed: ${await new Response(build.stderr).text()}`);
  dir = mkdtempSync(join(tmpdir(), "snodus-exe-"));
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("dist/snodus --help lists the commands", async () => {
  const r = await runSnodus(["--help"], {}, { exe, cwd: dir });
  expect(r.code).toBe(0);
  expect(r.stdout).toContain("keys rotate");
});

test("dist/snodus serve creates snodus.db in an empty directory and /health answers", async () => {
  const server = await spawnServe({}, { exe, cwd: dir });
  try {
    const res = await fetch(`${server.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", store: { dialect: "sqlite" } });
    expect(existsSync(join(dir, "snodus.db"))).toBe(true);
    // The executable re-executed itself, in place, with Bun's upstream request cap lifted.
    const environ = await Bun.file(`/proc/${server.proc.pid}/environ`).text();
    expect(environ.split("\0")).toContain("BUN_CONFIG_MAX_HTTP_REQUESTS=65535");
    // … with the VM's signal left as it expects it (src/cli/fetch-limit.ts), so it had nothing to warn about.
    expect(server.logs()).not.toContain("Overriding existing handler");
  } finally {
    expect(await server.stop()).toBe(0);
  }
  const plans = await runSnodus(["plans", "--json"], {}, { exe, cwd: dir });
  expect(JSON.parse(plans.stdout)).toHaveLength(4);
});

test("dist/snodus serve serves the embedded dashboard at /admin/, which signs in and renders offline", async () => {
  const server = await spawnServe({ ADMIN_PASSWORD: "exe-dashboard" }, { exe, cwd: dir });
  const browser = await launchBrowser();
  try {
    const html = await (await fetch(`${server.url}/admin/`)).text();
    const assets = [...html.matchAll(/(?:src|href)="(assets\/[^"]+)"/g)].map((m) => m[1]);
    expect(assets).toHaveLength(2);
    for (const asset of assets) expect((await fetch(`${server.url}/admin/${asset}`)).status).toBe(200);
    const page = await browser.newPage();
    const errors = watchConsole(page);
    // Any request off this origin would mean the page is not self-contained.
    const foreign: string[] = [];
    page.on("request", (r) => {
      if (!r.url().startsWith(server.url) && !r.url().startsWith("data:")) foreign.push(r.url());
    });
    await signIn(page, server.url, { username: "admin", password: "exe-dashboard" });
    await page.getByRole("heading", { name: "Spend", exact: true }).waitFor();
    await page.locator('[data-kpi="requests"] [data-value]', { hasText: "0" }).waitFor();
    expect(errors).toEqual([]);
    expect(foreign).toEqual([]);
  } finally {
    await browser.close();
    expect(await server.stop()).toBe(0);
  }
}, 60_000);
