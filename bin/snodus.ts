#!/usr/bin/env bun
// Entry point of the `snodus` executable (also `bun bin/snodus.ts …` from source).
import { FETCH_LIMIT, FETCH_LIMIT_VAR, raiseFetchLimit } from "../src/cli/fetch-limit.ts";

const args = process.argv.slice(2);
// First, before the app is loaded: returns only if this process was not replaced by one with the
// higher upstream concurrency limit.
const notRaised = raiseFetchLimit(args, process.env);
if (notRaised)
  console.error(
    `warning: upstream requests are limited to 256 at a time (${notRaised}); set ${FETCH_LIMIT_VAR}=${FETCH_LIMIT} to lift it`,
  );

const { runCli } = await import("../src/cli/main.ts");
const code = await runCli(args, {
  out: (text) => console.log(text),
  err: (text) => console.error(text),
  env: process.env,
});
process.exit(code);
