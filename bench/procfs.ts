// Reads a process group's memory (VmRSS) and CPU time from /proc, for the benchmark's system under test.

import { readdirSync, readFileSync } from "node:fs";

/** Resident memory of the given processes, summed, in KiB (a process that is gone counts 0). */
export function rssKb(pids: number[]): number {
  let sum = 0;
  for (const pid of pids) {
    try {
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      if (m) sum += Number(m[1]);
    } catch {
      // gone
    }
  }
  return sum;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** User + system CPU time of the given processes (all their threads), summed, in ms. */
export function cpuMs(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone
    }
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/**
 * CPU time of the given processes by thread name (Bun names its threads: "bun" or the executable for
 * the JavaScript thread, "HeapHelper" for the collector's, "snodus-sqlite-w" for a named worker…), in ms.
 */
export function cpuMsByThread(pids: number[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const pid of pids) {
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue; // gone
    }
    for (const tid of tasks) {
      try {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
        const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        const ms = ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
        // The process's first thread runs the JavaScript event loop, whatever the executable is called.
        const key = tid === String(pid) ? "main (JS event loop)" : name;
        out[key] = (out[key] ?? 0) + ms;
      } catch {
        // thread gone
      }
    }
  }
  return out;
}

/** "1,2,3" → [1, 2, 3]. */
export function parsePids(list: string | undefined): number[] {
  return (list ?? "")
    .split(",")
    .filter(Boolean)
    .map((p) => Number(p));
}

/** Busy and stolen time of one CPU core since boot, in ms (from /proc/stat). */
export function coreTimes(core: number): { busyMs: number; stealMs: number } {
  try {
    const line = readFileSync("/proc/stat", "utf8")
      .split("\n")
      .find((l) => l.startsWith(`cpu${core} `));
    if (!line) return { busyMs: 0, stealMs: 0 };
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    const busy = (user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0);
    return { busyMs: (busy * 1000) / TICKS_PER_SECOND, stealMs: ((steal ?? 0) * 1000) / TICKS_PER_SECOND };
  } catch {
    return { busyMs: 0, stealMs: 0 };
  }
}
