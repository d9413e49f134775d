// The CLI's allow-lists, concurrency caps and `--json` in the admin API's shapes, its errors, and `--url`.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runSnodus } from "../helpers/cli.ts";
import { DIALECTS, freshDatabase, type TestDatabase } from "../helpers/databases.ts";
import { startTestGateway, type TestGateway } from "../helpers/gateway.ts";

for (const dialect of DIALECTS) {
  describe(`CLI limits on ${dialect}`, () => {
    let db: TestDatabase;
    let env: Record<string, string>;
    const cli = async (...args: string[]) => runSnodus(args, env);
    const json = async (...args: string[]) => {
      const r = await cli(...args, "--json");
      if (r.code !== 0) throw new Error(`snodus ${args.join(" ")} failed: ${r.stderr}`);
      return JSON.parse(r.stdout);
    };

    beforeAll(async () => {
      db = await freshDatabase(dialect);
      env = { DATABASE_URL: db.url };
    });
    afterAll(async () => db.drop());

    test("--allowed-models and --max-concurrent on keys create / update and teams create / update", async () => {
      const team = await json(
        "teams",
        "create",
        "--name",
        "Models Ltd",
        "--allowed-models",
        "claude-*,gpt-4o-mini",
      );
      expect(team.allowed_models).toEqual(["claude-*", "gpt-4o-mini"]);
      const lifted = await json("teams", "update", "--id", team.id, "--allowed-models", "all");
      expect(lifted.allowed_models).toBeNull();
      const user = await json("users", "create", "--email", "m@y.com", "--name", "M", "--team-id", team.id);
      const key = await json(
        "keys",
        "create",
        "--user-id",
        user.id,
        "--name",
        "ci",
        "--allowed-models",
        "claude-haiku-*",
        "--max-concurrent",
        "4",
      );
      expect(key).toMatchObject({ allowed_models: ["claude-haiku-*"], max_concurrent: 4, team_id: team.id });
      const updated = await json(
        "keys",
        "update",
        "--id",
        key.id,
        "--allowed-models",
        "none",
        "--max-concurrent",
        "none",
      );
      expect(updated).toMatchObject({ allowed_models: [], max_concurrent: null });
      const human = await cli("keys", "list", "--team-id", team.id);
      expect(human.stdout).toContain("MODELS");
      const bad = await cli("keys", "update", "--id", key.id, "--allowed-models", "claude-*-x");
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain("--allowed-models");
      expect(bad.stderr).toContain("is not a model name or a prefix ending in one *");
    });
  });
}

describe("a CLI that tells the truth", () => {
  test("negative numbers are refused by the flag's own check, not 'argument is ambiguous'", async () => {
    const db = await freshDatabase("sqlite");
    try {
      const r = await runSnodus(["teams", "create", "--name", "Neg", "--budget", "-5"], {
        DATABASE_URL: db.url,
      });
      expect(r.code).toBe(1);
      expect(r.stderr.trim()).toBe('error: --budget must be an integer ≥ 0 or "none" (got "-5")');
      const rate = await runSnodus(
        [
          "keys",
          "create",
          "--user-id",
          "00000000-0000-4000-8000-000000000000",
          "--name",
          "x",
          "--rate-limit",
          "-1",
        ],
        { DATABASE_URL: db.url },
      );
      expect(rate.stderr).toContain('--rate-limit must be an integer ≥ 1 (got "-1")');
    } finally {
      await db.drop();
    }
  });

  test("plan caps apply to the CLI as to the API: a 4th key on a 3-key plan is refused", async () => {
    const db = await freshDatabase("sqlite");
    try {
      const env = { DATABASE_URL: db.url, SNODUS_FEATURES_PLANS: "true" };
      const run = async (...args: string[]) => runSnodus([...args, "--json"], env);
      const team = JSON.parse((await run("teams", "create", "--name", "Basic Co", "--plan", "basic")).stdout);
      const user = JSON.parse(
        (await run("users", "create", "--email", "b@c.o", "--name", "B", "--team-id", team.id)).stdout,
      );
      for (let i = 0; i < 3; i++)
        expect((await run("keys", "create", "--user-id", user.id, "--name", `k${i}`)).code).toBe(0);
      const fourth = await run("keys", "create", "--user-id", user.id, "--name", "k3");
      expect(fourth.code).toBe(1);
      expect(fourth.stderr).toContain("3");
      expect(fourth.stderr.toLowerCase()).toContain("plan");
    } finally {
      await db.drop();
    }
  });

  test("an unreachable Postgres is named, with no credentials and no SQL", async () => {
    const r = await runSnodus(["status"], { DATABASE_URL: "postgres://admin:hunter2@127.0.0.1:9/snodus" });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      "error: cannot reach Postgres at 127.0.0.1:9/snodus (DATABASE_URL): ECONNREFUSED",
    );
    expect(r.stderr).not.toContain("hunter2");
  });

  test("no DATABASE_URL and no ./snodus.db: the CLI says it is creating a new, empty database", async () => {
    const dir = mkdtempSync(join(tmpdir(), "snodus-cli-"));
    try {
      const first = await runSnodus(["status"], {}, { cwd: dir });
      expect(first.code).toBe(0);
      expect(first.stderr).toContain("DATABASE_URL is not set");
      expect(first.stderr).toContain("creating a new, empty SQLite database");
      const second = await runSnodus(["status"], {}, { cwd: dir });
      expect(second.stderr).not.toContain("creating a new");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe("status and providers --url: a running gateway's view", () => {
    let gw: TestGateway;
    const PASSWORD = "cli remote admin password";
    beforeAll(async () => {
      gw = await startTestGateway(
        "postgres",
        { ADMIN_PASSWORD: PASSWORD, OLLAMA_BASE_URL: "" },
        { allProviders: true },
      );
    });
    afterAll(async () => gw.close());

    test("the gateway's providers and counts, not the CLI's environment", async () => {
      // The CLI's own environment has no provider and an empty database of its own.
      const env = { ADMIN_PASSWORD: PASSWORD, DATABASE_URL: "sqlite:/nonexistent/never-opened.db" };
      const status = await runSnodus(["status", "--url", gw.url, "--json"], env);
      expect(status.code, status.stderr).toBe(0);
      const s = JSON.parse(status.stdout);
      expect(s).toMatchObject({
        store: "postgres",
        teams: 1,
        users: 1,
        keys: { total: 1, active: 1 },
        gateway: gw.url,
      });
      expect(s.providers.find((p: { name: string }) => p.name === "openai").configured).toBe(true);
      expect(s.month).toHaveProperty("spend_micros");
      const providers = await runSnodus(["providers", "--url", gw.url, "--json"], env);
      expect(providers.code, providers.stderr).toBe(0);
      const list = JSON.parse(providers.stdout).data;
      expect(list.find((p: { name: string }) => p.name === "anthropic")).toMatchObject({
        configured: true,
        upstream_url: gw.mock.url,
      });
      const refused = await runSnodus(["status", "--url", gw.url], { ADMIN_PASSWORD: "wrong" });
      expect(refused.stderr.trim()).toBe(
        `error: the gateway at ${gw.url} refused the admin credential (401)`,
      );
      const none = await runSnodus(["status", "--url", gw.url], {});
      expect(none.stderr).toContain("--url needs an admin credential");
      const down = await runSnodus(["status", "--url", "http://127.0.0.1:9"], { ADMIN_PASSWORD: "x" });
      expect(down.stderr).toContain("error: cannot reach the gateway at http://127.0.0.1:9");
    });
  });
});
