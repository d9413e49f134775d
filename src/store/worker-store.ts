// The SQLite Store as seen by the main thread: every call is a message to a worker thread that owns
// its own bun:sqlite connection, so no query, export chunk or lock wait ever runs on the event loop.
//
// Three lanes, one worker and one connection each, so slow work delays only the work that needs it:
// - write: every insert/update and the transactions (signup, capped creates, spend batches). A write
//   waiting out another process's lock (busy_timeout) blocks only this lane.
// - read: short lookups (ping for /health, key identities for the auth cache, gets and lists).
// - report: the spend-log reads whose cost grows with the log, and whole reports and export chunks
//   (modules/analytics/jobs.ts): their rows and their JSON or CSV text are built on this thread, and
//   the event loop receives one string or one buffer.
// WAL mode lets the read lanes read while the write lane (or another process) holds the write lock,
// and a read issued after a write resolved sees it (the write committed before it answered).
import { resolve } from "node:path";
import { LaneWorker, reportLaneVia } from "./lane-worker.ts";
import type { Store } from "./types.ts";
import { REPORT_CSV_OP, REPORT_NICE, REPORT_RUN_OP, type StoreOp } from "./worker-protocol.ts";

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
  REPORT_RUN_OP,
  REPORT_CSV_OP,
]);

function laneOf(op: StoreOp): Lane {
  if (WRITES.has(op)) return "write";
  return REPORTS.has(op) ? "report" : "read";
}

export interface WorkerStoreOptions {
  /** How long a write waits for another connection's lock before it fails (the spend writer retries). */
  busyTimeoutMs?: number;
}

/** Opens the SQLite file at `path` behind worker threads; migrations run in the write lane first. */
export async function openSqliteWorkers(path: string, opts: WorkerStoreOptions = {}): Promise<Store> {
  const file = path === ":memory:" ? path : resolve(path);
  const busyTimeoutMs = opts.busyTimeoutMs ?? 5000;
  const writer = await LaneWorker.start("snodus-sqlite-write", {
    dialect: "sqlite",
    path: file,
    opts: { migrate: true, busyTimeoutMs },
  });
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
      w = LaneWorker.start(`snodus-sqlite-${l}`, {
        dialect: "sqlite",
        path: file,
        opts: { migrate: false, readOnly: true, busyTimeoutMs },
        ...(l === "report" ? { nice: REPORT_NICE } : {}),
      });
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
    reportLane: reportLaneVia(route),
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
