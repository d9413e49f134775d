// `snodus init` as a subprocess: the first session (serve → init → curl, SDKs, Claude Code), idempotence,
// plan caps, and serve's one-line warning when no provider is configured.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { REPO_ROOT, runSnodus } from "../helpers/cli.ts";
import { DIALECTS, freshDatabase, type TestDatabase } from "../helpers/databases.ts";
import { spawnServe } from "../helpers/process.ts";
import { type MockUpstream, startMockUpstream } from "../mock-upstream/index.ts";

const SECRET = /sk-[0-9A-Za-z]{40}/g;
const NO_PROVIDER = "no provider configured: set ANTHROPIC_API_KEY, OPENAI_API_KEY or OLLAMA_BASE_URL";

interface InitJson {
  team: { id: string; name: string };
  user: { id: string; email: string; role: string };
  key: { id: string; keyPrefix: string; keyHash?: string } | null;
  created: { team: boolean; user: boolean; key: boolean };
  api_key: string | null;
  base_url: string;
  curl: string;
  claude_code: { env: Record<string, string> };
  codex_cli: { config_toml: string; env: Record<string, string> };
  openai_sdk: { env: { OPENAI_BASE_URL: string; OPENAI_API_KEY: string } };
  anthropic_sdk: { env: { ANTHROPIC_BASE_URL: string; ANTHROPIC_API_KEY: string } };
}

async function initJson(env: Record<string, string>, ...args: string[]): Promise<InitJson> {
  const r = await runSnodus(["init", "--json", ...args], env);
  if (r.code !== 0) throw new Error(`snodus init failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as InitJson;
}

describe("the first session: serve, init, then every client with the lines init printed", () => {
  let db: TestDatabase;
  let mock: MockUpstream;
  let env: Record<string, string>;
  let server: Awaited<ReturnType<typeof spawnServe>>;
  let home: string;

  beforeAll(async () => {
    db = await freshDatabase("sqlite");
    mock = await startMockUpstream();
    home = mkdtempSync(join(tmpdir(), "snodus-init-home-"));
    env = {
      DATABASE_URL: db.url,
      ANTHROPIC_API_KEY: "sk-ant-real-upstream-key",
      ANTHROPIC_UPSTREAM_URL: mock.url,
      OPENAI_API_KEY: "sk-openai-real-upstream-key",
      OPENAI_UPSTREAM_URL: mock.url,
    };
    server = await spawnServe(env);
  });
  afterAll(async () => {
    await server?.stop();
    await mock?.stop();
    await db?.drop();
    rmSync(home, { recursive: true, force: true });
  });

  test("serve with a provider configured does not warn about providers", () => {
    expect(server.logs()).not.toContain("no provider configured");
  });

  test("init's human output: the key once, then the exact lines for each client", async () => {
    const r = await runSnodus(["init", "--url", server.url], env);
    expect(r.code).toBe(0);
    const secrets = [...new Set(r.stdout.match(SECRET))];
    expect(secrets).toHaveLength(1);
    const key = secrets[0] ?? "";
    expect(r.stdout).toContain(`api_key: ${key}\nSave this key now: it will not be shown again.`);
    for (const line of [
      `export ANTHROPIC_BASE_URL="${server.url}"`,
      `export ANTHROPIC_AUTH_TOKEN="${key}"`,
      `base_url = "${server.url}/v1"`,
      'wire_api = "responses"',
      'env_key = "SNODUS_API_KEY"',
      `export SNODUS_API_KEY="${key}"`,
      `export OPENAI_BASE_URL="${server.url}/v1"`,
      `export OPENAI_API_KEY="${key}"`,
      `export ANTHROPIC_API_KEY="${key}"`,
      `curl ${server.url}/v1/messages`,
      `Dashboard: ${server.url}/admin/`,
    ])
      expect(r.stdout).toContain(line);
    expect(r.stdout).not.toContain("no provider configured");
  });

  test("the printed curl, both SDKs and Claude Code get answers through the gateway", async () => {
    const init = await initJson(env, "--url", server.url, "--new-key");
    const key = init.api_key ?? "";
    mock.setDefault({ text: "hello from the first session" });

    // The curl line, as a shell would run it.
    const curl = Bun.spawn(["bash", "-c", init.curl.replace(/^curl /, "curl -sS -w '\\n%{http_code}' ")], {
      stdout: "pipe",
      stderr: "pipe",
    });
    const curlOut = await new Response(curl.stdout).text();
    expect(await curl.exited).toBe(0);
    expect(curlOut.trim().split("\n").at(-1)).toBe("200");
    expect(curlOut).toContain("hello from the first session");

    const anthropic = new Anthropic({
      baseURL: init.anthropic_sdk.env.ANTHROPIC_BASE_URL,
      apiKey: init.anthropic_sdk.env.ANTHROPIC_API_KEY,
    });
    const msg = await anthropic.messages.create({
      model: "claude-haiku-4-5",
      max_tokens: 50,
      messages: [{ role: "user", content: "hi" }],
    });
    expect(JSON.stringify(msg.content)).toContain("hello from the first session");

    const openai = new OpenAI({
      baseURL: init.openai_sdk.env.OPENAI_BASE_URL,
      apiKey: init.openai_sdk.env.OPENAI_API_KEY,
    });
    const chat = await openai.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(chat.choices[0]?.message.content).toContain("hello from the first session");

    const claude = Bun.spawn([join(REPO_ROOT, "node_modules/.bin/claude"), "-p", "Say hello"], {
      cwd: home,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: home,
        CLAUDE_CONFIG_DIR: join(home, ".claude"),
        ...init.claude_code.env,
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
        DISABLE_AUTOUPDATER: "1",
        DISABLE_TELEMETRY: "1",
        DISABLE_ERROR_REPORTING: "1",
      },
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
      timeout: 100_000,
    });
    const [out, err, code] = await Promise.all([
      new Response(claude.stdout).text(),
      new Response(claude.stderr).text(),
      claude.exited,
    ]);
    expect({ code, err }).toEqual({ code: 0, err: "" });
    expect(out).toContain("hello from the first session");

    // The virtual key never reached the upstream; the real one did.
    for (const call of mock.calls) expect(JSON.stringify(call)).not.toContain(key);
    expect(mock.calls.some((c) => c.headers["x-api-key"] === "sk-ant-real-upstream-key")).toBe(true);

    // The same key signs in to the admin API as its team's admin (what the dashboard uses).
    const keys = await fetch(`${server.url}/admin/keys`, { headers: { authorization: `Bearer ${key}` } });
    expect(keys.status).toBe(200);
  }, 120_000);
});

for (const dialect of DIALECTS) {
  describe(`init is idempotent on ${dialect}`, () => {
    let db: TestDatabase;
    let env: Record<string, string>;
    beforeAll(async () => {
      db = await freshDatabase(dialect);
      env = { DATABASE_URL: db.url };
    });
    afterAll(async () => db.drop());

    test("a second run creates nothing and never shows a secret; --new-key issues one more key", async () => {
      const first = await initJson(env);
      expect(first.created).toEqual({ team: true, user: true, key: true });
      expect(first.api_key).toMatch(/^sk-[0-9A-Za-z]{40}$/);
      expect(first.key?.keyHash).toBeUndefined();
      expect(first.user).toMatchObject({ email: "admin@snodus.local", role: "admin" });
      // SNODUS_ADDR's default 0.0.0.0:8080 is reached as localhost.
      expect(first.base_url).toBe("http://localhost:8080");

      const again = await runSnodus(["init"], env);
      expect(again.code).toBe(0);
      expect(again.stdout.match(SECRET)).toBeNull();
      expect(again.stdout).toContain(`Keeping key ${first.key?.keyPrefix}`);
      expect(again.stdout).toContain("snodus init --new-key");
      const second = await initJson(env);
      expect(second.created).toEqual({ team: false, user: false, key: false });
      expect(second.api_key).toBeNull();
      expect(second.key?.id).toBe(first.key?.id ?? "");
      expect(second.team.id).toBe(first.team.id);

      const fresh = await initJson(env, "--new-key");
      expect(fresh.created).toEqual({ team: false, user: false, key: true });
      expect(fresh.api_key).not.toBe(first.api_key);

      const list = async (what: string) => {
        const r = await runSnodus([what, "list", "--json"], env);
        // --json lists have the admin API's paged shape: {data, total, limit, offset}.
        return (JSON.parse(r.stdout) as { data: unknown[] }).data;
      };
      expect(await list("teams")).toHaveLength(1);
      expect(await list("users")).toHaveLength(1);
      expect(await list("keys")).toHaveLength(2);
    }, 60_000);
  });
}

describe("init's other paths", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshDatabase("sqlite");
  });
  afterAll(async () => db.drop());

  test("the address comes from SNODUS_ADDR, or --url; a bad --url is one line and creates nothing", async () => {
    const env = { DATABASE_URL: db.url, SNODUS_ADDR: "127.0.0.1:9090" };
    const bad = await runSnodus(["init", "--url", "gateway:8080"], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    expect(bad.stderr).toContain("--url must be an http(s) URL");
    expect(JSON.parse((await runSnodus(["teams", "list", "--json"], env)).stdout).data).toEqual([]);

    const byAddr = await initJson(env, "--team", "Acme", "--email", "ops@acme.test");
    expect(byAddr.base_url).toBe("http://127.0.0.1:9090");
    expect(byAddr.team.name).toBe("Acme");
    const byUrl = await initJson(env, "--email", "ops@acme.test", "--url", "https://llm.acme.test/");
    expect(byUrl.base_url).toBe("https://llm.acme.test");
    expect(byUrl.codex_cli.config_toml).toContain('base_url = "https://llm.acme.test/v1"');
    expect(byUrl.openai_sdk.env.OPENAI_BASE_URL).toBe("https://llm.acme.test/v1");
    expect(byUrl.team.id).toBe(byAddr.team.id);
  });

  test("plan caps apply as in the admin API: a Free team's second key is refused", async () => {
    const env = { DATABASE_URL: db.url, SNODUS_FEATURES_PLANS: "true" };
    const first = await initJson(env, "--team", "Capped", "--email", "cap@capped.test");
    expect(first.created.key).toBe(true);
    const second = await runSnodus(["init", "--email", "cap@capped.test", "--new-key"], env);
    expect(second.code).toBe(1);
    expect(second.stderr.trim()).toBe("error: Plan Free allows 1 active key(s) per team; this team has 1");
  });

  test("an existing member with that email is not made an admin behind anyone's back", async () => {
    const env = { DATABASE_URL: db.url };
    const team = JSON.parse(
      (await runSnodus(["teams", "create", "--name", "Members", "--json"], env)).stdout,
    );
    await runSnodus(
      ["users", "create", "--email", "m@members.test", "--name", "M", "--team-id", team.id],
      env,
    );
    const r = await runSnodus(["init", "--email", "m@members.test"], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('m@members.test already exists as a member of team "Members"');
  });

  test("serve with no provider says so in one line at start, naming the variables to set", async () => {
    const server = await spawnServe({ DATABASE_URL: db.url });
    try {
      // It still serves: /health answers (and by then serve has installed its signal handlers).
      expect((await fetch(`${server.url}/health`)).status).toBe(200);
      const lines = server.logs().split("\n");
      expect(lines.filter((l) => l.includes(NO_PROVIDER))).toHaveLength(1);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });
});
