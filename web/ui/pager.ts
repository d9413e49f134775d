// Previous / next through a server-paged list, with "a–b of total"; the page lives in the URL (`page`).
import { html } from "htm/preact";
import { int } from "../format.ts";
import { setParams } from "../route.ts";

export function Pager({
  tab,
  page,
  size,
  shown,
  total,
  noun,
}: {
  tab: string;
  page: number;
  size: number;
  shown: number;
  total: number;
  noun: string;
}) {
  if (total <= size && page === 0) return html`<p class="fine">${int(total)} ${noun}.</p>`;
  const first = page * size + 1;
  const go = (p: number) => setParams(tab, { page: p > 0 ? String(p) : null });
  return html`<nav class="pager" aria-label=${`Pages of ${noun}`}>
    <button type="button" class="small" onClick=${() => go(page - 1)} disabled=${page === 0}>Previous</button>
    <span class="fine">${shown ? `${int(first)}–${int(first + shown - 1)} of ${int(total)} ${noun}` : `none of ${int(total)} ${noun} on this page`}</span>
    <button type="button" class="small" onClick=${() => go(page + 1)} disabled=${first + shown - 1 >= total}>Next</button>
  </nav>`;
}

/** The zero-based page number in the URL, never negative or fractional. */
export function pageParam(params: URLSearchParams): number {
  const n = Number.parseInt(params.get("page") ?? "0", 10);
  return Number.isFinite(n) && n > 0 ? n : 0;
}
