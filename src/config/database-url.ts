// Parses DATABASE_URL into a store location: a SQLite file (the default) or a Postgres URL.
export type StoreLocation = { kind: "sqlite"; path: string } | { kind: "postgres"; url: string };

export const DEFAULT_SQLITE_PATH = "snodus.db";

/** Accepts `postgres://…`, `postgresql://…`, `sqlite:path`, `sqlite://path`, `file:path` or a bare path. */
export function parseDatabaseUrl(raw: string | undefined): StoreLocation {
  const value = raw?.trim() ?? "";
  if (value === "") return { kind: "sqlite", path: DEFAULT_SQLITE_PATH };
  if (/^postgres(ql)?:\/\//i.test(value)) {
    try {
      new URL(value);
    } catch {
      throw new Error("DATABASE_URL is not a valid postgres:// URL");
    }
    return { kind: "postgres", url: value };
  }
  const prefixed = /^(sqlite|file):(\/\/)?(.*)$/i.exec(value);
  if (prefixed) {
    const path = prefixed[3] ?? "";
    if (path === "") throw new Error("DATABASE_URL names no SQLite file after the sqlite: prefix");
    return { kind: "sqlite", path };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    throw new Error("DATABASE_URL must start with sqlite: / file path or postgres://");
  }
  return { kind: "sqlite", path: value };
}
