// OpenAI-compatible upstreams declared in SNODUS_CONFIG: two mocks reached from the OpenAI SDK, the Anthropic SDK and Claude Code.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { REPO_ROOT, runSnodus } from "../helpers/cli.ts";
import { startTestGateway, type TestGateway } from "../helpers/gateway.ts";
import { type MockUpstream, startMockUpstream } from "../mock-upstream/index.ts";

const ADMIN_PASSWORD = "configured-providers-admin";
const USAGE = { input_tokens: 1000, output_tokens: 500 };

describe("OpenAI-compatible upstreams from a config file", () => {
  let vllm: MockUpstream;
  let router: MockUpstream;
  let gw: TestGateway;
  let dir: string;

  beforeAll(async () => {
    vllm = await startMockUpstream();
    router = await startMockUpstream();
    dir = mkdtempSync(join(tmpdir(), "snodus-config-"));
    const file = join(dir, "snodus.toml");
    writeFileSync(
      file,
      `
[[providers]]
name = "vllm"
base_url = "${vllm.url}/v1"
api_key = "vllm-upstream-key"
models = ["qwen-coder"]
free = true

[providers.model_map]
"qwen-coder" = "Qwen/Qwen2.5-Coder-32B-Instruct"

[[providers]]
name = "router"
base_url = "${router.url}/v1/"
api_key_env = "ROUTER_KEY"
model_prefixes = ["router/"]

[providers.prices]
default = { input = 1, output = 2 }
"router/special" = { input = 10, output = 20 }
`,
    );
    gw = await startTestGateway("sqlite", {
      SNODUS_CONFIG: file,
      ROUTER_KEY: "router-upstream-key",
      ADMIN_PASSWORD,
    });
    for (const m of [vllm, router]) m.setDefault({ text: "From a configured upstream", usage: USAGE });
  });
  afterAll(async () => {
    await gw.close();
    await vllm.stop();
    await router.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test("they are listed in /v1/models and /admin/providers (configured, reachable, models)", async () => {
    const models = await new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: gw.secret }).models.list();
    expect(models.data.find((m) => m.id === "qwen-coder")?.owned_by).toBe("vllm");
    const res = await fetch(`${gw.url}/admin/providers`, {
      headers: { authorization: `Basic ${btoa(`admin:${ADMIN_PASSWORD}`)}` },
    });
    const { data } = (await res.json()) as { data: Array<Record<string, unknown>> };
    expect(data.find((p) => p.name === "vllm")).toEqual({
      name: "vllm",
      configured: true,
      reachable: true,
      upstream_url: `${vllm.url}/v1`,
      models: ["qwen-coder"],
      deployments: [],
    });
    expect(data.find((p) => p.name === "router")).toMatchObject({ configured: true, reachable: true });
  });

  test("OpenAI SDK: the bytes go to /v1/chat/completions with the mapped name and the upstream's key; free", async () => {
    const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: gw.secret, maxRetries: 0 });
    const reply = await client.chat.completions.create({
      model: "qwen-coder",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(reply.choices[0]?.message.content).toBe("From a configured upstream");
    const call = vllm.calls.at(-1);
    expect(call?.path).toBe("/v1/chat/completions");
    expect(JSON.parse(call?.bodyText ?? "{}").model).toBe("Qwen/Qwen2.5-Coder-32B-Instruct");
    expect(call?.headers.authorization).toBe("Bearer vllm-upstream-key");
    expect(JSON.stringify(call)).not.toContain(gw.secret);
    const row = (await gw.spendRows()).find((r) => r.model === "qwen-coder");
    expect(row).toMatchObject({ provider: "vllm", inputTokens: 1000, outputTokens: 500, costMicros: 0 });
  });

  test("Anthropic SDK: translated both ways, streamed and not, priced by the file", async () => {
    const client = new Anthropic({ baseURL: gw.url, apiKey: gw.secret, maxRetries: 0 });
    const msg = await client.messages.create({
      model: "router/llama-3.3-70b",
      max_tokens: 100,
      messages: [{ role: "user", content: "hi" }],
    });
    expect(msg.content[0]).toMatchObject({ type: "text", text: "From a configured upstream" });
    const call = router.calls.at(-1);
    expect(JSON.parse(call?.bodyText ?? "{}").model).toBe("llama-3.3-70b");
    expect(call?.headers.authorization).toBe("Bearer router-upstream-key");
    let text = "";
    const stream = client.messages.stream({
      model: "router/special",
      max_tokens: 100,
      messages: [{ role: "user", content: "hi" }],
    });
    for await (const e of stream)
      if (e.type === "content_block_delta" && e.delta.type === "text_delta") text += e.delta.text;
    expect(text).toBe("From a configured upstream");
    const rows = await gw.spendRows();
    // $1 / $2 per MTok by default: 1000 + 1000 µ$; router/special at $10 / $20: 10 000 + 10 000 µ$.
    expect(rows.find((r) => r.model === "router/llama-3.3-70b")).toMatchObject({
      provider: "router",
      costMicros: 2000,
    });
    expect(rows.find((r) => r.model === "router/special")).toMatchObject({
      provider: "router",
      costMicros: 20_000,
    });
  });

  test("Claude Code with --model on a configured upstream prints its answer", async () => {
    const home = mkdtempSync(join(tmpdir(), "snodus-claude-home-"));
    try {
      const answer = `From the router ${crypto.randomUUID()}`;
      router.setDefault({ text: answer, usage: USAGE });
      const proc = Bun.spawn(
        [join(REPO_ROOT, "node_modules/.bin/claude"), "-p", "Say hello", "--model", "router/llama-3.3-70b"],
        {
          cwd: home,
          env: {
            PATH: process.env.PATH ?? "",
            HOME: home,
            CLAUDE_CONFIG_DIR: join(home, ".claude"),
            ANTHROPIC_BASE_URL: gw.url,
            ANTHROPIC_AUTH_TOKEN: gw.secret,
            CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
            DISABLE_AUTOUPDATER: "1",
            DISABLE_TELEMETRY: "1",
            DISABLE_ERROR_REPORTING: "1",
            NO_PROXY: "127.0.0.1,localhost",
          },
          stdin: "ignore",
          stdout: "pipe",
          stderr: "pipe",
          timeout: 100_000,
        },
      );
      const [stdout, stderr, code] = await Promise.all([
        new Response(proc.stdout).text(),
        new Response(proc.stderr).text(),
        proc.exited,
      ]);
      expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
      expect(stdout).toContain(answer);
      expect(router.calls.some((c) => c.bodyText.includes('"llama-3.3-70b"'))).toBe(true);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }, 120_000);
});

test("a bad config file exits 2 with one line per mistake, naming the field", async () => {
  const dir = mkdtempSync(join(tmpdir(), "snodus-bad-config-"));
  try {
    const file = join(dir, "snodus.toml");
    writeFileSync(
      file,
      `
[[providers]]
name = "groq"
base_url = "ftp://nope"
api_key_env = "GROQ_KEY_NOT_SET"
models = ["llama"]
prices = { llama = { input = "cheap" } }
tempreature = 1
`,
    );
    const r = await runSnodus(["providers"], { SNODUS_CONFIG: file, DATABASE_URL: join(dir, "x.db") });
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(4);
    expect(r.stderr).toContain(
      `providers[0].base_url: must be an http:// or https:// URL (got "ftp://nope")`,
    );
    expect(r.stderr).toContain("providers[0].api_key_env: GROQ_KEY_NOT_SET is not set");
    expect(r.stderr).toContain("providers[0].prices.llama: must be");
    expect(r.stderr).toContain("providers[0].tempreature: unknown field");
    const missing = await runSnodus(["providers"], { SNODUS_CONFIG: join(dir, "nope.toml") });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("nope.toml): file not found");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
