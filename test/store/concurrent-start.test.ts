// Several gateways started at once on one empty database (replicas rolled out together) all come up,
// the schema is migrated once, and each can write and read.
import { expect, test } from "bun:test";
import { openStore } from "../../src/store/open.ts";
import { DIALECTS, freshDatabase } from "../helpers/databases.ts";

for (const dialect of DIALECTS) {
  test(`${dialect}: four gateways opening an empty database at the same moment all start`, async () => {
    const db = await freshDatabase(dialect);
    try {
      const opened = await Promise.allSettled([1, 2, 3, 4].map(() => openStore(db.location)));
      const failures = opened.flatMap((o) => (o.status === "rejected" ? [String(o.reason)] : []));
      expect(failures).toEqual([]);
      const stores = opened.flatMap((o) => (o.status === "fulfilled" ? [o.value] : []));
      const team = await stores[0]?.teams.create({ name: "after concurrent start" });
      for (const store of stores)
        expect((await store.teams.get(team?.id ?? ""))?.name).toBe("after concurrent start");
      await Promise.all(stores.map((s) => s.close()));
    } finally {
      await db.drop();
    }
  }, 60_000);
}
