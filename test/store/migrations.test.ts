// Migrations cannot drift: drizzle/ matches the schemas, and the embedded copy matches drizzle/.
import { expect, test } from "bun:test";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderEmbeddedMigrations } from "../../src/store/migrations/embed.ts";
import { REPO_ROOT } from "../helpers/cli.ts";

const DRIZZLE_KIT = join(REPO_ROOT, "node_modules/.bin/drizzle-kit");

for (const [dialect, kitDialect] of [
  ["sqlite", "sqlite"],
  ["postgres", "postgresql"],
] as const) {
  test(`drizzle/${dialect} is up to date with src/store/schema/${dialect}.ts`, async () => {
    const out = mkdtempSync(join(tmpdir(), "snodus-drift-"));
    try {
      cpSync(join(REPO_ROOT, "drizzle", dialect), out, { recursive: true });
      const before = readdirSync(out).sort();
      const proc = Bun.spawn(
        [
          DRIZZLE_KIT,
          "generate",
          "--dialect",
          kitDialect,
          "--schema",
          `./src/store/schema/${dialect}.ts`,
          "--out",
          out,
        ],
        { cwd: REPO_ROOT, stdout: "pipe", stderr: "pipe" },
      );
      expect(await proc.exited).toBe(0);
      // A schema change without `npm run db:generate` shows up here as a new migration file.
      expect(readdirSync(out).sort()).toEqual(before);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);
}

test("src/store/migrations.gen.ts embeds exactly what drizzle/ holds", () => {
  const rendered = renderEmbeddedMigrations((dialect) => {
    const folder = join(REPO_ROOT, "drizzle", dialect);
    const files = Object.fromEntries(
      readdirSync(folder)
        .filter((f) => f.endsWith(".sql"))
        .map((f) => [f.replace(/\.sql$/, ""), readFileSync(join(folder, f), "utf8")]),
    );
    return { journal: readFileSync(join(folder, "meta/_journal.json"), "utf8"), files };
  });
  expect(readFileSync(join(REPO_ROOT, "src/store/migrations.gen.ts"), "utf8")).toBe(rendered);
});
