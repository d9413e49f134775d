// Token counts: a real BPE count, exact for short text, extrapolated for the router past a prefix.
import { expect, test } from "bun:test";
import { countTokens, EXACT_PREFIX_CHARS, routingTokens } from "./tokens.ts";

test("counts are the tokenizer's, not characters / 4", () => {
  expect(countTokens("")).toBe(0);
  expect(countTokens("hello world")).toBe(2);
  // Code and non-Latin text are where characters / 4 goes wrong.
  const chinese = "我们需要在三个地区部署网关并在全球范围内执行预算";
  expect(countTokens(chinese)).toBeGreaterThan(Math.ceil(chinese.length / 4) * 2);
});

test("text that looks like a special token is counted as plain text instead of throwing", () => {
  expect(countTokens("<|endoftext|>")).toBeGreaterThan(1);
});

test("routing counts are exact up to the prefix and close beyond it", () => {
  const short = "Prove that every planar graph is 5-colorable.";
  expect(routingTokens(short)).toBe(countTokens(short));
  const long = "The committee met on Tuesday to review the quarterly plan and the budget. ".repeat(200);
  expect(long.length).toBeGreaterThan(EXACT_PREFIX_CHARS * 10);
  const exact = countTokens(long);
  expect(Math.abs(routingTokens(long) - exact) / exact).toBeLessThan(0.05);
});

test("loading the router does not load the encoder's rank tables; the first count does", () => {
  // A fresh process: this test file's own counts have loaded the encoder already.
  const script = `
    await import("./src/modules/router/index.ts");
    const loaded = () => Object.keys(require.cache).some((k) => k.includes("gpt-tokenizer"));
    const before = loaded();
    (await import("./src/modules/router/tokens.ts")).countTokens("hi");
    console.log(JSON.stringify([before, loaded()]));`;
  const run = Bun.spawnSync([process.execPath, "-e", script], { cwd: `${import.meta.dir}/../../..` });
  expect(run.stdout.toString().trim()).toBe("[false,true]");
});
