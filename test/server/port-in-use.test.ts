// A second gateway on a port that is already taken refuses to start with a clear message (instead of the
// kernel splitting traffic between the two); SNODUS_REUSE_PORT=true on both shares the port on purpose.
import { afterAll, describe, expect, test } from "bun:test";
import { runSnodus } from "../helpers/cli.ts";
import { freshDatabase } from "../helpers/databases.ts";
import { spawnServe } from "../helpers/process.ts";

describe("listening on a port that is taken", () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  test("the second `snodus serve` exits non-zero and says the port is in use", async () => {
    const db = await freshDatabase("sqlite");
    cleanups.push(() => db.drop());
    const first = await spawnServe({ DATABASE_URL: db.url });
    cleanups.push(() => first.stop());
    const port = new URL(first.url).port;
    const second = await runSnodus(["serve"], { DATABASE_URL: db.url, SNODUS_ADDR: `127.0.0.1:${port}` });
    expect(second.code).not.toBe(0);
    expect(second.stderr).toContain(`127.0.0.1:${port} is already in use`);
    expect(second.stderr).toContain("SNODUS_REUSE_PORT");
    // The first one still answers.
    expect((await fetch(`${first.url}/health`)).status).toBe(200);
  });

  test("with SNODUS_REUSE_PORT=true on both, the second one starts too", async () => {
    const db = await freshDatabase("sqlite");
    cleanups.push(() => db.drop());
    const first = await spawnServe({ DATABASE_URL: db.url, SNODUS_REUSE_PORT: "true" });
    cleanups.push(() => first.stop());
    const port = new URL(first.url).port;
    const second = await spawnServe({
      DATABASE_URL: db.url,
      SNODUS_REUSE_PORT: "true",
      SNODUS_ADDR: `127.0.0.1:${port}`,
    });
    cleanups.push(() => second.stop());
    expect(second.url).toBe(first.url);
  });
});
