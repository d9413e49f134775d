// The report's garbage-collection table: how often the JS thread's heap is collected and how long it stops.
import type { HeapGc } from "./gc-log.ts";
import { f2, f3, int, table, type WrkResult } from "./report-format.ts";

export interface GcRun {
  requests: number;
  heaps: HeapGc[];
  mainHeapKbPerRequest: number | null;
}

/** bench/alloc.ts: objects allocated per request, Snodus's native route and a bare fetch-and-answer. */
export interface AllocRun {
  requests: number;
  snodus: { total: number; byType: Record<string, number> };
  bare: { total: number; byType: Record<string, number> };
}

export function gcSection(
  runs: { name: string; gc: GcRun | undefined; measured: WrkResult | undefined }[],
  seconds: number,
  alloc?: AllocRun,
): string[] {
  const rows = runs.filter((r) => r.gc?.heaps.length);
  if (!rows.length) return [];
  const top = (byType: Record<string, number>) =>
    Object.entries(byType)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6)
      .map(([type, n]) => `${type} ${f2(n)}`)
      .join(", ");
  const objects = alloc
    ? [
        `Objects allocated per request (bench/alloc.ts, in-process, ${int(alloc.requests)} requests): Snodus ${int(
          alloc.snodus.total,
        )} (${top(alloc.snodus.byType)}); a bare fetch-and-answer ${int(alloc.bare.total)}.`,
        "",
      ]
    : [];
  return [
    "### Garbage collection at concurrency 1 (BUN_JSC_logGC=1, small request, warm-up included)",
    "",
    table(
      [
        "target",
        "requests",
        "JS heap collections (eden / full)",
        "KB allocated per request",
        "pause p50 / p90 / max ms",
        "share of the run paused",
        "wrk p99 ms meanwhile",
        "worker heaps' collections",
      ],
      rows.map(({ name, gc, measured }) => {
        const run = gc as GcRun;
        const [main, ...workers] = run.heaps;
        const m = main as HeapGc;
        return [
          name,
          int(run.requests),
          `${int(m.eden)} / ${int(m.full)}`,
          f2(run.mainHeapKbPerRequest),
          `${f3(m.pauseMs.p50)} / ${f3(m.pauseMs.p90)} / ${f3(m.pauseMs.max)}`,
          `${f2((m.pauseMs.total / (seconds * 1000)) * 100)} %`,
          f3(measured ? measured.latencyUs.p99 / 1000 : undefined),
          int(workers.reduce((a, w) => a + w.eden + w.full, 0)),
        ];
      }),
    ),
    "",
    "A request that arrives during a pause waits for it; at one connection, once the share paused nears 1 %,",
    "p99 is a pause. Worker heaps (SQLite lanes) collect on their own threads and do not stop the JS thread.",
    "",
    ...objects,
  ];
}
