// The `snodus` command line: dispatches to a command, turns known failures into one-line reasons.

import { withDotenv } from "../config/dotenv.ts";
import { ConfigError, type Env, loadConfig } from "../config/env.ts";
import { createLogger } from "../log.ts";
import { PlanLimitError } from "../modules/plans/caps.ts";
import { ValidationError } from "../modules/users/service.ts";
import { type Store, StoreConflictError, StoreNotFoundError } from "../store/types.ts";
import { VERSION } from "../version.ts";
import { type CliContext, CliError, type Command, commandHelp, parseFlags } from "./command.ts";
import { initCommand } from "./commands/init.ts";
import { keysCommands } from "./commands/keys.ts";
import { reportCommands } from "./commands/reports.ts";
import { serveCommand } from "./commands/serve.ts";
import { teamsCommands } from "./commands/teams.ts";
import { usersCommands } from "./commands/users.ts";
import { openCliStore } from "./open-store.ts";

export const COMMANDS: Command[] = [
  serveCommand,
  initCommand,
  ...reportCommands,
  ...teamsCommands,
  ...usersCommands,
  ...keysCommands,
];

export function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `Snodus ${VERSION} — one endpoint in front of Anthropic, OpenAI and Ollama`,
    "",
    "Usage: snodus <command> [flags]",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Every command takes --help. Configuration comes from environment variables (and ./.env);",
    "DATABASE_URL picks the store (default: ./snodus.db).",
  ].join("\n");
}

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: Env;
  now?: () => number;
}

/** Runs the CLI and returns the exit code (0 ok, 1 command failed, 2 bad configuration). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
    io.out(usage());
    return 0;
  }
  if (argv[0] === "--version" || argv[0] === "-v") {
    io.out(VERSION);
    return 0;
  }
  const match = findCommand(argv);
  if (!match) {
    const group = COMMANDS.filter((c) => c.name.startsWith(`${argv[0]} `));
    if (group.length && (argv.length === 1 || argv[1]?.startsWith("-"))) {
      io.out([`snodus ${argv[0]} subcommands:`, ...group.map((c) => `  ${c.name}  ${c.summary}`)].join("\n"));
      return argv.includes("--help") ? 0 : 1;
    }
    io.err(
      `error: unknown command "${argv
        .filter((a) => !a.startsWith("-"))
        .slice(0, 2)
        .join(" ")}" (see snodus --help)`,
    );
    return 1;
  }
  const { command, rest } = match;
  let store: Store | null = null;
  try {
    const flags = parseFlags(command, rest);
    if (flags.help) {
      io.out(commandHelp(command));
      return 0;
    }
    const env = withDotenv(io.env);
    const config = loadConfig(env);
    const log = createLogger(config.logLevel, io.err, config.logFormat);
    const ctx: CliContext = {
      config,
      log,
      store: async () => {
        store ??= await openCliStore(config.database, Boolean(env.DATABASE_URL?.trim()), io.err);
        return store;
      },
      print: io.out,
      json: flags.json === true,
      now: io.now ?? Date.now,
    };
    return (await command.run(ctx, flags)) ?? 0;
  } catch (err) {
    return reportError(err, io);
  } finally {
    // serve owns its store; everything else closes what it opened.
    if (store && command !== serveCommand) await (store as Store).close();
  }
}

function findCommand(argv: string[]): { command: Command; rest: string[] } | null {
  const two = `${argv[0]} ${argv[1] ?? ""}`;
  const byTwo = COMMANDS.find((c) => c.name === two);
  if (byTwo) return { command: byTwo, rest: argv.slice(2) };
  const byOne = COMMANDS.find((c) => c.name === argv[0]);
  return byOne ? { command: byOne, rest: argv.slice(1) } : null;
}

function reportError(err: unknown, io: CliIo): number {
  if (err instanceof ConfigError) {
    for (const p of err.problems) io.err(`config error: ${p}`);
    return 2;
  }
  if (err instanceof CliError) {
    io.err(`error: ${err.message}`);
    return err.exitCode;
  }
  if (err instanceof StoreNotFoundError) {
    io.err(`error: no ${err.entity} with id ${err.id}`);
    return 1;
  }
  if (err instanceof StoreConflictError) {
    io.err(`error: a record with this ${err.field.replace("key_hash", "key")} already exists`);
    return 1;
  }
  if (err instanceof ValidationError || err instanceof PlanLimitError) {
    io.err(`error: ${err.message}`);
    return 1;
  }
  const message = err instanceof Error ? err.message : String(err);
  io.err(`error: ${message.split("\n")[0]}`);
  return 1;
}
