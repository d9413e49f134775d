// A hook that loads one admin resource, keeps the last data while reloading the same key, and can poll.
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { ApiError } from "../api.ts";

export interface Resource<T> {
  data: T | undefined;
  error: ApiError | null;
  loading: boolean;
  reload: () => void;
}

/**
 * Runs `load` whenever `key` changes (and every `pollMs` while the page is visible).
 * Stale answers are dropped: only the latest call may set state.
 */
export function useResource<T>(
  key: string,
  load: (signal: AbortSignal) => Promise<T>,
  opts: { pollMs?: number } = {},
): Resource<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  // Data belongs to the key it was loaded for: under a new key (another range, team, filter or page)
  // the old figures must not sit under the new labels, so they are dropped at once, in this render.
  const loadedKey = useRef(key);
  const stale = loadedKey.current !== key;
  if (stale) {
    loadedKey.current = key;
    setData(undefined);
    setError(null);
  }

  // `key` and `tick` are the reasons to reload; `load` is read through a ref so a new closure is not one.
  useEffect(() => {
    const ctrl = new AbortController();
    setLoading(true);
    loadRef.current(ctrl.signal).then(
      (value) => {
        if (ctrl.signal.aborted) return;
        setData(value);
        setError(null);
        setLoading(false);
      },
      (err: unknown) => {
        if (ctrl.signal.aborted) return;
        setError(err instanceof ApiError ? err : new ApiError(0, "error", String(err)));
        setLoading(false);
      },
    );
    return () => ctrl.abort();
  }, [key, tick]);

  useEffect(() => {
    if (!opts.pollMs) return;
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") setTick((t) => t + 1);
    }, opts.pollMs);
    return () => clearInterval(timer);
  }, [opts.pollMs]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  if (stale) return { data: undefined, error: null, loading: true, reload };
  return { data, error, loading, reload };
}
