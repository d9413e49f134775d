// Readable numbers for people: money from micro-dollars, thousands separators, relative times.

const MICROS_PER_DOLLAR = 1_000_000;

const usd = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });
const usdFine = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  minimumFractionDigits: 2,
  maximumFractionDigits: 4,
});
const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });
const percent = new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 0 });

/** Money in µ$ as dollars; amounts under a dollar keep up to four decimals so a request's cost stays visible. */
export function money(micros: number): string {
  const dollars = micros / MICROS_PER_DOLLAR;
  if (dollars !== 0 && Math.abs(dollars) < 1) return usdFine.format(dollars);
  return usd.format(dollars);
}

/** Budgets are configured in cents; null means no budget. */
export function cents(value: number | null): string {
  return value === null ? "No budget" : usd.format(value / 100);
}

export const int = (n: number): string => integer.format(n);

/** 1.2M, 35K: for axes and dense tables where the exact figure is a hover away. */
export const short = (n: number): string => compact.format(n);

export const pct = (fraction: number): string => percent.format(fraction);

/** "1 key", "3 keys", "unlimited keys". */
export const count = (n: number | null, noun: string, plural = `${noun}s`): string =>
  n === null ? `unlimited ${plural}` : `${integer.format(n)} ${n === 1 ? noun : plural}`;

export function duration(ms: number): string {
  if (ms < 1000) return `${integer.format(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

const relative = new Intl.RelativeTimeFormat("en-US", { numeric: "auto" });
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 86_400_000],
  ["month", 30 * 86_400_000],
  ["week", 7 * 86_400_000],
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
  ["second", 1000],
];

/** "3 minutes ago", "in 5 hours"; `now` is passed so a list re-renders consistently. */
export function ago(when: string | Date | null, now = Date.now()): string {
  if (when === null) return "never";
  const diff = new Date(when).getTime() - now;
  if (Math.abs(diff) < 5000) return "just now";
  for (const [unit, size] of UNITS) {
    if (Math.abs(diff) >= size || unit === "second") return relative.format(Math.round(diff / size), unit);
  }
  return "";
}

const dateTime = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "medium" });
const dateOnly = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" });
const dayShort = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" });

/** Full local timestamp, for tooltips next to relative times. */
export const stamp = (when: string | Date): string => dateTime.format(new Date(when));

/** A UTC calendar day ("2026-11-03") as "Nov 3, 2026"; days are UTC like the budgets. */
export const day = (isoDay: string): string => dateOnly.format(new Date(`${isoDay.slice(0, 10)}T00:00:00Z`));
export const dayAxis = (isoDay: string): string =>
  dayShort.format(new Date(`${isoDay.slice(0, 10)}T00:00:00Z`));

/** YYYY-MM-DD of a Date in UTC. */
export const isoDay = (d: Date): string => d.toISOString().slice(0, 10);
