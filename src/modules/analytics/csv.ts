// The spend log as RFC 4180 CSV, streamed in keyset chunks so memory stays flat however many rows match.
import type { SpendCursor, SpendFilter, SpendRow, Store } from "../../store/types.ts";
import { spendView } from "./service.ts";

/**
 * Rows per store query. Each chunk is turned into CSV on the event loop that serves /v1, so its size is
 * the longest stall an export causes: at 2,000 rows a month's export took a proxy p99 of 2.9 ms to
 * 13.3 ms (bench/admin-contention.ts, SQLite, 1M rows); at 500, 7.2 ms, for an export ~2× as long.
 */
export const EXPORT_CHUNK = 500;

export const CSV_COLUMNS = [
  "created_at",
  "id",
  "request_id",
  "team_id",
  "team_name",
  "user_id",
  "user_email",
  "api_key_id",
  "key_name",
  "model",
  "provider",
  "input_tokens",
  "output_tokens",
  "cache_creation_input_tokens",
  "cache_read_input_tokens",
  "cost_micros",
  "cost_cents",
  "duration_ms",
  "status",
  "stream",
  "routed_from",
  "routing_method",
  "routing_reason",
  "tags",
  "end_user",
] as const;

/**
 * One field per RFC 4180: quoted when it holds a comma, quote, CR or LF, quotes doubled. Text that a
 * spreadsheet would run as a formula (= + - @ at the start) gets a leading apostrophe, since model names
 * and routing reasons come from clients (OWASP "CSV injection"); numbers are written as they are.
 */
export function csvField(value: string | number | boolean | null): string {
  if (value === null) return "";
  if (typeof value !== "string") return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const csvLine = (fields: (string | number | boolean | null)[]) =>
  `${fields.map(csvField).join(",")}\r\n`;

interface Labels {
  team_name: string | null;
  user_email: string | null;
  key_name: string | null;
}

/**
 * Names beside the ids (for chargeback sheets), looked up once per key: one query per chunk for the keys
 * it has not seen yet. Held for the whole export, so bounded by the number of keys, not of rows.
 */
function labeller(store: Store) {
  const known = new Map<string, Labels>();
  return async (rows: SpendRow[]) => {
    const missing = [...new Set(rows.map((r) => r.apiKeyId))].filter((id) => !known.has(id));
    if (missing.length)
      for (const { key, user, team } of await store.keys.identitiesByIds(missing))
        known.set(key.id, { team_name: team.name, user_email: user.email, key_name: key.name });
    return (row: SpendRow): Labels =>
      known.get(row.apiKeyId) ?? { team_name: null, user_email: null, key_name: null };
  };
}

/**
 * A pull-driven stream: the next chunk is read from the store only when the client has taken the last
 * one, so a slow reader holds back the query instead of piling rows up in memory.
 */
export function spendCsvStream(
  store: Store,
  filter: SpendFilter,
  chunk = EXPORT_CHUNK,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let after: SpendCursor | null = null;
  let started = false;
  const labels = labeller(store);
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!started) {
          started = true;
          controller.enqueue(encoder.encode(csvLine([...CSV_COLUMNS])));
          return;
        }
        const page = await store.spend.scan(filter, { after, limit: chunk, order: "asc" });
        if (page.rows.length) {
          let text = "";
          const label = await labels(page.rows);
          for (const row of page.rows) {
            const view = { ...spendView(row), ...label(row) };
            // Tags are one field, separated by spaces (commas would need quoting in every row).
            text += csvLine(CSV_COLUMNS.map((c) => (c === "tags" ? view.tags.join(" ") : view[c])));
          }
          controller.enqueue(encoder.encode(text));
        }
        after = page.next;
        if (!after) controller.close();
      },
    },
    // One chunk buffered ahead at most.
    { highWaterMark: 1 },
  );
}
