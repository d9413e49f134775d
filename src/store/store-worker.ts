// Worker thread entry: owns one store connection (a SQLite lane, or the Postgres lane's pool) and runs the calls the main thread sends.
//
// bun:sqlite is synchronous, so a slow report, a long export chunk or a write waiting out another
// process's lock blocks the thread it runs on. Here that is this worker's thread, never the event
// loop serving /v1/* (see worker-store.ts). Whole reports (modules/analytics/jobs.ts) run here too,
// on either dialect, so their rows and their JSON or CSV text never reach the event loop.
import type { ReportLane } from "../modules/analytics/jobs.ts";
import { lowerThreadPriority } from "./thread-priority.ts";
import type { Store } from "./types.ts";
import {
  type FromWorker,
  type OpenTarget,
  REPORT_CSV_OP,
  REPORT_RUN_OP,
  SPEND_BATCH_OP,
  type StoreOp,
  type ToWorker,
  toWire,
  unpackSpendRows,
} from "./worker-protocol.ts";

declare const self: Worker;

let store: Store | null = null;
/** The report runner, loaded on the first report: the write and read lanes never load it. */
let reports: ReportLane | null = null;

const send = (msg: FromWorker, transfer?: Transferable[]) => self.postMessage(msg, transfer ?? []);

async function open(target: OpenTarget): Promise<Store> {
  if (target.nice) await lowerThreadPriority(target.nice);
  if (target.dialect === "sqlite")
    return (await import("./sqlite.ts")).openSqliteDirect(target.path, target.opts);
  // The lane's own small pool (the main thread's store has already migrated the database): three, so a
  // spend batch finds a connection even while two reports or export chunks hold theirs.
  return (await import("./postgres.ts")).openPostgres(target.url, { migrate: false, max: 3 });
}

/** The function at `op` ("keys.create") on the store, bound to its group so `this` still works. */
function method(s: Store, op: StoreOp): (...args: unknown[]) => Promise<unknown> {
  const parts = op.split(".");
  let owner: unknown = s;
  for (const part of parts.slice(0, -1)) owner = (owner as Record<string, unknown>)[part];
  const fn = (owner as Record<string, unknown> | undefined)?.[parts.at(-1) ?? ""];
  if (typeof fn !== "function") throw new Error(`unknown store operation ${op}`);
  return (fn as (...a: unknown[]) => Promise<unknown>).bind(owner);
}

async function run(s: Store, op: StoreOp, args: unknown[]): Promise<unknown> {
  if (op === REPORT_RUN_OP || op === REPORT_CSV_OP) {
    reports ??= (await import("../modules/analytics/jobs.ts")).inlineReports(s);
    const [job] = args as [never];
    return op === REPORT_RUN_OP ? reports.run(job) : reports.csvPage(job);
  }
  return method(s, op)(...(op === SPEND_BATCH_OP ? [unpackSpendRows(args[0] as string)] : args));
}

self.onmessage = async (event: MessageEvent<ToWorker>) => {
  const msg = event.data;
  if (msg.t === "open") {
    try {
      store = await open(msg.target);
      send({ t: "ready" });
    } catch (err) {
      send({ t: "failed", error: toWire(err) });
    }
    return;
  }
  if (msg.t === "close") {
    try {
      await store?.close();
    } finally {
      store = null;
      reports = null;
      send({ t: "closed" });
    }
    return;
  }
  try {
    if (!store) throw new Error("store is closed");
    const value = await run(store, msg.op, msg.args);
    // An export chunk's buffer moves to the main thread instead of being copied.
    const bytes = (value as { bytes?: unknown } | null)?.bytes;
    send({ t: "result", id: msg.id, value }, bytes instanceof Uint8Array ? [bytes.buffer] : undefined);
  } catch (err) {
    send({ t: "error", id: msg.id, error: toWire(err) });
  }
};
