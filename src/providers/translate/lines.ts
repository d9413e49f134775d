// Splits a byte stream into text lines (LF, CRLF or CR), whatever the chunk boundaries, for SSE and NDJSON.

/**
 * Decodes incrementally, so a UTF-8 character or a CRLF cut in two by the network is reassembled.
 * Only the unterminated tail of the last chunk is kept between calls.
 */
export class LineSplitter {
  #decoder = new TextDecoder();
  #rest = "";
  /** The previous chunk ended in CR: a LF opening the next one completes that line break. */
  #afterCR = false;

  /** Calls `onLine` for every line the chunk completes, without its terminator. */
  push(chunk: Uint8Array, onLine: (line: string) => void): void {
    const text = this.#decoder.decode(chunk, { stream: true });
    const n = text.length;
    let start = 0;
    if (this.#afterCR && n > 0) {
      this.#afterCR = false;
      if (text.charCodeAt(0) === 10) start = 1;
    }
    let lf = text.indexOf("\n", start);
    let cr = text.indexOf("\r", start);
    while (lf !== -1 || cr !== -1) {
      const end = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
      const piece = text.slice(start, end);
      const line = this.#rest === "" ? piece : this.#rest + piece;
      this.#rest = "";
      start = end + 1;
      if (end === cr) {
        if (start === n) this.#afterCR = true;
        else if (text.charCodeAt(start) === 10) start++;
      }
      onLine(line);
      if (lf !== -1 && lf < start) lf = text.indexOf("\n", start);
      if (cr !== -1 && cr < start) cr = text.indexOf("\r", start);
    }
    if (start < n) this.#rest += text.slice(start);
  }

  /** The stream ended: hands over a last line that had no terminator. */
  end(onLine: (line: string) => void): void {
    const tail = this.#rest + this.#decoder.decode();
    this.#rest = "";
    this.#afterCR = false;
    if (tail !== "") onLine(tail);
  }
}

/**
 * Server-sent events on top of lines: `data:` fields accumulate until a blank line dispatches them.
 * Comments (keep-alives) and other fields are skipped; event names are not needed by our callers.
 */
export class SseDataReader {
  #lines = new LineSplitter();
  #data: string | null = null;
  #onLine = (line: string): void => this.#line(line);
  #onData: (data: string) => void = () => {};

  push(chunk: Uint8Array, onData: (data: string) => void): void {
    this.#onData = onData;
    this.#lines.push(chunk, this.#onLine);
  }

  /** The stream ended: dispatches an event that lacked its closing blank line. */
  end(onData: (data: string) => void): void {
    this.#onData = onData;
    this.#lines.end(this.#onLine);
    this.#dispatch();
  }

  #line(line: string): void {
    if (line === "") {
      this.#dispatch();
      return;
    }
    if (!line.startsWith("data:")) return;
    const value = line.charCodeAt(5) === 32 ? line.slice(6) : line.slice(5);
    this.#data = this.#data === null ? value : `${this.#data}\n${value}`;
  }

  #dispatch(): void {
    const data = this.#data;
    this.#data = null;
    if (data !== null) this.#onData(data);
  }
}
