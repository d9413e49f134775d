#!/usr/bin/env bun
// Entry point of the `snodus` executable (also `bun bin/snodus.ts …` from source).
import { runCli } from "../src/cli/main.ts";

const code = await runCli(process.argv.slice(2), {
  out: (text) => console.log(text),
  err: (text) => console.error(text),
  env: process.env,
});
process.exit(code);
