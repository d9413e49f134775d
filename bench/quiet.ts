// Waits until the machine is quiet (other people's jobs share it): both cores almost idle for one second.
//
//   bun bench/quiet.ts [--max-wait 30] [--threshold 0.15]   → prints the seconds waited

import { parseArgs } from "node:util";
import { coreTimes } from "./procfs.ts";

const { values } = parseArgs({
  args: Bun.argv.slice(2),
  options: { "max-wait": { type: "string", default: "30" }, threshold: { type: "string", default: "0.15" } },
});
const maxWaitMs = Number(values["max-wait"]) * 1000;
const threshold = Number(values.threshold);
const cores = navigator.hardwareConcurrency;
const busy = () => {
  let ms = 0;
  for (let c = 0; c < cores; c++) ms += coreTimes(c).busyMs;
  return ms;
};

const started = performance.now();
let quietSince = -1;
let last = busy();
while (performance.now() - started < maxWaitMs) {
  await Bun.sleep(250);
  const now = busy();
  const load = (now - last) / 250; // cores busy over the last 250 ms (10 ms tick resolution)
  last = now;
  if (load <= threshold) {
    if (quietSince < 0) quietSince = performance.now();
    if (performance.now() - quietSince >= 1000) break;
  } else quietSince = -1;
}
console.log(((performance.now() - started) / 1000).toFixed(1));
