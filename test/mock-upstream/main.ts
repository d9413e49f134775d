// CLI: run the mock upstream standalone (benchmarks): bun test/mock-upstream/main.ts --port 9999 [--latency-ms 5]

import { parseArgs } from "node:util";
import { startMockUpstream } from "./index.ts";

const USAGE =
  "usage: bun test/mock-upstream/main.ts [--port 9999] [--hostname 127.0.0.1] [--latency-ms 0] [--chunk-delay-ms 0] [--record]";

function nonNegative(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) {
    console.error(`--${name} must be a non-negative number\n${USAGE}`);
    process.exit(2);
  }
  return n;
}

const { values } = parseArgs({
  args: Bun.argv.slice(2),
  options: {
    port: { type: "string" },
    hostname: { type: "string" },
    "latency-ms": { type: "string" },
    "chunk-delay-ms": { type: "string" },
    record: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const latencyMs = nonNegative("latency-ms", values["latency-ms"]);
const chunkDelayMs = nonNegative("chunk-delay-ms", values["chunk-delay-ms"]);
// Recording is off by default here: nobody can read `calls` from outside, and a long benchmark
// would otherwise keep every request body in memory.
const mock = await startMockUpstream({
  port: nonNegative("port", values.port) ?? 0,
  hostname: values.hostname,
  record: values.record ?? false,
});
if (latencyMs !== undefined || chunkDelayMs !== undefined) mock.setDefault({ latencyMs, chunkDelayMs });
console.log(`mock upstream listening on ${mock.url}`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    void mock.stop().then(() => process.exit(0));
  });
}
