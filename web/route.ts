// Hash routing (`#/keys?q=…`): the page is always /admin/, so it can never collide with the admin API's paths.
import { useEffect, useState } from "preact/hooks";

export interface Route {
  tab: string;
  params: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#\/?/, "");
  const q = raw.indexOf("?");
  const tab = (q < 0 ? raw : raw.slice(0, q)) || "";
  return { tab, params: new URLSearchParams(q < 0 ? "" : raw.slice(q + 1)) };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseHash(location.hash));
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return route;
}

/** Changes the current tab's query (filters, date range) and keeps it shareable in the URL. */
export function setParams(tab: string, params: Record<string, string | null | undefined>, replace = true) {
  const current = parseHash(location.hash);
  const next = new URLSearchParams(current.tab === tab ? current.params : undefined);
  for (const [k, v] of Object.entries(params)) {
    if (v === null || v === undefined || v === "") next.delete(k);
    else next.set(k, v);
  }
  const qs = next.toString();
  const hash = `#/${tab}${qs ? `?${qs}` : ""}`;
  if (replace) {
    history.replaceState(null, "", hash);
    window.dispatchEvent(new HashChangeEvent("hashchange"));
  } else location.hash = hash;
}
