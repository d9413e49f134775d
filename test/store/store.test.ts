// The store's operations, with the same test bodies against SQLite and the local Postgres.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { hashKey } from "../../src/modules/keys/secret.ts";
import { createKey, ROTATION_GRACE_MS, rotateKey } from "../../src/modules/keys/service.ts";
import { openStore } from "../../src/store/open.ts";
import { type SpendRow, type Store, StoreConflictError, StoreNotFoundError } from "../../src/store/types.ts";
import { DIALECTS, freshDatabase, type TestDatabase } from "../helpers/databases.ts";
import { rejection } from "../helpers/rejection.ts";

function spendRow(over: Partial<SpendRow> & Pick<SpendRow, "apiKeyId" | "userId" | "teamId">): SpendRow {
  return {
    id: Bun.randomUUIDv7(),
    createdAt: new Date(),
    model: "claude-sonnet-4-5",
    provider: "anthropic",
    inputTokens: 1000,
    outputTokens: 500,
    cacheCreationInputTokens: 0,
    cacheReadInputTokens: 0,
    costMicros: 10_500,
    durationMs: 12,
    status: 200,
    stream: false,
    routedFrom: null,
    routingMethod: null,
    routingReason: null,
    requestId: `req_${Math.random().toString(36).slice(2)}`,
    deployment: null,
    ...over,
  };
}

for (const dialect of DIALECTS) {
  describe(`store on ${dialect}`, () => {
    let db: TestDatabase;
    let store: Store;

    beforeAll(async () => {
      db = await freshDatabase(dialect);
      store = await openStore(db.location);
    });
    afterAll(async () => {
      await store.close();
      await db.drop();
    });

    test("plans are seeded with the spec's four plans", async () => {
      const plans = await store.plans.list();
      expect(plans.map((p) => [p.id, p.priceCents, p.tokensPerMonth, p.maxUsers, p.maxKeys])).toEqual([
        ["free", 0, 100_000, 1, 1],
        ["basic", 1900, 1_000_000, 1, 3],
        ["pro", 4900, 5_000_000, 5, 10],
        ["enterprise", null, null, null, null],
      ]);
    });

    test("migrating an already migrated database is a no-op", async () => {
      const again = await openStore(db.location);
      expect((await again.plans.list()).length).toBe(4);
      await again.close();
    });

    test("teams: create, get, update, unique name", async () => {
      const team = await store.teams.create({ name: "Acme", budgetMonthlyCents: 5000 });
      expect(team.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(team.plan).toBe("free");
      expect(team.createdAt).toBeInstanceOf(Date);
      expect(await store.teams.get(team.id)).toEqual(team);
      const updated = await store.teams.update(team.id, { budgetMonthlyCents: 10_000, plan: "pro" });
      expect(updated.budgetMonthlyCents).toBe(10_000);
      expect(updated.plan).toBe("pro");
      expect(await rejection(store.teams.create({ name: "Acme" }))).toBeInstanceOf(StoreConflictError);
      expect(await rejection(store.teams.update(crypto.randomUUID(), { name: "x" }))).toBeInstanceOf(
        StoreNotFoundError,
      );
    });

    test("key labels: name, prefix and owner of the keys asked for, none for unknown ids", async () => {
      const team = await store.teams.create({ name: "Labels Inc" });
      const user = await store.users.create({ email: "l@labels.example", name: "L", teamId: team.id });
      const a = await createKey(store, { userId: user.id, name: "alpha" });
      const b = await createKey(store, { userId: user.id, name: "beta" });
      await createKey(store, { userId: user.id, name: "not asked" });
      const labels = await store.keys.labels([b.key.id, a.key.id, Bun.randomUUIDv7()]);
      expect(labels.sort((x, y) => x.name.localeCompare(y.name))).toEqual([
        { id: a.key.id, name: "alpha", keyPrefix: a.key.keyPrefix, userId: user.id },
        { id: b.key.id, name: "beta", keyPrefix: b.key.keyPrefix, userId: user.id },
      ]);
    });

    test("users and keys: create, list by team, identity by hash, rotate, revoke", async () => {
      const team = await store.teams.create({ name: "Keys Inc" });
      const other = await store.teams.create({ name: "Other Inc" });
      const user = await store.users.create({
        email: "jane@keys.example",
        name: "Jane",
        teamId: team.id,
        role: "admin",
      });
      await store.users.create({ email: "bob@other.example", name: "Bob", teamId: other.id });
      expect(
        await rejection(store.users.create({ email: "jane@keys.example", name: "J2", teamId: team.id })),
      ).toMatchObject({
        field: "email",
      });
      expect((await store.users.list({ teamId: team.id })).map((u) => u.email)).toEqual([
        "jane@keys.example",
      ]);
      expect(await store.users.countByTeam(team.id)).toBe(1);
      expect(user.isActive).toBe(true);
      expect((await store.users.setActive(user.id, false)).isActive).toBe(false);
      expect((await store.users.get(user.id))?.isActive).toBe(false);
      expect((await store.users.setActive(user.id, true)).isActive).toBe(true);
      expect(await rejection(store.users.setActive(crypto.randomUUID(), false))).toBeInstanceOf(
        StoreNotFoundError,
      );

      const created = await createKey(store, {
        userId: user.id,
        name: "dev",
        rateLimit: 30,
        budgetMonthlyCents: 500,
      });
      expect(created.secret).toMatch(/^sk-[0-9A-Za-z]{40}$/);
      expect(created.key.keyHash).toBe(hashKey(created.secret));
      expect(created.key.keyHash).not.toContain(created.secret.slice(3));
      expect(created.key.rateLimit).toBe(30);

      const identity = await store.keys.identityByHash(hashKey(created.secret));
      expect(identity?.key.id).toBe(created.key.id);
      expect(identity?.user.id).toBe(user.id);
      expect(identity?.team.id).toBe(team.id);
      expect(await store.keys.identityByHash(hashKey("sk-unknown"))).toBeNull();

      const now = new Date("2026-11-24T12:00:00Z");
      const rotated = await rotateKey(store, created.key.id, now);
      expect(rotated.key.id).not.toBe(created.key.id);
      expect(rotated.key.rateLimit).toBe(30);
      const old = await store.keys.get(created.key.id);
      expect(old?.isActive).toBe(true);
      expect(old?.replacedBy).toBe(rotated.key.id);
      expect(old?.expiresAt?.getTime()).toBe(now.getTime() + ROTATION_GRACE_MS);

      expect((await store.keys.list({ teamId: team.id })).length).toBe(2);
      expect((await store.keys.list({ teamId: other.id })).length).toBe(0);
      expect(await store.keys.countActiveByTeam(team.id)).toBe(2);

      const revoked = await store.keys.revoke(rotated.key.id);
      expect(revoked.isActive).toBe(false);
      expect(await store.keys.countActiveByTeam(team.id)).toBe(1);

      const touchedAt = new Date("2026-11-24T12:34:56.789Z");
      await store.keys.touch(new Map([[created.key.id, touchedAt]]));
      expect((await store.keys.get(created.key.id))?.lastUsedAt?.toISOString()).toBe(touchedAt.toISOString());

      const patched = await store.keys.update(created.key.id, { name: "renamed", budgetMonthlyCents: null });
      expect(patched.name).toBe("renamed");
      expect(patched.budgetMonthlyCents).toBeNull();
    });

    test("spend: batched insert, totals per key and team within a month, recent", async () => {
      const team = await store.teams.create({ name: "Spend Co" });
      const user = await store.users.create({ email: "s@spend.example", name: "S", teamId: team.id });
      const { key } = await createKey(store, { userId: user.id, name: "k" });
      const ids = { apiKeyId: key.id, userId: user.id, teamId: team.id };
      const inMonth = new Date("2026-11-10T10:00:00Z");
      const rows = [
        ...Array.from({ length: 1200 }, () => spendRow({ ...ids, createdAt: inMonth })),
        spendRow({ ...ids, createdAt: new Date("2026-10-31T23:59:59Z"), costMicros: 999 }),
        spendRow({ ...ids, createdAt: new Date("2026-12-01T00:00:00Z"), costMicros: 999 }),
      ];
      await store.spend.insertMany(rows);
      const from = new Date("2026-11-01T00:00:00Z");
      const to = new Date("2026-12-01T00:00:00Z");
      const byKey = await store.spend.totalsByKey(from, to);
      expect(byKey.get(key.id)).toEqual({
        costMicros: 1200 * 10_500,
        inputTokens: 1_200_000,
        outputTokens: 600_000,
        requests: 1200,
      });
      expect((await store.spend.totalsByTeam(from, to)).get(team.id)?.costMicros).toBe(1200 * 10_500);
      expect(await store.spend.count({ teamId: team.id })).toBe(1202);
      const recent = await store.spend.recent(1, { teamId: team.id });
      expect(recent[0]?.createdAt.toISOString()).toBe("2026-12-01T00:00:00.000Z");
      expect(recent[0]?.stream).toBe(false);

      // Every field survives the driver-level insert, exactly (ms timestamps, booleans, nulls, big costs).
      const full = spendRow({
        ...ids,
        createdAt: new Date("2026-12-02T03:04:05.678Z"),
        stream: true,
        inputTokens: 123_456,
        outputTokens: 7,
        cacheCreationInputTokens: 11,
        cacheReadInputTokens: 22,
        costMicros: 9_007_199_254, // beyond 32 bits
        durationMs: 4321,
        status: 529,
        routedFrom: "auto",
        routingMethod: "rules",
        routingReason: 'complex keyword "refactor"',
        tags: "batch,nightly",
        endUser: "user-42",
      });
      await store.spend.insertMany([full]);
      expect((await store.spend.recent(1, { teamId: team.id }))[0]).toEqual(full);
    });

    test("ping answers", async () => {
      await store.ping();
    });
  });
}
