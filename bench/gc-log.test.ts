// The GC log reader: collections per heap, pauses, and bytes freed.
import { expect, test } from "bun:test";
import { parseGcLog } from "./gc-log.ts";

test("collections are counted per heap, the busiest heap first, with their pauses", () => {
  const log = [
    "[GC<0xaa>: START M 34779kb => EdenCollection, a=0kb hf=0.000 … => 17234kb, p=1.5ms (max 9.0), cycle 1.57ms END]",
    "Requesting GC because bytes allocated this cycle: 8389402 exceed bytes allowed",
    "[GC<0xbb>: START M 9368kb => EdenCollection, a=0kb … => 4735kb, p=0.5ms (max 9.0), cycle 0.43ms END]",
    "[GC<0xaa>: START M 32884kb => FullCollection, a=0kb … => 17698kb, p=4.5ms (max 9.0), cycle 4.3ms END]",
  ].join("\n");
  const [main, worker] = parseGcLog(log);
  expect(main).toMatchObject({ heap: "0xaa", eden: 1, full: 1, freedKb: 17_545 + 15_186 });
  expect(main?.pauseMs).toMatchObject({ p50: 4.5, max: 4.5, total: 6 });
  expect(worker).toMatchObject({ heap: "0xbb", eden: 1, full: 0, freedKb: 4_633 });
});
