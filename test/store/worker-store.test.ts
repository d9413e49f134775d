// The worker-backed SQLite store's own edges: an in-memory database, and calls after close.
import { describe, expect, test } from "bun:test";
import { openStore } from "../../src/store/open.ts";
import type { SpendRow } from "../../src/store/types.ts";
import { packSpendRows, unpackSpendRows } from "../../src/store/worker-protocol.ts";
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

describe("spend batch packing", () => {
  test("a row crosses to the write lane unchanged; absent optional fields arrive as null", () => {
    const full: SpendRow = {
      id: "0193",
      createdAt: new Date("2026-11-30T23:59:59.999Z"),
      apiKeyId: "k",
      userId: "u",
      teamId: "t",
      model: "claude-sonnet-4-5",
      provider: "anthropic",
      inputTokens: 1,
      outputTokens: 2,
      cacheCreationInputTokens: 3,
      cacheReadInputTokens: 4,
      costMicros: 5,
      durationMs: 6,
      status: 499,
      stream: true,
      routedFrom: "auto",
      routingMethod: "score",
      routingReason: 'top tier: reasoning "prove" (score 3.0)',
      requestId: "req_1",
      deployment: "eu",
      tags: "a,b",
      endUser: "ünïcode",
    };
    const { deployment: _d, tags: _t, endUser: _e, ...bare } = full;
    const [a, b] = unpackSpendRows(packSpendRows([full, bare]));
    expect(a).toEqual(full);
    expect(b).toEqual({ ...bare, deployment: null, tags: null, endUser: null });
    expect(b?.createdAt).toBeInstanceOf(Date);
  });
});
