// Small shared pieces: loading, empty and error states, KPI cards and progress bars.
import { html } from "htm/preact";
import type { ComponentChildren } from "preact";
import type { ApiError } from "../api.ts";
import { pct } from "../format.ts";

export function Loading({ label = "Loading…" }: { label?: string }) {
  return html`<p class="state loading" role="status" aria-live="polite"><span class="spinner" aria-hidden="true"></span>${label}</p>`;
}

export function Empty({ children }: { children: ComponentChildren }) {
  return html`<p class="state empty">${children}</p>`;
}

/** Errors appear where the data would have been, with a retry when one makes sense. */
export function ErrorNote({ error, retry }: { error: ApiError | Error; retry?: () => void }) {
  return html`<div class="error-note" role="alert">
    <span>${error.message}</span>
    ${retry ? html`<button type="button" class="link" onClick=${retry}>Retry</button>` : null}
  </div>`;
}

export function Kpi({
  label,
  value,
  detail,
  children,
  testId,
}: {
  label: string;
  value: string;
  detail?: ComponentChildren;
  children?: ComponentChildren;
  testId?: string;
}) {
  return html`<section class="card kpi" aria-label=${label} data-kpi=${testId}>
    <h3>${label}</h3>
    <p class="kpi-value" data-value>${value}</p>
    ${detail ? html`<p class="kpi-detail">${detail}</p>` : null}
    ${children}
  </section>`;
}

/** A labelled bar; warns at 70 % and alarms at 90 %, the webhook thresholds. Unlimited shows no bar. */
export function Progress({
  label,
  fraction,
  text,
}: {
  label: string;
  fraction: number | null;
  text: string;
}) {
  if (fraction === null) {
    return html`<div class="progress">
      <div class="progress-head"><span>${label}</span><span>${text}</span></div>
      <div class="bar none" aria-hidden="true"></div>
    </div>`;
  }
  const level = fraction >= 0.9 ? "alarm" : fraction >= 0.7 ? "warn" : "ok";
  const shown = Math.min(1, Math.max(0, fraction));
  return html`<div class="progress">
    <div class="progress-head"><span>${label}</span><span>${text} · ${pct(fraction)}</span></div>
    <div
      class=${`bar ${level}`}
      role="progressbar"
      aria-label=${label}
      aria-valuemin="0"
      aria-valuemax="100"
      aria-valuenow=${Math.round(shown * 100)}
    >
      <span class="fill" style=${{ width: `${shown * 100}%` }}></span>
    </div>
  </div>`;
}

/** A relative time with the exact timestamp on hover and for screen readers. */
export function Time({ when, text, title }: { when: string; text: string; title: string }) {
  return html`<time datetime=${when} title=${title}>${text}</time>`;
}
