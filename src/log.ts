// A leveled one-line logger on stderr; callers pass fields, never secrets (Secret prints as [redacted]).
export type Level = "debug" | "info" | "warn" | "error";
const RANK: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

function format(level: Level, msg: string, fields?: Record<string, unknown>): string {
  let line = `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${msg}`;
  if (fields) {
    for (const [k, v] of Object.entries(fields)) {
      if (v === undefined) continue;
      const text = v instanceof Error ? v.message : typeof v === "string" ? v : JSON.stringify(v);
      line += ` ${k}=${/\s/.test(text) ? JSON.stringify(text) : text}`;
    }
  }
  return line;
}

export function createLogger(
  minLevel: Level = "info",
  write: (line: string) => void = (l) => console.error(l),
): Logger {
  const at = (level: Level) => (msg: string, fields?: Record<string, unknown>) => {
    if (RANK[level] >= RANK[minLevel]) write(format(level, msg, fields));
  };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

export const silentLogger: Logger = createLogger("error", () => {});
