// Worker thread entry: owns one bun:sqlite connection and runs the Store calls the main thread sends it.
//
// bun:sqlite is synchronous, so a slow report, a long export chunk or a write waiting out another
// process's lock blocks the thread it runs on. Here that is this worker's thread, never the event
// loop serving /v1/* (see worker-store.ts).
import { openSqliteDirect } from "./sqlite.ts";
import type { Store } from "./types.ts";
import {
  type FromWorker,
  SPEND_BATCH_OP,
  type StoreOp,
  type ToWorker,
  toWire,
  unpackSpendRows,
} from "./worker-protocol.ts";

declare const self: Worker;

let store: Store | null = null;

const send = (msg: FromWorker) => self.postMessage(msg);

/** The function at `op` ("keys.create") on the store, bound to its group so `this` still works. */
function method(s: Store, op: StoreOp): (...args: unknown[]) => Promise<unknown> {
  const parts = op.split(".");
  let owner: unknown = s;
  for (const part of parts.slice(0, -1)) owner = (owner as Record<string, unknown>)[part];
  const fn = (owner as Record<string, unknown> | undefined)?.[parts.at(-1) ?? ""];
  if (typeof fn !== "function") throw new Error(`unknown store operation ${op}`);
  return (fn as (...a: unknown[]) => Promise<unknown>).bind(owner);
}

self.onmessage = async (event: MessageEvent<ToWorker>) => {
  const msg = event.data;
  if (msg.t === "open") {
    try {
      store = await openSqliteDirect(msg.path, msg.opts);
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
      send({ t: "closed" });
    }
    return;
  }
  try {
    if (!store) throw new Error("store is closed");
    const args = msg.op === SPEND_BATCH_OP ? [unpackSpendRows(msg.args[0] as string)] : msg.args;
    const value = await method(store, msg.op)(...args);
    send({ t: "result", id: msg.id, value });
  } catch (err) {
    send({ t: "error", id: msg.id, error: toWire(err) });
  }
};
