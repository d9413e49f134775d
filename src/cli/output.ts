// Terminal output helpers: aligned tables for people, JSON for scripts.
export type Cell = string | number | boolean | null | undefined | Date;

function show(v: Cell): string {
  if (v === null || v === undefined) return "—";
  if (v instanceof Date)
    return v
      .toISOString()
      .replace("T", " ")
      .replace(/\.\d+Z$/, "Z");
  return String(v);
}

export function table(headers: string[], rows: Cell[][]): string {
  const text = rows.map((r) => r.map(show));
  const widths = headers.map((h, i) => Math.max(h.length, ...text.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  const out = [line(headers.map((h) => h.toUpperCase())), ...text.map(line)];
  if (rows.length === 0) out.push("(none)");
  return out.join("\n");
}

export function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

export function dollarsFromMicros(micros: number): string {
  return `$${(micros / 1_000_000).toFixed(micros !== 0 && Math.abs(micros) < 10_000 ? 4 : 2)}`;
}

export function dollarsFromCents(cents: number | null): string {
  return cents === null ? "unlimited" : `$${(cents / 100).toFixed(2)}`;
}

export function percent(fraction: number | null): string {
  return fraction === null ? "—" : `${(fraction * 100).toFixed(1)}%`;
}
