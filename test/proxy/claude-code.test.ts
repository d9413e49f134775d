// Claude Code end to end: `claude -p` against the gateway in front of the mock, with a spend row per request.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { costMicros } from "../../src/pricing/cost.ts";
import { lookupPrice } from "../../src/pricing/prices.ts";
import { REPO_ROOT } from "../helpers/cli.ts";
import { REAL_ANTHROPIC_KEY, startTestGateway, type TestGateway } from "../helpers/gateway.ts";

const CLAUDE = join(REPO_ROOT, "node_modules/.bin/claude");
const USAGE = {
  input_tokens: 2100,
  output_tokens: 37,
  cache_creation_input_tokens: 5000,
  cache_read_input_tokens: 20_000,
  cache_creation: { ephemeral_5m_input_tokens: 3000, ephemeral_1h_input_tokens: 2000 },
};

/**
 * A TCP listener standing in for an HTTP(S) proxy: Claude Code is told to send everything that is
 * not for the local gateway through it, so any attempt to reach the internet shows up as a connection.
 */
function strayTrafficTrap() {
  let connections = 0;
  const listener = Bun.listen({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      open(socket) {
        connections++;
        socket.end();
      },
      data() {},
    },
  });
  return {
    url: `http://127.0.0.1:${listener.port}`,
    connections: () => connections,
    stop: () => listener.stop(true),
  };
}

describe("Claude Code (claude -p) through the gateway", () => {
  let gw: TestGateway;
  let home: string;
  const trap = strayTrafficTrap();

  beforeAll(async () => {
    gw = await startTestGateway("sqlite", {}, { allProviders: true });
    home = mkdtempSync(join(tmpdir(), "snodus-claude-home-"));
  });
  afterAll(async () => {
    trap.stop();
    await gw.close();
    rmSync(home, { recursive: true, force: true });
  });

  test("answers with the mock's text; every request it made has its spend row, tokens and cost", async () => {
    const answer = `Hello from the gateway ${crypto.randomUUID()}`;
    gw.mock.setDefault({ text: answer, usage: USAGE });

    const { stdout, stderr, code } = await runClaude(["-p", "Say hello"]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toContain(answer);
    expect(trap.connections()).toBe(0);
    await checkRows();
  }, 120_000);

  test("with --model set to a GPT model, it prints the mock's answer (translated from OpenAI)", async () => {
    const answer = `Hello from GPT via the gateway ${crypto.randomUUID()}`;
    gw.mock.reset();
    gw.mock.setDefault({ text: answer, usage: { input_tokens: 900, output_tokens: 12 } });
    const { stdout, stderr, code } = await runClaude(["-p", "Say hello", "--model", "gpt-4o-mini"]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toContain(answer);
    expect(trap.connections()).toBe(0);
    const openaiCalls = gw.mock.calls.filter((c) => c.path === "/v1/chat/completions");
    expect(openaiCalls.length).toBeGreaterThan(0);
    const rows = (await gw.spendRows()).filter((r) => r.provider === "openai");
    expect(rows.length).toBe(openaiCalls.length);
    for (const row of rows)
      expect(row).toMatchObject({ model: "gpt-4o-mini", inputTokens: 900, outputTokens: 12, status: 200 });
  }, 120_000);

  async function runClaude(args: string[]) {
    const proc = Bun.spawn([CLAUDE, ...args], {
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
        HTTP_PROXY: trap.url,
        HTTPS_PROXY: trap.url,
        NO_PROXY: "127.0.0.1,localhost",
      },
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
      timeout: 100_000,
    });
    const [stdout, stderr, code] = await Promise.all([
      new Response(proc.stdout).text(),
      new Response(proc.stderr).text(),
      proc.exited,
    ]);
    return { stdout, stderr, code };
  }

  async function checkRows() {
    const billed = gw.mock.calls.filter((c) => c.method === "POST" && /^\/v1\/messages(\?|$)/.test(c.path));
    expect(billed.length).toBeGreaterThan(0);
    // Ollama discovery (/api/tags) also hits the mock; only Anthropic calls carry the Anthropic key.
    for (const call of gw.mock.calls.filter((c) => c.path.startsWith("/v1/"))) {
      expect(call.headers["x-api-key"]).toBe(REAL_ANTHROPIC_KEY);
      expect(JSON.stringify(call)).not.toContain(gw.secret);
    }

    const rows = await gw.spendRows();
    expect(rows).toHaveLength(billed.length);
    const modelsAsked = billed.map((c) => JSON.parse(c.bodyText).model as string).sort();
    expect(rows.map((r) => r.model).sort()).toEqual(modelsAsked);
    for (const row of rows) {
      const price = lookupPrice(row.model);
      expect(price).toBeDefined(); // a model Claude Code uses must be in the price table
      if (!price) continue;
      expect(row).toMatchObject({
        status: 200,
        provider: "anthropic",
        apiKeyId: gw.key.id,
        inputTokens: USAGE.input_tokens,
        outputTokens: USAGE.output_tokens,
        cacheCreationInputTokens: USAGE.cache_creation_input_tokens,
        cacheReadInputTokens: USAGE.cache_read_input_tokens,
      });
      const usage = {
        inputTokens: USAGE.input_tokens,
        outputTokens: USAGE.output_tokens,
        cacheCreationInputTokens: USAGE.cache_creation_input_tokens,
        cacheCreation1hInputTokens: USAGE.cache_creation.ephemeral_1h_input_tokens,
        cacheReadInputTokens: USAGE.cache_read_input_tokens,
      };
      expect(row.costMicros).toBe(costMicros(usage, price));
      expect(row.costMicros).toBeGreaterThan(0);
    }
  }
});
