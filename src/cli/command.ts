// The shape of a CLI command, its flag parsing, and the errors that end a command with a reason.
import { parseArgs } from "node:util";
import type { Config } from "../config/env.ts";
import type { Logger } from "../log.ts";
import type { Store } from "../store/types.ts";

export type FlagSpec = Record<
  string,
  { type: "string" | "boolean"; description: string; required?: boolean }
>;

export interface CliContext {
  config: Config;
  log: Logger;
  /** Opened on first use so `--help` never touches the database. */
  store(): Promise<Store>;
  print(text: string): void;
  json: boolean;
  now(): number;
}

export interface Command {
  /** e.g. "keys create" */
  name: string;
  summary: string;
  flags: FlagSpec;
  run(ctx: CliContext, flags: Record<string, string | boolean | undefined>): Promise<number | undefined>;
}

/** A user mistake: printed as one line `error: …`, exit code 1. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = "CliError";
  }
}

export const JSON_FLAG = { json: { type: "boolean", description: "print JSON for scripts" } } as const;

export function parseFlags(cmd: Command, argv: string[]): Record<string, string | boolean | undefined> {
  const options: Record<string, { type: "string" | "boolean" }> = { help: { type: "boolean" } };
  for (const [name, spec] of Object.entries(cmd.flags)) options[name] = { type: spec.type };
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: joinNegatives(cmd, argv),
      options,
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new CliError(`${(err as Error).message.split("\n")[0]} (see snodus ${cmd.name} --help)`);
  }
  if (values.help) return values;
  for (const [name, spec] of Object.entries(cmd.flags)) {
    if (spec.required && (values[name] === undefined || values[name] === "")) {
      throw new CliError(`missing --${name} (see snodus ${cmd.name} --help)`);
    }
  }
  return values;
}

/**
 * `--budget -5`: node's parser reads "-5" as an option and reports "argument is ambiguous". A value
 * that looks like a negative number after a string flag is joined to it (`--budget=-5`), so the flag's
 * own check can say what is wrong with it.
 */
function joinNegatives(cmd: Command, argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const next = argv[i + 1];
    const flag = arg.startsWith("--") ? cmd.flags[arg.slice(2)] : undefined;
    if (flag?.type === "string" && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

export function commandHelp(cmd: Command): string {
  const lines = [`snodus ${cmd.name} — ${cmd.summary}`, "", "Flags:"];
  const entries = Object.entries(cmd.flags);
  const width = Math.max(6, ...entries.map(([n, s]) => n.length + (s.type === "string" ? 8 : 0)));
  for (const [name, spec] of entries) {
    const left = spec.type === "string" ? `--${name} <value>` : `--${name}`;
    lines.push(`  ${left.padEnd(width + 4)}  ${spec.description}${spec.required ? " (required)" : ""}`);
  }
  lines.push(`  ${"--help".padEnd(width + 4)}  show this help`);
  return lines.join("\n");
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function uuidFlag(flags: Record<string, string | boolean | undefined>, name: string): string {
  const v = flags[name];
  if (typeof v !== "string" || !UUID.test(v))
    throw new CliError(`--${name} must be a UUID (got "${v ?? ""}")`);
  return v.toLowerCase();
}

/** Integer flag; `none`/`unlimited` map to null when allowed. */
export function intFlag(
  flags: Record<string, string | boolean | undefined>,
  name: string,
  opts: { min?: number; nullable?: boolean } = {},
): number | null | undefined {
  const v = flags[name];
  if (v === undefined || typeof v === "boolean") return undefined;
  if (opts.nullable && /^(none|unlimited)$/i.test(v)) return null;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < (opts.min ?? 0)) {
    const extra = opts.nullable ? ' or "none"' : "";
    throw new CliError(`--${name} must be an integer ≥ ${opts.min ?? 0}${extra} (got "${v}")`);
  }
  return n;
}

export function stringFlag(
  flags: Record<string, string | boolean | undefined>,
  name: string,
): string | undefined {
  const v = flags[name];
  return typeof v === "string" ? v.trim() : undefined;
}

/**
 * `--allowed-models claude-*,gpt-4o-mini`: exact names or prefixes ending in `*`; "all" lifts the
 * restriction, "none" allows nothing. Undefined when the flag is absent.
 */
export function modelsFlag(
  flags: Record<string, string | boolean | undefined>,
  name: string,
  parse: (text: string) => string[] | null,
): string[] | null | undefined {
  const v = flags[name];
  if (typeof v !== "string") return undefined;
  return parse(v);
}
