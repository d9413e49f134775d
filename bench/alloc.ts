// Objects the JS heap allocates per small /v1/messages request: Snodus's native route, in-process, against
// a bare fetch-and-answer through the same mock — a count that does not depend on the machine's load.
//
//   bun bench/alloc.ts [--requests N] [--out OUT.json]

import { heapStats } from "bun:jsc";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadConfig } from "../src/config/env.ts";
import { silentLogger } from "../src/log.ts";
import { startServer } from "../src/server.ts";

const { values } = parseArgs({
  args: Bun.argv.slice(2),
  options: { requests: { type: "string" }, out: { type: "string" } },
});
const N = Number(values.requests ?? 300);
const dir = mkdtempSync(join(tmpdir(), "snodus-alloc-"));
const db = join(dir, "alloc.db");

const mock = Bun.spawn([process.execPath, "test/mock-upstream/main.ts", "--port", "0"], { stdout: "pipe" });
const mockUrl = await (async () => {
  let seen = "";
  for await (const chunk of mock.stdout) {
    seen += new TextDecoder().decode(chunk);
    const m = /http:\/\/127\.0\.0\.1:\d+/.exec(seen);
    if (m) return m[0];
  }
  throw new Error(`mock upstream did not start: ${seen}`);
})();

const cli = (...args: string[]) => {
  const out = Bun.spawnSync([process.execPath, "bin/snodus.ts", ...args, "--json"], {
    env: { ...process.env, DATABASE_URL: db },
  });
  if (out.exitCode !== 0) throw new Error(`snodus ${args.join(" ")}: ${out.stderr.toString()}`);
  return JSON.parse(out.stdout.toString()) as Record<string, string>;
};
const team = cli("teams", "create", "--name", "alloc", "--budget", "1000000000");
const user = cli("users", "create", "--email", "a@example.com", "--name", "A", "--team-id", String(team.id));
const key = cli(
  "keys",
  "create",
  "--user-id",
  String(user.id),
  "--name",
  "alloc",
  "--rate-limit",
  "1000000",
  "--budget",
  "1000000000",
).api_key as string;

const config = loadConfig({
  DATABASE_URL: db,
  ANTHROPIC_API_KEY: "alloc",
  ANTHROPIC_UPSTREAM_URL: mockUrl,
  SNODUS_ADDR: "127.0.0.1:0",
});
const server = await startServer(config, silentLogger);
type Native = (request: Request, server: { timeout(): void }) => Promise<Response>;
const routes = (
  server.gateway.app.config as unknown as { serve: { routes: Record<string, { POST: Native }> } }
).serve.routes;
const native = routes["/v1/messages"]?.POST;
if (!native) throw new Error("no native /v1/messages route");

const body = JSON.stringify({
  model: "claude-sonnet-4-5",
  max_tokens: 100,
  messages: [{ role: "user", content: "hi" }],
});
const request = () =>
  new Request(`${server.url}/v1/messages`, {
    method: "POST",
    // As every HTTP client sends it (a Request built in-process has none, unlike one Bun.serve received).
    headers: {
      authorization: `Bearer ${key}`,
      "anthropic-version": "2023-06-01",
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(body)),
    },
    body,
  });
const noTimeout = { timeout() {} };

/** The floor: what any proxy on Bun allocates to forward the same request and answer it. */
async function bare(req: Request): Promise<Response> {
  const headers = new Headers(req.headers);
  headers.delete("authorization");
  headers.set("x-api-key", "alloc");
  const res = await fetch(`${mockUrl}/v1/messages`, {
    method: "POST",
    headers,
    body: await req.arrayBuffer(),
  });
  const out = new Headers(res.headers);
  out.delete("content-length");
  return new Response(await res.arrayBuffer(), { status: res.status, headers: out });
}

async function objectsPerRequest(handle: (req: Request) => Promise<Response>) {
  const run = async (n: number) => {
    for (let i = 0; i < n; i++) {
      const res = await handle(request());
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`answered ${res.status}, not 200`);
    }
  };
  await run(2000); // warm: JIT, key cache, month counters
  // What building and reading the client's own request costs, to subtract.
  Bun.gc(true);
  let before = heapStats().objectTypeCounts;
  for (let i = 0; i < N; i++) await request().arrayBuffer();
  const client = heapStats().objectTypeCounts;
  const clientCost = new Map(Object.entries(client).map(([k, v]) => [k, v - (before[k] ?? 0)]));
  Bun.gc(true);
  before = heapStats().objectTypeCounts;
  await run(N);
  const after = heapStats().objectTypeCounts;
  const byType: Record<string, number> = {};
  let total = 0;
  for (const [type, count] of Object.entries(after)) {
    const per = (count - (before[type] ?? 0) - (clientCost.get(type) ?? 0)) / N;
    if (per >= 0.5) {
      byType[type] = Math.round(per * 10) / 10;
      total += per;
    }
  }
  return { total: Math.round(total), byType };
}

// Each count holds only if no collection ran in between: N requests stay well under one eden's worth.
const result = {
  requests: N,
  snodus: await objectsPerRequest((req) => native(req, noTimeout)),
  bare: await objectsPerRequest(bare),
};
await server.shutdown();
mock.kill();
rmSync(dir, { recursive: true, force: true });
const json = `${JSON.stringify(result)}\n`;
if (values.out) writeFileSync(values.out, json);
else process.stdout.write(json);
