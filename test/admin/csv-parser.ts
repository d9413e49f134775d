// A small RFC 4180 parser for the tests, incremental so a large export can be checked chunk by chunk.

/** Feeds text in any chunking; calls `onRow` for each complete record. */
export class CsvParser {
  #field = "";
  #row: string[] = [];
  #quoted = false;
  /** Inside quotes, a quote may end the field or be the first of a doubled pair: decided by the next char. */
  #quotePending = false;
  #fieldStarted = false;

  constructor(private readonly onRow: (row: string[]) => void) {}

  push(text: string): void {
    for (let i = 0; i < text.length; i++) {
      const c = text[i] as string;
      if (this.#quotePending) {
        this.#quotePending = false;
        if (c === '"') {
          this.#field += '"';
          continue;
        }
        this.#quoted = false;
      }
      if (this.#quoted) {
        if (c === '"') this.#quotePending = true;
        else this.#field += c;
        continue;
      }
      if (c === '"' && !this.#fieldStarted) {
        this.#quoted = true;
        this.#fieldStarted = true;
      } else if (c === ",") this.#endField();
      else if (c === "\n") {
        // Records end with CRLF; the CR was held back as part of the field.
        if (!this.#field.endsWith("\r")) throw new Error("record not terminated by CRLF");
        this.#field = this.#field.slice(0, -1);
        this.#endField();
        this.onRow(this.#row);
        this.#row = [];
      } else {
        this.#field += c;
        this.#fieldStarted = true;
      }
    }
  }

  /** Throws if the input stopped in the middle of a record. */
  end(): void {
    if (this.#quoted || this.#row.length || this.#field) throw new Error("CSV ends mid-record");
  }

  #endField(): void {
    this.#row.push(this.#field);
    this.#field = "";
    this.#fieldStarted = false;
  }
}

export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  const parser = new CsvParser((r) => rows.push(r));
  parser.push(text);
  parser.end();
  return rows;
}
