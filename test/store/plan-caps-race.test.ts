// Plan caps hold when creates race: of many parallel creates exactly the cap's worth get in, on both dialects.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createKey } from "../../src/modules/keys/service.ts";
import { PlanLimitError } from "../../src/modules/plans/caps.ts";
import { createUser } from "../../src/modules/users/service.ts";
import { openStore } from "../../src/store/open.ts";
import type { Store } from "../../src/store/types.ts";
import { DIALECTS, freshDatabase, type TestDatabase } from "../helpers/databases.ts";

const RACERS = 12;

for (const dialect of DIALECTS) {
  describe(`plan caps under concurrency on ${dialect}`, () => {
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

    async function race<T>(make: (i: number) => Promise<T>) {
      const results = await Promise.allSettled(Array.from({ length: RACERS }, (_, i) => make(i)));
      const refused = results.filter((r) => r.status === "rejected");
      for (const r of refused) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(PlanLimitError);
      return results.length - refused.length;
    }

    test(`${RACERS} parallel key creates on Basic (3 keys): exactly 3 get in`, async () => {
      const team = await store.teams.create({ name: "Racing keys", plan: "basic" });
      const user = await store.users.create({ email: "racer@keys.example", name: "R", teamId: team.id });
      const created = await race((i) =>
        createKey(store, { userId: user.id, name: `k${i}`, enforcePlan: true }),
      );
      const active = await store.keys.countActiveByTeam(team.id);
      // Check and insert are one transaction: exactly the cap gets in, the rest are refused.
      expect(created).toBe(3);
      expect(active).toBe(3);
    });

    test(`${RACERS} parallel user creates on Pro (5 users): exactly 5 get in`, async () => {
      const team = await store.teams.create({ name: "Racing users", plan: "pro" });
      const created = await race((i) =>
        createUser(store, { email: `u${i}@users.example`, name: "U", teamId: team.id, enforcePlan: true }),
      );
      const users = await store.users.countByTeam(team.id);
      expect(created).toBe(5);
      expect(users).toBe(5);
    });
  });
}
