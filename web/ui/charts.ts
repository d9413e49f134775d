// Dependency-free charts in HTML and CSS: columns over time (optionally stacked) and ranked bar lists.
// HTML rather than SVG keeps text crisp at every width and lets the colours follow the light/dark theme.
import { html } from "htm/preact";

export interface Segment {
  /** Series name, shown in the legend and tooltips. */
  name: string;
  value: number;
}

export interface Column {
  label: string;
  /** Short label under the column; columns without one stay unlabelled to avoid clutter. */
  axis?: string;
  segments: Segment[];
}

/** Rounds a maximum up to a readable gridline step (1, 2, 2.5, 5 × 10ⁿ). */
export function niceMax(max: number): number {
  if (max <= 0) return 1;
  const exp = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 2.5, 5, 10]) if (max <= step * exp) return step * exp;
  return 10 * exp;
}

export function Columns({
  columns,
  format,
  label,
  series,
  counts,
}: {
  columns: Column[];
  format: (n: number) => string;
  label: string;
  /** Series in stacking order; their index picks the colour. */
  series: string[];
  /** Whole numbers (requests): gridlines must fall on integers too. */
  counts?: boolean;
}) {
  const totals = columns.map((c) => c.segments.reduce((s, x) => s + x.value, 0));
  const max = niceMax(Math.max(0, ...totals));
  const top = counts ? Math.max(4, Math.ceil(max / 4) * 4) : max;
  const ticks = [1, 0.75, 0.5, 0.25, 0];
  // Label every n-th column so that about eight labels fit on a phone.
  const every = Math.max(1, Math.ceil(columns.length / 8));
  return html`<figure class="chart">
    <div class="columns" role="img" aria-label=${label}>
      <div class="y-axis" aria-hidden="true">
        <div class="y-inner">
          <span class="y-sizer">${format(top)}</span>
          ${ticks.map((t) => html`<span class="y-tick" style=${{ bottom: `${t * 100}%` }}>${format(top * t)}</span>`)}
        </div>
      </div>
      <div class="plot"><div class="bars">
        ${ticks.map((t) => html`<i class="grid" style=${{ bottom: `${t * 100}%` }}></i>`)}
        ${columns.map((c, i) => {
          const total = totals[i] ?? 0;
          const tip = [
            c.label,
            ...c.segments.filter((s) => s.value > 0).map((s) => `${s.name}: ${format(s.value)}`),
          ]
            .concat(series.length > 1 ? [`Total: ${format(total)}`] : [])
            .join("\n");
          return html`<div class="col" title=${tip}>
            <div class="stack" style=${{ height: `${(total / top) * 100}%` }}>
              ${c.segments.map((s) =>
                s.value > 0
                  ? html`<span class=${`seg c${series.indexOf(s.name) % 8}`} style=${{ flexGrow: s.value }}></span>`
                  : null,
              )}
            </div>
            <span class="x" aria-hidden="true">${i % every === 0 ? (c.axis ?? "") : ""}</span>
          </div>`;
        })}
      </div></div>
    </div>
    ${series.length > 1 ? html`<${Legend} series=${series} />` : null}
    <${DataTable} columns=${columns} series=${series} format=${format} label=${label} />
  </figure>`;
}

export function Legend({ series }: { series: string[] }) {
  return html`<ul class="legend">
    ${series.map((s, i) => html`<li><i class=${`swatch c${i % 8}`} aria-hidden="true"></i>${s}</li>`)}
  </ul>`;
}

/** The same figures as a table, one click away, for keyboards and screen readers. */
function DataTable({
  columns,
  series,
  format,
  label,
}: {
  columns: Column[];
  series: string[];
  format: (n: number) => string;
  label: string;
}) {
  return html`<details class="data-table">
    <summary>Show data</summary>
    <div class="table-wrap">
      <table>
        <caption class="sr-only">${label}</caption>
        <thead>
          <tr><th scope="col"></th>${series.map((s) => html`<th scope="col" class="num">${s}</th>`)}</tr>
        </thead>
        <tbody>
          ${columns.map(
            (c) => html`<tr>
              <th scope="row">${c.label}</th>
              ${series.map((s) => html`<td class="num">${format(c.segments.find((x) => x.name === s)?.value ?? 0)}</td>`)}
            </tr>`,
          )}
        </tbody>
      </table>
    </div>
  </details>`;
}

export interface BarRow {
  label: string;
  /** Secondary text under the label (e.g. the team or the request count). */
  sub?: string;
  value: number;
}

/** A ranked list with proportional bars: top models, users, keys. */
export function BarList({
  rows,
  format,
  label,
}: {
  rows: BarRow[];
  format: (n: number) => string;
  label: string;
}) {
  const max = Math.max(0, ...rows.map((r) => r.value)) || 1;
  return html`<ol class="bar-list" aria-label=${label}>
    ${rows.map(
      (r) => html`<li>
        <div class="bar-text">
          <span class="bar-label" title=${r.label}>${r.label}</span>
          <span class="bar-value">${format(r.value)}</span>
        </div>
        ${r.sub ? html`<div class="bar-sub">${r.sub}</div>` : null}
        <div class="bar-track" aria-hidden="true"><span style=${{ width: `${(r.value / max) * 100}%` }}></span></div>
      </li>`,
    )}
  </ol>`;
}
