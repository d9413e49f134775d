// The CLI end to end as a subprocess: team → user → key, list, rotate, revoke, and each error case.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { runSnodus } from "../helpers/cli.ts";
import { DIALECTS, freshDatabase, type TestDatabase } from "../helpers/databases.ts";

const SPEC_COMMANDS = [
  "serve",
  "status",
  "providers",
  "plans",
  "budget",
  "account",
  "teams create",
  "teams update",
  "users create",
  "keys create",
  "keys rotate",
  "keys revoke",
];

test("--help lists every command of the spec; each command has --help", async () => {
  const help = await runSnodus(["--help"], {});
  expect(help.code).toBe(0);
  for (const c of SPEC_COMMANDS) expect(help.stdout).toContain(`  ${c} `);
  const sub = await runSnodus(["keys", "create", "--help"], {});
  expect(sub.code).toBe(0);
  expect(sub.stdout).toContain("--user-id");
  expect(sub.stdout).toContain("--rate-limit");
});

test("a bad configuration value exits 2 with one clear line per problem", async () => {
  const r = await runSnodus(["status"], {
    DATABASE_URL: "mysql://db/x",
    SNODUS_ADDR: "nope",
    SNODUS_ROUTER_ENABLED: "maybe",
  });
  expect(r.code).toBe(2);
  expect(r.stderr).toContain("DATABASE_URL must start with sqlite: / file path or postgres://");
  expect(r.stderr).toContain("SNODUS_ADDR must be host:port");
  expect(r.stderr).toContain("SNODUS_ROUTER_ENABLED must be true or false");
});

for (const dialect of DIALECTS) {
  describe(`CLI on ${dialect}`, () => {
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
      // The upstream points at a closed local port: `snodus providers` probes it and must never leave the machine.
      env = {
        DATABASE_URL: db.url,
        ANTHROPIC_API_KEY: "sk-ant-real-secret-value",
        ANTHROPIC_UPSTREAM_URL: "http://127.0.0.1:9",
      };
    });
    afterAll(async () => db.drop());

    test("create team → user → key, list, rotate, revoke", async () => {
      const team = await json("teams", "create", "--name", "Company", "--budget", "5000", "--plan", "pro");
      expect(team).toMatchObject({ name: "Company", budget_monthly_cents: 5000, plan: "pro" });
      const updated = await json("teams", "update", "--id", team.id, "--budget", "10000");
      expect(updated.budget_monthly_cents).toBe(10000);

      const user = await json(
        "users",
        "create",
        "--email",
        "x@y.com",
        "--name",
        "Mario",
        "--team-id",
        team.id,
        "--role",
        "admin",
      );
      expect(user).toMatchObject({ email: "x@y.com", role: "admin", team_id: team.id });

      const human = await cli(
        "keys",
        "create",
        "--user-id",
        user.id,
        "--name",
        "dev",
        "--rate-limit",
        "60",
        "--budget",
        "5000",
      );
      expect(human.code).toBe(0);
      expect(human.stdout).toMatch(/api_key: sk-[0-9A-Za-z]{40}/);
      expect(human.stdout).toContain("will not be shown again");

      const key = await json("keys", "create", "--user-id", user.id, "--name", "ci");
      expect(key.api_key).toMatch(/^sk-/);
      expect(key.key_hash).toBeUndefined();
      expect(key).toMatchObject({ team_id: team.id, user_id: user.id, status: "active", rate_limit: 60 });

      const list = await cli("keys", "list");
      expect(list.code).toBe(0);
      expect(list.stdout).toContain("dev");
      expect(list.stdout).not.toContain(key.api_key);

      const before = Date.now();
      const rotated = await json("keys", "rotate", "--id", key.id);
      expect(rotated.api_key).toMatch(/^sk-/);
      expect(rotated.api_key).not.toBe(key.api_key);
      expect(rotated.old_key.is_active).toBe(true);
      const expires = Date.parse(rotated.old_key.expires_at);
      expect(expires).toBeGreaterThanOrEqual(before + 24 * 3600_000 - 1000);
      expect(expires).toBeLessThanOrEqual(Date.now() + 24 * 3600_000 + 1000);

      const revoked = await json("keys", "revoke", "--id", rotated.id);
      expect(revoked.is_active).toBe(false);
      const keys = await json("keys", "list", "--team-id", team.id);
      expect(keys.data.map((k: { is_active: boolean }) => k.is_active).sort()).toEqual([false, true, true]);

      for (const args of [
        ["status"],
        ["plans"],
        ["budget"],
        ["providers"],
        ["account", "--team-id", team.id],
        ["teams", "list"],
        ["users", "list"],
      ]) {
        const r = await cli(...args);
        expect(r.code, `snodus ${args.join(" ")}: ${r.stderr}`).toBe(0);
        expect(r.stdout.length).toBeGreaterThan(0);
        expect(r.stdout + r.stderr).not.toContain("sk-ant-real-secret-value");
      }
      const account = await json("account", "--team-id", team.id);
      expect(account.keys).toEqual({ used: 2, limit: 10, fraction: 0.2 });
    });

    test("errors: unknown id, duplicate email, bad UUID, missing flag, unknown command", async () => {
      const team = await json("teams", "create", "--name", "Errors Ltd");
      const cases: [string[], RegExp][] = [
        [["keys", "revoke", "--id", "00000000-0000-4000-8000-000000000000"], /no key with id/],
        [["account", "--team-id", "00000000-0000-4000-8000-000000000000"], /no team with id/],
        [["keys", "revoke", "--id", "not-a-uuid"], /--id must be a UUID/],
        [["keys", "create", "--name", "x"], /missing --user-id/],
        [
          ["users", "create", "--email", "bad", "--name", "n", "--team-id", team.id],
          /email is not a valid address/,
        ],
        [["teams", "create", "--name", "Errors Ltd"], /already exists/],
        [["teams", "create", "--name", "P", "--plan", "gold"], /plan must be one of/],
        [
          ["keys", "create", "--user-id", team.id, "--name", "x", "--rate-limit", "0"],
          /--rate-limit must be an integer/,
        ],
        [["frobnicate"], /unknown command/],
        [["keys", "create", "--bogus"], /Unknown option/],
      ];
      await json("users", "create", "--email", "dup@y.com", "--name", "A", "--team-id", team.id);
      cases.push([
        ["users", "create", "--email", "dup@y.com", "--name", "B", "--team-id", team.id],
        /email already exists/,
      ]);
      for (const [args, message] of cases) {
        const r = await cli(...args);
        expect(r.code, args.join(" ")).not.toBe(0);
        expect(r.stderr, args.join(" ")).toMatch(message);
        expect(r.stderr.trim().split("\n").length, args.join(" ")).toBe(1);
      }
    });
  });
}
