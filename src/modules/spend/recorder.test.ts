// The spend recorder's promises against a fake store whose writes we hold open: flush() returns only
// once every row queued before the call is written, and no burst is left in memory without a writer.
import { describe, expect, test } from "bun:test";
import { silentLogger } from "../../log.ts";
import type { SpendRow, Store } from "../../store/types.ts";
import { SpendRecorder } from "./recorder.ts";

/** A store with only what the recorder touches; `touch` and `insertMany` can be held until released. */
function fakeStore() {
  const inserted: SpendRow[] = [];
  const holds = { touch: false, insert: false, failInserts: 0 };
  const waiting: (() => void)[] = [];
  const held = () => new Promise<void>((resolve) => waiting.push(resolve));
  const store = {
    spend: {
      async insertMany(rows: SpendRow[]) {
        if (holds.insert) await held();
        if (holds.failInserts > 0) {
          holds.failInserts--;
          throw new Error("store down");
        }
        inserted.push(...rows);
      },
    },
    keys: {
      async touch() {
        if (holds.touch) await held();
      },
    },
  } as unknown as Store;
  const release = () => {
    holds.touch = false;
    holds.insert = false;
    for (const go of waiting.splice(0)) go();
  };
  return { store, inserted, holds, release, waiting };
}

let n = 0;
const row = (): SpendRow => ({
  id: `row-${++n}`,
  createdAt: new Date(),
  apiKeyId: `key-${n % 3}`,
  userId: "u",
  teamId: "t",
  model: "m",
  provider: "anthropic",
  inputTokens: 1,
  outputTokens: 1,
  cacheCreationInputTokens: 0,
  cacheReadInputTokens: 0,
  costMicros: 1,
  durationMs: 1,
  status: 200,
  stream: false,
  routedFrom: null,
  routingMethod: null,
  routingReason: null,
  requestId: `req-${n}`,
  deployment: null,
});

/** Lets pending promise callbacks run (no timers involved). */
const settle = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

describe("SpendRecorder batching", () => {
  test("under steady traffic rows are written in whole batches, not one small write after another", async () => {
    const fake = fakeStore();
    let writes = 0;
    const insert = fake.store.spend.insertMany.bind(fake.store.spend);
    // Each write takes 3 ms, as a SQLite batch does: rows keep arriving meanwhile.
    fake.store.spend.insertMany = async (rows) => {
      writes++;
      await Bun.sleep(3);
      return insert(rows);
    };
    const rec = new SpendRecorder(fake.store, { log: silentLogger, flushMs: 100, batchSize: 50 });
    // 300 rows, about one a millisecond: at most 6 whole batches plus one timer write per 100 ms.
    const started = performance.now();
    for (let i = 0; i < 300; i++) {
      rec.record(row());
      await Bun.sleep(1);
    }
    const elapsed = performance.now() - started;
    await rec.flush();
    expect(fake.inserted.length).toBe(300);
    // Writing until the queue was empty made a write of a few rows every ~3 ms: ~100 writes here.
    expect(writes).toBeLessThanOrEqual(300 / 50 + Math.ceil(elapsed / 100) + 2);
    await rec.close();
  });

  test("rows below a batch are written by the timer, none is left behind", async () => {
    const fake = fakeStore();
    const rec = new SpendRecorder(fake.store, { log: silentLogger, flushMs: 20, batchSize: 50 });
    for (let i = 0; i < 7; i++) rec.record(row());
    await Bun.sleep(5);
    expect(fake.inserted.length).toBe(0);
    await Bun.sleep(60);
    expect(fake.inserted.length).toBe(7);
    expect(rec.pending).toBe(0);
    await rec.close();
  });
});

describe("SpendRecorder.flush", () => {
  test("a flush that joins a drain busy with last_used_at still writes the rows queued before it", async () => {
    const fake = fakeStore();
    // A timer that never fires during the test, so only flush() can write.
    const rec = new SpendRecorder(fake.store, { log: silentLogger, flushMs: 3_600_000 });
    const first = row();
    rec.record(first);
    fake.holds.touch = true;
    const firstFlush = rec.flush();
    await settle();
    expect(fake.inserted.map((r) => r.id)).toEqual([first.id]);
    expect(fake.waiting.length).toBe(1); // the drain is now inside touch()

    const second = row();
    rec.record(second);
    const secondFlush = rec.flush();
    fake.release();
    await secondFlush;
    expect(fake.inserted.map((r) => r.id)).toEqual([first.id, second.id]);
    expect(rec.pending).toBe(0);
    await firstFlush;
    await rec.close();
  });

  test("a burst that reaches the batch size during a drain is written without any timer", async () => {
    const fake = fakeStore();
    const rec = new SpendRecorder(fake.store, { log: silentLogger, flushMs: 3_600_000, batchSize: 2 });
    fake.holds.touch = true;
    rec.record(row());
    rec.record(row()); // batch full: a drain starts
    await settle();
    expect(fake.waiting.length).toBe(1);
    rec.record(row());
    rec.record(row()); // full again while the drain is in touch()
    fake.release();
    await settle();
    expect(fake.inserted.length).toBe(4);
    expect(rec.pending).toBe(0);
    await rec.close();
  });

  test("flush() waits through a failed write and returns once the rows are in", async () => {
    const fake = fakeStore();
    const rec = new SpendRecorder(fake.store, { log: silentLogger, flushMs: 3_600_000 });
    fake.holds.failInserts = 1;
    rec.record(row());
    await rec.flush();
    expect(fake.inserted.length).toBe(1);
    expect(rec.pending).toBe(0);
    await rec.close();
  });

  test("a timer drain that finds nothing to do does not stop later flushes from writing", async () => {
    const fake = fakeStore();
    const rec = new SpendRecorder(fake.store, { log: silentLogger, flushMs: 1 });
    rec.record(row());
    await rec.flush();
    // The row's timer now fires on an empty queue.
    await Bun.sleep(20);
    rec.record(row());
    await rec.flush();
    expect(fake.inserted.length).toBe(2);
    await rec.close();
  });

  test("rows recorded after flush() was called do not hold it up", async () => {
    const fake = fakeStore();
    const rec = new SpendRecorder(fake.store, { log: silentLogger, flushMs: 3_600_000 });
    rec.record(row());
    fake.holds.insert = true;
    const flushed = rec.flush();
    await settle();
    rec.record(row());
    fake.release();
    await flushed;
    expect(fake.inserted.length).toBeGreaterThanOrEqual(1);
    await rec.close();
    expect(fake.inserted.length).toBe(2);
  });
});
