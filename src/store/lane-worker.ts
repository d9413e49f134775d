// One store worker thread (store-worker.ts) seen from the main thread: calls out, answers back by id.
import type { CsvPage, ReportLane } from "../modules/analytics/jobs.ts";
import type { SpendRow } from "./types.ts";
import {
  type FromWorker,
  fromWire,
  type OpenTarget,
  packSpendRows,
  REPORT_CSV_OP,
  REPORT_RUN_OP,
  SPEND_BATCH_OP,
  type StoreOp,
  type ToWorker,
} from "./worker-protocol.ts";

/**
 * From source the worker sits beside this file. In the compiled executable every entrypoint given to
 * `bun build --compile` (package.json's build lists this worker) lives under the virtual /$bunfs/root,
 * at its path relative to the entrypoints' common directory (the repository root).
 */
function workerUrl(): URL {
  if (import.meta.url.includes("/$bunfs/")) return new URL("./src/store/store-worker.ts", import.meta.url);
  return new URL("./store-worker.ts", import.meta.url);
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
export class LaneWorker {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #dead: Error | null = null;
  #onClosed: (() => void) | null = null;

  private constructor(name: string) {
    this.#worker = new Worker(workerUrl().href, { name, ref: false } as WorkerOptions);
    this.#worker.addEventListener("message", (e: MessageEvent<FromWorker>) => this.#receive(e.data));
    this.#worker.addEventListener("error", (e: ErrorEvent) =>
      this.#fail(new Error(`store worker failed: ${e.message}`)),
    );
    this.#worker.addEventListener("close", () => this.#fail(new Error("store worker stopped")));
  }

  #opening: Pending | null = null;

  static start(name: string, target: OpenTarget): Promise<LaneWorker> {
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
      lane.#post({ t: "open", target });
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

/** Whole reports sent through `call` to the worker that runs them (store-worker.ts). */
export const reportLaneVia = (call: (op: StoreOp, args: unknown[]) => Promise<unknown>): ReportLane => ({
  run: (job) => call(REPORT_RUN_OP, [job]) as Promise<string>,
  csvPage: (job) => call(REPORT_CSV_OP, [job]) as Promise<CsvPage>,
});
