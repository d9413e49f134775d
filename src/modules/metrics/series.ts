// Hot-path counters and histograms: plain Maps updated in tens of nanoseconds, rendered in the text format at scrape time.
//
// prom-client validates and hashes its label object on every inc/observe (about 1 µs per call here,
// 9 calls per request: bench/metrics.ts); these keep one entry per label set under a string key the
// caller already has, and leave the formatting to the scrape.

const escapeLabel = (v: string) => v.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n");

function labelText(names: readonly string[], values: readonly string[], extra = ""): string {
  const parts = names.map((n, i) => `${n}="${escapeLabel(values[i] ?? "")}"`);
  if (extra) parts.push(extra);
  return parts.length ? `{${parts.join(",")}}` : "";
}

function header(name: string, help: string, type: string): string {
  return `# HELP ${name} ${help.replaceAll("\\", "\\\\").replaceAll("\n", "\\n")}\n# TYPE ${name} ${type}\n`;
}

export class CounterSeries {
  readonly #values = new Map<string, { labels: string[]; value: number }>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
  ) {}

  inc(labels: string[], by = 1): void {
    const key = labels.join("\u0000");
    const entry = this.#values.get(key);
    if (entry) entry.value += by;
    else this.#values.set(key, { labels, value: by });
  }

  render(): string {
    let out = header(this.name, this.help, "counter");
    for (const { labels, value } of this.#values.values())
      out += `${this.name}${labelText(this.labelNames, labels)} ${value}\n`;
    return out;
  }
}

export class HistogramSeries {
  readonly #values = new Map<string, { labels: string[]; counts: number[]; sum: number; count: number }>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
    /** Upper bounds, ascending; +Inf is implied. */
    readonly buckets: readonly number[],
  ) {}

  observe(labels: string[], value: number): void {
    const key = labels.join("\u0000");
    let entry = this.#values.get(key);
    if (!entry) {
      entry = { labels, counts: new Array(this.buckets.length).fill(0), sum: 0, count: 0 };
      this.#values.set(key, entry);
    }
    // Non-cumulative here; the scrape adds them up as the format wants.
    let i = 0;
    while (i < this.buckets.length && value > (this.buckets[i] as number)) i++;
    if (i < this.buckets.length) entry.counts[i] = (entry.counts[i] ?? 0) + 1;
    entry.sum += value;
    entry.count++;
  }

  render(): string {
    let out = header(this.name, this.help, "histogram");
    for (const { labels, counts, sum, count } of this.#values.values()) {
      let cumulative = 0;
      for (let i = 0; i < this.buckets.length; i++) {
        cumulative += counts[i] ?? 0;
        out += `${this.name}_bucket${labelText(this.labelNames, labels, `le="${this.buckets[i]}"`)} ${cumulative}\n`;
      }
      out += `${this.name}_bucket${labelText(this.labelNames, labels, 'le="+Inf"')} ${count}\n`;
      out += `${this.name}_sum${labelText(this.labelNames, labels)} ${sum}\n`;
      out += `${this.name}_count${labelText(this.labelNames, labels)} ${count}\n`;
    }
    return out;
  }
}
