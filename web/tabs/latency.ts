// Latency & errors: p50/p95/p99 and error rates per model or provider over the range, and over time.
import { html } from "htm/preact";
import { get } from "../api.ts";
import { dayAxis, day as dayLong, duration, int, pct } from "../format.ts";
import { setParams } from "../route.ts";
import type { LatencyFigures, LatencyReport } from "../types.ts";
import { type Column, Columns } from "../ui/charts.ts";
import { useResource } from "../ui/resource.ts";
import { daysOf, RangePicker, rangeOf, Section, type TabProps, TeamPicker } from "./common.ts";
import { Load } from "./spend.ts";

const HOUR_MS = 3_600_000;
/** Up to two days are drawn per hour; longer ranges per day. */
const HOURLY_DAYS = 2;

const ms = (v: number | null) => (v === null ? "—" : duration(v));
const hourAxis = (iso: string) => `${iso.slice(11, 13)}:00`;

export function LatencyTab({ principal, params }: TabProps) {
  const range = rangeOf(params);
  const teamId = principal.kind === "team" ? principal.team.id : (params.get("team") ?? "");
  const group = params.get("group") === "provider" ? "provider" : "model";
  const bucket = daysOf(range).length <= HOURLY_DAYS ? "hour" : "day";
  const query = { from: range.from, to: range.to, team_id: teamId || undefined, bucket, group };
  const key = JSON.stringify(query);
  const report = useResource(`latency${key}`, (s) =>
    get<LatencyReport>("/admin/analytics/latency", query, s),
  );
  const noun = group === "model" ? "model" : "provider";

  return html`<div class="tab">
    <div class="toolbar">
      <h1>Latency & errors</h1>
      <div class="toolbar-controls">
        <${TeamPicker} tab="latency" principal=${principal} teamId=${teamId} />
        <div class="segmented" role="group" aria-label="Group by">
          ${(["model", "provider"] as const).map(
            (g) => html`<button
              type="button"
              aria-pressed=${group === g}
              onClick=${() => setParams("latency", { group: g === "model" ? null : g, focus: null })}
            >Per ${g}</button>`,
          )}
        </div>
        <${RangePicker} tab="latency" range=${range} />
      </div>
    </div>
    <${Load} res=${report} empty=${(d: LatencyReport) => d.totals.length === 0} emptyText="No requests in this range.">
      ${(d: LatencyReport) => html`<${Figures} report=${d} noun=${noun} focus=${params.get("focus")} />`}
    <//>
  </div>`;
}

function Figures({ report, noun, focus }: { report: LatencyReport; noun: string; focus: string | null }) {
  const focused = report.totals.find((t) => t.group === focus) ?? report.totals[0];
  const name = focused?.group ?? "";
  return html`
    <${Section} title=${`Per ${noun}`} id="latency-table">
      <div class="table-wrap">
        <table class="data cards" data-testid="latency-table">
          <thead><tr>
            <th scope="col">${noun === "model" ? "Model" : "Provider"}</th>
            <th scope="col" class="num">Requests</th>
            <th scope="col" class="num">p50</th>
            <th scope="col" class="num">p95</th>
            <th scope="col" class="num">p99</th>
            <th scope="col" class="num">Error rate</th>
            <th scope="col" class="num" title="Status 400–498">4xx</th>
            <th scope="col" class="num" title="The client left before the answer ended">Client left</th>
            <th scope="col" class="num" title="Status 500 and above">5xx</th>
          </tr></thead>
          <tbody>
            ${report.totals.map(
              (t) => html`<tr>
                <td><button type="button" class="link" aria-pressed=${t.group === name} onClick=${() => setParams("latency", { focus: t.group })}><code>${t.group}</code></button></td>
                <td data-label="Requests" class="num">${int(t.requests)}</td>
                <td data-label="p50" class="num">${ms(t.p50_ms)}</td>
                <td data-label="p95" class="num">${ms(t.p95_ms)}</td>
                <td data-label="p99" class="num">${ms(t.p99_ms)}</td>
                <td data-label="Error rate" class="num">${errorRate(t)}</td>
                <td data-label="4xx" class="num">${int(t.errors_4xx)}</td>
                <td data-label="Client left" class="num">${int(t.client_closed)}</td>
                <td data-label="5xx" class="num">${int(t.errors_5xx)}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
      <p class="muted small">
        Percentiles are read from fixed duration buckets: within ${pct(report.resolution)} of the exact value
        (exact below 16 ms). Error rate counts every status of 400 and above, clients that left included.
      </p>
    <//>
    <div class="grid-2">
      <${Section} title=${`p95 over time · ${name}`} id="latency-chart">
        <${Columns}
          label=${`95th percentile duration of ${name} per ${report.bucket}`}
          series=${["p95"]}
          format=${(v: number) => duration(Math.round(v))}
          columns=${periods(report, name, (p) => (p ? [{ name: "p95", value: p.p95_ms ?? 0 }] : []))}
        />
      <//>
      <${Section} title=${`Errors over time · ${name}`} id="errors-chart">
        <${Columns}
          counts
          label=${`Errors of ${name} per ${report.bucket}`}
          series=${["4xx", "Client left", "5xx"]}
          format=${int}
          columns=${periods(report, name, (p) =>
            p
              ? [
                  { name: "4xx", value: p.errors_4xx },
                  { name: "Client left", value: p.client_closed },
                  { name: "5xx", value: p.errors_5xx },
                ]
              : [],
          )}
        />
      <//>
    </div>`;
}

function errorRate(f: LatencyFigures): string {
  const errors = f.errors_4xx + f.client_closed + f.errors_5xx;
  // A handful of errors must not read as "0 %".
  if (errors > 0 && f.error_rate < 0.01) return `${(f.error_rate * 100).toFixed(2)} %`;
  return pct(f.error_rate);
}

/** One column per period of the range, quiet ones included, for one group. */
function periods(
  report: LatencyReport,
  group: string,
  segments: (p: LatencyFigures | undefined) => Column["segments"],
): Column[] {
  const unit = report.bucket === "day" ? 24 * HOUR_MS : HOUR_MS;
  const byStart = new Map(report.series.filter((p) => p.group === group).map((p) => [p.bucket_start, p]));
  const out: Column[] = [];
  const end = Date.parse(report.to);
  for (let t = Math.floor(Date.parse(report.from) / unit) * unit; t < end; t += unit) {
    const start = new Date(t).toISOString();
    const p = byStart.get(start);
    const when = report.bucket === "day" ? dayLong(start) : `${dayLong(start)} ${hourAxis(start)} UTC`;
    out.push({
      label: p
        ? `${when} · ${int(p.requests)} requests · p50 ${ms(p.p50_ms)} · p95 ${ms(p.p95_ms)} · p99 ${ms(p.p99_ms)}`
        : `${when} · no requests`,
      axis: report.bucket === "day" ? dayAxis(start) : hourAxis(start),
      segments: segments(p),
    });
  }
  return out;
}
