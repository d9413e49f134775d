// Lowers the calling thread's CPU priority (Linux nice), for worker threads whose work can wait.
//
// A report loop keeps its lane's thread busy for whole seconds; on a machine with fewer free cores than
// runnable threads the kernel then shares them evenly, and the event loop serving /v1/* waits its turn.
// With the lane niced, the event loop runs first whenever both want a core. Linux only (setpriority on
// the thread's id, which raising one's own nice needs no privilege for); elsewhere nothing happens.
import { readlinkSync } from "node:fs";

const PRIO_PROCESS = 0;

/** Sets this thread's nice value to `nice` (0–19); true when it took effect. */
export async function lowerThreadPriority(nice: number): Promise<boolean> {
  if (process.platform !== "linux") return false;
  try {
    // "/proc/thread-self" links to "<pid>/task/<tid>".
    const tid = Number(readlinkSync("/proc/thread-self").split("/").at(-1));
    if (!Number.isInteger(tid) || tid <= 0) return false;
    const { dlopen, FFIType } = await import("bun:ffi");
    const libc = dlopen("libc.so.6", {
      setpriority: { args: [FFIType.i32, FFIType.u32, FFIType.i32], returns: FFIType.i32 },
    });
    try {
      return libc.symbols.setpriority(PRIO_PROCESS, tid, nice) === 0;
    } finally {
      libc.close();
    }
  } catch {
    return false;
  }
}
