// Reads what JavaScriptCore prints with BUN_JSC_logGC=1: collections and their pauses, per heap (the JS
// thread's and each worker's), and how much the JS thread's heap allocated per request.
//
//   bun bench/gc-log.ts FILE.log --requests N [--out OUT.json]

import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";

export interface HeapGc {
  heap: string;
  eden: number;
  full: number;
  /** Bytes the collections freed, summed: roughly what the heap allocated meanwhile. */
  freedKb: number;
  pauseMs: { p50: number; p90: number; p99: number; max: number; total: number };
}

// "[GC<0x…>: START M 34779kb => EdenCollection, … => 17234kb, p=1.603928ms (max 9.0), cycle 1.57ms END]"
const CYCLE = /GC<(0x[0-9a-f]+)>: START M (\d+)kb => (Eden|Full)Collection.*?=> (\d+)kb, p=([\d.]+)ms/g;

const at = (sorted: number[], q: number) =>
  sorted.length ? (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0) : 0;

/** Every heap's collections, the busiest heap (the JS thread's, which allocates most) first. */
export function parseGcLog(text: string): HeapGc[] {
  const heaps = new Map<string, { eden: number; full: number; freedKb: number; pauses: number[] }>();
  for (const m of text.matchAll(CYCLE)) {
    const [, heap = "", before, kind, after, pause] = m;
    let h = heaps.get(heap);
    if (!h) {
      h = { eden: 0, full: 0, freedKb: 0, pauses: [] };
      heaps.set(heap, h);
    }
    if (kind === "Eden") h.eden++;
    else h.full++;
    h.freedKb += Math.max(0, Number(before) - Number(after));
    h.pauses.push(Number(pause));
  }
  return [...heaps]
    .map(([heap, h]) => {
      const sorted = [...h.pauses].sort((a, b) => a - b);
      const round = (x: number) => Math.round(x * 1000) / 1000;
      return {
        heap,
        eden: h.eden,
        full: h.full,
        freedKb: h.freedKb,
        pauseMs: {
          p50: round(at(sorted, 0.5)),
          p90: round(at(sorted, 0.9)),
          p99: round(at(sorted, 0.99)),
          max: round(sorted.at(-1) ?? 0),
          total: round(sorted.reduce((a, b) => a + b, 0)),
        },
      };
    })
    .sort((a, b) => b.freedKb - a.freedKb);
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    args: Bun.argv.slice(2),
    options: { requests: { type: "string" }, out: { type: "string" } },
    allowPositionals: true,
  });
  const file = positionals[0];
  if (!file || !values.requests) {
    console.error("usage: bun bench/gc-log.ts FILE.log --requests N [--out OUT.json]");
    process.exit(2);
  }
  const heaps = parseGcLog(readFileSync(file, "utf8"));
  const requests = Number(values.requests);
  const main = heaps[0];
  const json = `${JSON.stringify({
    requests,
    heaps,
    mainHeapKbPerRequest: main ? Math.round((main.freedKb / Math.max(1, requests)) * 100) / 100 : null,
  })}\n`;
  if (values.out) writeFileSync(values.out, json);
  else process.stdout.write(json);
}
