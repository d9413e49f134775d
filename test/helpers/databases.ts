// Fresh databases for tests: a temp SQLite file, or a new Postgres database on the local server.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import type { StoreLocation } from "../../src/config/database-url.ts";
import type { Dialect } from "../../src/store/types.ts";

/** The local test server; CI (.ci/run) starts it. Overridable for other machines. */
export const PG_ADMIN_URL = process.env.SNODUS_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface TestDatabase {
  location: StoreLocation;
  /** The DATABASE_URL a subprocess would use. */
  url: string;
  drop(): Promise<void>;
}

export async function freshDatabase(dialect: Dialect): Promise<TestDatabase> {
  if (dialect === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "snodus-test-"));
    const path = join(dir, "snodus.db");
    return {
      location: { kind: "sqlite", path },
      url: path,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `snodus_test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  return {
    location: { kind: "postgres", url },
    url,
    drop: async () => {
      const a = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
      await a.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

export const DIALECTS: Dialect[] = ["sqlite", "postgres"];
