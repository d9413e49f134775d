// The CLI's model allow-lists and concurrency caps, and `--json` in the admin API's shapes, on both dialects.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { runSnodus } from "../helpers/cli.ts";
import { DIALECTS, freshDatabase, type TestDatabase } from "../helpers/databases.ts";

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
