// The worker-backed SQLite store's own edges: an in-memory database, and calls after close.
import { expect, test } from "bun:test";
import { openStore } from "../../src/store/open.ts";
import { rejection } from "../helpers/rejection.ts";

test("an in-memory database is one connection: what the write lane wrote, reads see", async () => {
  const store = await openStore({ kind: "sqlite", path: ":memory:" });
  try {
    const team = await store.teams.create({ name: "In memory" });
    expect(await store.teams.get(team.id)).toEqual(team);
    expect(await store.spend.count({ teamId: team.id })).toBe(0);
  } finally {
    await store.close();
  }
});

test("a call after close rejects instead of hanging", async () => {
  const store = await openStore({ kind: "sqlite", path: ":memory:" });
  await store.close();
  expect(String(await rejection(store.teams.list()))).toContain("closed");
  expect(String(await rejection(store.ping()))).toContain("closed");
});
