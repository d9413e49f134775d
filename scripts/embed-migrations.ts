// Writes src/store/migrations.gen.ts so the compiled executable carries every migration.
// Run after `drizzle-kit generate` (npm run db:generate does both).
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderEmbeddedMigrations } from "../src/store/migrations/embed.ts";

const root = join(import.meta.dir, "..");
const out = join(root, "src/store/migrations.gen.ts");
const source = renderEmbeddedMigrations((dialect) => {
  const folder = join(root, "drizzle", dialect);
  const journal = readFileSync(join(folder, "meta/_journal.json"), "utf8");
  const files = Object.fromEntries(
    readdirSync(folder)
      .filter((f) => f.endsWith(".sql"))
      .map((f) => [f.replace(/\.sql$/, ""), readFileSync(join(folder, f), "utf8")]),
  );
  return { journal, files };
});
writeFileSync(out, source);
console.log(`wrote ${out}`);
