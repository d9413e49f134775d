// The spend log as RFC 4180 CSV, streamed in keyset chunks so memory stays flat however many rows match.
import type { SpendRow, Store } from "../../store/types.ts";
import type { CsvPage, CsvPageJob, ReportLane } from "./jobs.ts";
import { spendView } from "./service.ts";

/**
 * Rows per chunk. A chunk is read and formatted in the store's report lane (jobs.ts), so the event loop
 * only passes its bytes on; its size bounds the memory an export holds (~300 bytes a row).
 */
export const EXPORT_CHUNK = 2000;

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
 * Names beside the ids (for chargeback sheets), looked up once per key and export: one query per chunk
 * for the keys the export has not seen yet. Bounded by the number of keys, not of rows; an export whose
 * client went away is forgotten after LABELS_IDLE_MS.
 */
const labelsByExport = new Map<string, { known: Map<string, Labels>; usedAt: number }>();
const LABELS_IDLE_MS = 60_000;

async function labelsFor(store: Store, exportId: string, rows: SpendRow[]) {
  const now = Date.now();
  for (const [id, entry] of labelsByExport)
    if (now - entry.usedAt > LABELS_IDLE_MS) labelsByExport.delete(id);
  const entry = labelsByExport.get(exportId) ?? { known: new Map<string, Labels>(), usedAt: now };
  entry.usedAt = now;
  labelsByExport.set(exportId, entry);
  const { known } = entry;
  const missing = [...new Set(rows.map((r) => r.apiKeyId))].filter((id) => !known.has(id));
  if (missing.length)
    for (const { key, user, team } of await store.keys.identitiesByIds(missing))
      known.set(key.id, { team_name: team.name, user_email: user.email, key_name: key.name });
  return (row: SpendRow): Labels =>
    known.get(row.apiKeyId) ?? { team_name: null, user_email: null, key_name: null };
}

const encoder = new TextEncoder();

/** One chunk of an export as CSV lines (the report lane runs this). */
export async function csvPage(store: Store, job: CsvPageJob): Promise<CsvPage> {
  const page = await store.spend.scan(job.filter, { after: job.after, limit: job.limit, order: "asc" });
  let text = "";
  if (page.rows.length) {
    const label = await labelsFor(store, job.exportId, page.rows);
    for (const row of page.rows) {
      const view = { ...spendView(row), ...label(row) };
      // Tags are one field, separated by spaces (commas would need quoting in every row).
      text += csvLine(CSV_COLUMNS.map((c) => (c === "tags" ? view.tags.join(" ") : view[c])));
    }
  }
  if (!page.next) labelsByExport.delete(job.exportId);
  return { bytes: encoder.encode(text), next: page.next };
}

/**
 * A pull-driven stream: the next chunk is asked of the report lane only when the client has taken the
 * last one, so a slow reader holds back the query instead of piling rows up in memory.
 */
export function spendCsvStream(
  lane: ReportLane,
  filter: CsvPageJob["filter"],
  chunk = EXPORT_CHUNK,
): ReadableStream<Uint8Array> {
  const exportId = crypto.randomUUID();
  let after: CsvPageJob["after"] = null;
  let started = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!started) {
          started = true;
          controller.enqueue(encoder.encode(csvLine([...CSV_COLUMNS])));
          return;
        }
        const page = await lane.csvPage({ exportId, filter, after, limit: chunk });
        if (page.bytes.byteLength) controller.enqueue(page.bytes);
        after = page.next;
        if (!after) controller.close();
      },
    },
    // One chunk buffered ahead at most.
    { highWaterMark: 1 },
  );
}
