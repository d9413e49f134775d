// Codex CLI (`codex exec`, the real binary from npm) through the gateway: a turn with a tool call, on GPT and Claude.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestGateway, type TestGateway } from "../helpers/gateway.ts";

const CODEX = join(import.meta.dir, "../../node_modules/.bin/codex");

describe("Codex CLI against Snodus", () => {
  let gw: TestGateway;
  let home: string;
  let work: string;

  beforeAll(async () => {
    gw = await startTestGateway("sqlite", {}, { allProviders: true });
    // The model asks for one shell command, then answers once it has seen the command's output.
    gw.mock.setDefault({
      toolUse: { name: "exec_command", input: { cmd: "echo codex-through-snodus" } },
      toolUseUntilResult: true,
      text: "The command printed its line.",
      usage: { input_tokens: 300, output_tokens: 25 },
    });
    home = await mkdtemp(join(tmpdir(), "snodus-codex-home-"));
    work = await mkdtemp(join(tmpdir(), "snodus-codex-work-"));
  });
  afterAll(async () => {
    await gw.close();
    await rm(home, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  });

  async function codexTurn(model: string) {
    // A model provider whose base_url is the gateway, speaking the Responses API, keyed with the virtual key.
    await Bun.write(
      join(home, "config.toml"),
      [
        `model = "${model}"`,
        `model_provider = "snodus"`,
        "[model_providers.snodus]",
        `name = "Snodus"`,
        `base_url = "${gw.url}/v1"`,
        `wire_api = "responses"`,
        `env_key = "SNODUS_API_KEY"`,
        "request_max_retries = 0",
        "stream_max_retries = 0",
        "",
      ].join("\n"),
    );
    const before = gw.mock.calls.length;
    const proc = Bun.spawn(
      [CODEX, "exec", "--skip-git-repo-check", "--json", "-s", "workspace-write", "run the echo command"],
      {
        cwd: work,
        env: { PATH: process.env.PATH ?? "", HOME: home, CODEX_HOME: home, SNODUS_API_KEY: gw.secret },
        stdout: "pipe",
        stderr: "pipe",
        stdin: "ignore",
      },
    );
    const timer = setTimeout(() => proc.kill(), 120_000);
    const [out, err] = await Promise.all([
      new Response(proc.stdout).text(),
      new Response(proc.stderr).text(),
    ]);
    clearTimeout(timer);
    const code = await proc.exited;
    return { code, out, err, calls: gw.mock.calls.slice(before) };
  }

  for (const [model, upstreamPath] of [
    ["gpt-5", "/v1/responses"],
    ["claude-sonnet-4-5", "/v1/messages"],
  ] as const) {
    test(`codex exec on ${model}: runs the tool, sends its output back, finishes`, async () => {
      const { code, out, err, calls } = await codexTurn(model);
      if (code !== 0) console.error(err.slice(-2000));
      expect(code).toBe(0);
      // The command really ran (its output is in Codex's event log) and the final answer came back.
      expect(out).toContain("codex-through-snodus");
      expect(out).toContain("The command printed its line.");
      // Two model calls: the one asking for the tool, and the one carrying its output.
      const turns = calls.filter((c) => c.path === upstreamPath);
      expect(turns.length).toBe(2);
      expect(turns[1]?.bodyText).toContain("codex-through-snodus");
      const rows = (await gw.spendRows()).filter((r) => r.model === model);
      expect(rows).toHaveLength(2);
      for (const row of rows) expect(row).toMatchObject({ status: 200, stream: true, outputTokens: 25 });
    }, 150_000);
  }
});
