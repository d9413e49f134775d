// Tells, piece by piece and without parsing, when a streamed JSON object or array is complete.

/**
 * Tracks string/escape state and bracket depth over the characters fed so far. Used to know that a
 * streamed tool call's arguments are whole, so its block can close before the message ends.
 */
export class JsonCompletion {
  #depth = 0;
  #inString = false;
  #escaped = false;
  #complete = false;

  get complete(): boolean {
    return this.#complete;
  }

  feed(text: string): void {
    if (this.#complete) return;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.#inString) {
        if (this.#escaped) this.#escaped = false;
        else if (c === 0x5c) this.#escaped = true;
        else if (c === 0x22) this.#inString = false;
      } else if (c === 0x22) {
        this.#inString = true;
      } else if (c === 0x7b || c === 0x5b) {
        this.#depth++;
      } else if ((c === 0x7d || c === 0x5d) && this.#depth > 0 && --this.#depth === 0) {
        this.#complete = true;
        return;
      }
    }
  }
}
