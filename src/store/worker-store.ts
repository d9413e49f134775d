// The SQLite Store as seen by the main thread: every call is a message to a worker thread that owns
// its own bun:sqlite connection, so no query, export chunk or lock wait ever runs on the event loop.
//
// Three lanes, one worker and one connection each, so slow work delays only the work that needs it:
// - write: every insert/update and the transactions (signup, capped creates, spend batches). A write
//   waiting out another process's lock (busy_timeout) blocks only this lane.
// - read: short lookups (ping for /health, key identities for the auth cache, gets and lists).
// - report: the spend-log reads whose cost grows with the log (reports, exports, recent).
// WAL mode lets the read lanes read while the write lane (or another process) holds the write lock,
// and a read issued after a write resolved sees it (the write committed before it answered).
import { resolve } from "node:path";
import type { SqliteOpenOptions } from "./sqlite.ts";
import type { SpendRow, Store } from "./types.ts";
import {
  type FromWorker,
  fromWire,
  packSpendRows,
  SPEND_BATCH_OP,
  type StoreOp,
  type ToWorker,
} from "./worker-protocol.ts";

type Lane = "write" | "read" | "report";
type Group = "teams" | "users" | "keys" | "plans" | "spend" | "latency";

/** Every Store method, by group; the type below fails the build if one is missing. */
const METHODS = {
  teams: ["create", "get", "list", "update", "listPage"],
  users: ["create", "get", "list", "countByTeam", "update", "setActive", "listPage", "getMany"],
  keys: [
    "create",
    "get",
    "list",
    "countActiveByTeam",
    "update",
    "identityByHash",
    "identitiesByIds",
    "labels",
    "markRotated",
    "revoke",
    "touch",
    "listPage",
  ],
  plans: ["list", "get"],
  spend: ["insertMany", "totalsByKey", "totalsByTeam", "count", "recent", "groupBy", "scan"],
  latency: ["series", "rebuild"],
} as const satisfies { [G in Group]: readonly (keyof Store[G])[] };

type Missing = { [G in Group]: Exclude<keyof Store[G], (typeof METHODS)[G][number]> }[Group];
const complete: [Missing] extends [never] ? true : Missing = true;
void complete;

const WRITES = new Set<StoreOp>([
  "teams.create",
  "teams.update",
  "users.create",
  "users.update",
  "users.setActive",
  "keys.create",
  "keys.update",
  "keys.markRotated",
  "keys.revoke",
  "keys.touch",
  "spend.insertMany",
  "latency.rebuild",
  "signup",
]);
const REPORTS = new Set<StoreOp>([
  "spend.totalsByKey",
  "spend.totalsByTeam",
  "spend.count",
  "spend.recent",
  "spend.groupBy",
  "spend.scan",
  "latency.series",
]);

function laneOf(op: StoreOp): Lane {
  if (WRITES.has(op)) return "write";
  return REPORTS.has(op) ? "report" : "read";
}

/**
 * From source the worker sits beside this file. In the compiled executable every entrypoint given to
 * `bun build --compile` (package.json's build lists this worker) lives under the virtual /$bunfs/root,
 * at its path relative to the entrypoints' common directory (the repository root).
 */
function workerUrl(): URL {
  if (import.meta.url.includes("/$bunfs/")) return new URL("./src/store/sqlite-worker.ts", import.meta.url);
  return new URL("./sqlite-worker.ts", import.meta.url);
}

/**
 * The workers are unref'd, so an open store never keeps a finished CLI command alive; while any call
 * is outstanding a timer holds the process open for its answer. (Toggling Worker.ref()/unref() per
 * call instead lost replies under Bun 1.4.)
 */
let outstanding = 0;
let keepAlive: ReturnType<typeof setInterval> | null = null;
function hold(): void {
  if (outstanding++ === 0) keepAlive = setInterval(() => {}, 2 ** 30);
}
function release(): void {
  if (--outstanding === 0 && keepAlive) {
    clearInterval(keepAlive);
    keepAlive = null;
  }
}

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
}

/** One worker thread and the calls it has not answered yet. */
class LaneWorker {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #dead: Error | null = null;
  #onClosed: (() => void) | null = null;

  private constructor(name: string) {
    this.#worker = new Worker(workerUrl().href, { name, ref: false } as WorkerOptions);
    this.#worker.addEventListener("message", (e: MessageEvent<FromWorker>) => this.#receive(e.data));
    this.#worker.addEventListener("error", (e: ErrorEvent) =>
      this.#fail(new Error(`SQLite worker failed: ${e.message}`)),
    );
    this.#worker.addEventListener("close", () => this.#fail(new Error("SQLite worker stopped")));
  }

  #opening: Pending | null = null;

  static start(name: string, path: string, opts: SqliteOpenOptions): Promise<LaneWorker> {
    const lane = new LaneWorker(name);
    return new Promise((resolve, reject) => {
      hold();
      lane.#opening = {
        resolve: () => {
          release();
          resolve(lane);
        },
        reject: (err) => {
          release();
          reject(err);
        },
      };
      lane.#post({ t: "open", path, opts });
    });
  }

  #post(msg: ToWorker): void {
    this.#worker.postMessage(msg);
  }

  #receive(msg: FromWorker): void {
    if (msg.t === "ready" || msg.t === "failed") {
      const opening = this.#opening;
      this.#opening = null;
      if (msg.t === "ready") opening?.resolve(undefined);
      else {
        opening?.reject(fromWire(msg.error));
        this.#worker.terminate();
      }
      return;
    }
    if (msg.t === "closed") {
      this.#onClosed?.();
      return;
    }
    const call = this.#pending.get(msg.id);
    if (!call) return;
    this.#pending.delete(msg.id);
    if (msg.t === "result") call.resolve(msg.value);
    else call.reject(fromWire(msg.error));
  }

  #fail(err: Error): void {
    this.#dead ??= err;
    this.#opening?.reject(err);
    this.#opening = null;
    for (const call of this.#pending.values()) call.reject(err);
    this.#pending.clear();
    this.#onClosed?.();
  }

  call(op: StoreOp, args: unknown[]): Promise<unknown> {
    if (this.#dead) return Promise.reject(this.#dead);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      hold();
      this.#pending.set(id, {
        resolve: (v) => {
          release();
          resolve(v);
        },
        reject: (err) => {
          release();
          reject(err);
        },
      });
      const payload = op === SPEND_BATCH_OP ? [packSpendRows(args[0] as SpendRow[])] : args;
      this.#post({ t: "call", id, op, args: payload });
    });
  }

  /** Closes the connection after the calls already sent, then ends the thread. */
  async close(): Promise<void> {
    if (!this.#dead) {
      hold();
      const closed = new Promise<void>((resolve) => {
        this.#onClosed = resolve;
      }).finally(release);
      this.#post({ t: "close" });
      await closed;
    }
    this.#dead ??= new Error("store is closed");
    this.#worker.terminate();
  }
}

export interface WorkerStoreOptions {
  /** How long a write waits for another connection's lock before it fails (the spend writer retries). */
  busyTimeoutMs?: number;
}

/** Opens the SQLite file at `path` behind worker threads; migrations run in the write lane first. */
export async function openSqliteWorkers(path: string, opts: WorkerStoreOptions = {}): Promise<Store> {
  const file = path === ":memory:" ? path : resolve(path);
  const busyTimeoutMs = opts.busyTimeoutMs ?? 5000;
  const writer = await LaneWorker.start("snodus-sqlite-write", file, { migrate: true, busyTimeoutMs });
  // Every lane starts now, not on first use: a thread (and its descriptors) created in the middle of
  // traffic can fail when the process is short of file descriptors, and Bun then exits; the CLI,
  // which would not use them, opens its store inline instead.
  const readers = new Map<Lane, Promise<LaneWorker>>();
  let closing: Promise<void> | null = null;
  const lane = (l: Lane): Promise<LaneWorker> => {
    // After close no lane starts again; an in-memory database exists only in the one connection.
    if (closing) return Promise.reject(new Error("store is closed"));
    if (l === "write" || file === ":memory:") return Promise.resolve(writer);
    let w = readers.get(l);
    if (!w) {
      w = LaneWorker.start(`snodus-sqlite-${l}`, file, { migrate: false, readOnly: true, busyTimeoutMs });
      readers.set(l, w);
    }
    return w;
  };
  const route = async (op: StoreOp, args: unknown[]) => (await lane(laneOf(op))).call(op, args);
  if (file !== ":memory:") await Promise.all((["read", "report"] as const).map(lane));

  const groups: Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>> = {};
  for (const [group, names] of Object.entries(METHODS)) {
    const fns: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
    for (const name of names) fns[name] = (...args) => route(`${group}.${name}`, args);
    groups[group] = fns;
  }
  const store = {
    dialect: "sqlite" as const,
    ...groups,
    signup: (...args: unknown[]) => route("signup", args),
    ping: () => route("ping", []),
    close: () => {
      closing ??= (async () => {
        const started = await Promise.allSettled(readers.values());
        await Promise.all([
          writer.close(),
          ...started.map((r) => (r.status === "fulfilled" ? r.value.close() : undefined)),
        ]);
      })();
      return closing;
    },
  };
  // The groups are built from METHODS, which the type above checks against Store.
  return store as unknown as Store;
}
