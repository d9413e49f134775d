// Opens the store for a CLI command, with errors a person can act on instead of a driver's query text.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { StoreLocation } from "../config/database-url.ts";
import { openStore } from "../store/open.ts";
import type { Store } from "../store/types.ts";
import { CliError } from "./command.ts";

/** Driver error codes that mean "the server is not there", not "the query was wrong". */
const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ETIMEDOUT",
  "ECONNRESET",
  "EAI_AGAIN",
]);

function causeCode(err: unknown): { code?: string; message?: string } {
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    const c = e as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof c.code === "string") return { code: c.code, message: String(c.message ?? "") };
    e = c.cause;
  }
  return {};
}

/** host:port of a Postgres URL, never its user or password. */
function where(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || "5432"}${u.pathname}`;
  } catch {
    return "the configured server";
  }
}

export async function openCliStore(
  location: StoreLocation,
  databaseUrlSet: boolean,
  note: (line: string) => void,
): Promise<Store> {
  if (location.kind === "sqlite" && !databaseUrlSet && !existsSync(location.path))
    note(
      `note: DATABASE_URL is not set and ${resolve(location.path)} does not exist: creating a new, empty ` +
        "SQLite database there (set DATABASE_URL to use an existing one)",
    );
  try {
    // A command has no event loop to protect: its queries run inline, without worker start-up.
    return await openStore(location, { inline: true });
  } catch (err) {
    const { code, message } = causeCode(err);
    if (location.kind === "postgres") {
      if (code && UNREACHABLE.has(code))
        throw new CliError(`cannot reach Postgres at ${where(location.url)} (DATABASE_URL): ${code}`);
      if (code === "28P01" || code === "28000")
        throw new CliError(`Postgres at ${where(location.url)} refused the credentials in DATABASE_URL`);
      if (code === "3D000")
        throw new CliError(
          `Postgres at ${where(location.url)} has no such database (DATABASE_URL): ${message}`,
        );
    }
    if (location.kind === "sqlite" && code?.startsWith("SQLITE_"))
      throw new CliError(`cannot open the SQLite database ${resolve(location.path)}: ${message || code}`);
    throw err;
  }
}
