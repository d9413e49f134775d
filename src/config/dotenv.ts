// Loads KEY=VALUE lines from ./.env without overriding variables already set in the environment.
import { existsSync, readFileSync } from "node:fs";
import type { Env } from "./env.ts";

export function withDotenv(env: Env, path = ".env"): Env {
  if (!existsSync(path)) return env;
  const merged: Env = { ...env };
  for (const line of readFileSync(path, "utf8").split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m?.[1] || line.trimStart().startsWith("#")) continue;
    let value = m[2] ?? "";
    const quoted = /^(['"])(.*)\1$/.exec(value);
    if (quoted) value = quoted[2] ?? "";
    else value = value.replace(/\s+#.*$/, "");
    if (merged[m[1]] === undefined) merged[m[1]] = value;
  }
  return merged;
}
