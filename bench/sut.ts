// Watches the system under test while another tool (wrk) loads it: peak RSS and CPU time, as JSON on SIGTERM.
//
//   bun bench/sut.ts --pids 123,456 --out sut.json &  …  kill -TERM $!

import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { coreTimes, cpuMs, cpuMsByThread, parsePids, rssKb } from "./procfs.ts";

const { values } = parseArgs({
  args: Bun.argv.slice(2),
  options: { pids: { type: "string" }, out: { type: "string" }, "sut-cpu": { type: "string" } },
});
const pids = parsePids(values.pids);
const started = performance.now();
const cpuStart = cpuMs(pids);
const threadsStart = cpuMsByThread(pids);
const core = values["sut-cpu"] === undefined ? -1 : Number(values["sut-cpu"]);
const coreStart = coreTimes(core);
const rssStartKb = rssKb(pids);
let rssPeakKb = rssStartKb;
const timer = setInterval(() => {
  rssPeakKb = Math.max(rssPeakKb, rssKb(pids));
}, 200);

function finish(): void {
  clearInterval(timer);
  const wallMs = performance.now() - started;
  const cpu = cpuMs(pids) - cpuStart;
  const coreEnd = coreTimes(core);
  // Threads that exited meanwhile are not counted here (cpuMs above, from the processes, counts them).
  const threadsEnd = cpuMsByThread(pids);
  const cpuByThreadMs = Object.fromEntries(
    Object.entries(threadsEnd)
      .map(([name, ms]) => [name, Math.round(ms - (threadsStart[name] ?? 0))] as const)
      .filter(([, ms]) => ms > 0),
  );
  const result = {
    pids,
    rssStartKb,
    rssPeakKb: Math.max(rssPeakKb, rssKb(pids)),
    rssEndKb: rssKb(pids),
    cpuMs: Math.round(cpu),
    cpuByThreadMs,
    cpuShare: Math.round((cpu / Math.max(1, wallMs)) * 100) / 100,
    // Whatever else ran on the system under test's core (other people's jobs, the host taking the vCPU).
    otherOnSutCore:
      core < 0
        ? null
        : Math.round((Math.max(0, coreEnd.busyMs - coreStart.busyMs - cpu) / wallMs) * 100) / 100,
    stealMs: Math.round(coreEnd.stealMs - coreStart.stealMs),
  };
  const json = `${JSON.stringify(result)}\n`;
  if (values.out) writeFileSync(values.out, json);
  else process.stdout.write(json);
  process.exit(0);
}
process.on("SIGTERM", finish);
process.on("SIGINT", finish);
