// A leveled one-line logger on stderr, as key=value text or one JSON object per line; callers pass
// fields, never secrets (Secret prints as [redacted] in both).
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

export type LogFormat = "text" | "json";

/** Field names a JSON log reader expects (`request_id` for correlation), from the callers' camelCase. */
const JSON_NAMES: Record<string, string> = { requestId: "request_id" };

/**
 * `{"time","level","msg",…fields}`; an Error becomes its message (and name), as in text. Keys the line
 * itself uses win over a field of the same name.
 */
function formatJson(level: Level, msg: string, fields?: Record<string, unknown>): string {
  const out: Record<string, unknown> = {};
  if (fields) {
    for (const [k, v] of Object.entries(fields)) {
      if (v === undefined) continue;
      out[JSON_NAMES[k] ?? k] = v instanceof Error ? { name: v.name, message: v.message } : v;
    }
  }
  out.time = new Date().toISOString();
  out.level = level;
  out.msg = msg;
  try {
    return JSON.stringify(out);
  } catch {
    // A field that cannot be serialised (a cycle, a BigInt) must not lose the line.
    return JSON.stringify({ time: out.time, level, msg, fields_error: "unserialisable fields" });
  }
}

export function createLogger(
  minLevel: Level = "info",
  write: (line: string) => void = (l) => console.error(l),
  logFormat: LogFormat = "text",
): Logger {
  const render = logFormat === "json" ? formatJson : format;
  const at = (level: Level) => (msg: string, fields?: Record<string, unknown>) => {
    if (RANK[level] >= RANK[minLevel]) write(render(level, msg, fields));
  };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

export const silentLogger: Logger = createLogger("error", () => {});
