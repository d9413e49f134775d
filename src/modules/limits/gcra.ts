// GCRA (generic cell rate algorithm): an exact requests-per-minute limit from one stored number per key.

export const WINDOW_MS = 60_000;

export interface RateDecision {
  allowed: boolean;
  limit: number;
  /** Requests still allowed right now after this one. */
  remaining: number;
  /** Seconds until the key's allowance is fully restored. */
  resetSeconds: number;
  /** Seconds to wait before the next request can pass (0 when allowed). */
  retryAfterSeconds: number;
}

export interface GcraStep {
  decision: RateDecision;
  /** The theoretical arrival time to store; unchanged when the request was refused. */
  tat: number;
}

/**
 * `limit` requests per minute with a burst of `limit`: each request pushes the theoretical arrival
 * time (TAT) one emission interval forward; a request passes while TAT stays within one window of
 * now. So a key never gets more than `limit` requests in a burst, and regains one every 60/limit s.
 */
export function gcra(storedTat: number, now: number, limit: number): GcraStep {
  const interval = WINDOW_MS / limit;
  const tat = Math.max(storedTat, now);
  const next = tat + interval;
  if (next - now > WINDOW_MS + 1e-6) {
    const wait = next - now - WINDOW_MS;
    return {
      tat: storedTat,
      decision: {
        allowed: false,
        limit,
        remaining: 0,
        resetSeconds: Math.ceil((tat - now) / 1000),
        retryAfterSeconds: Math.max(1, Math.ceil(wait / 1000)),
      },
    };
  }
  return {
    tat: next,
    decision: {
      allowed: true,
      limit,
      remaining: Math.max(0, Math.floor((WINDOW_MS - (next - now)) / interval + 1e-9)),
      resetSeconds: Math.ceil((next - now) / 1000),
      retryAfterSeconds: 0,
    },
  };
}

/** The allowance a stored TAT leaves right now, without spending any of it (for `GET /v1/key`). */
export function gcraPeek(storedTat: number, now: number, limit: number): RateDecision {
  const interval = WINDOW_MS / limit;
  const ahead = Math.max(storedTat, now) - now;
  const remaining = Math.max(0, Math.min(limit, Math.floor((WINDOW_MS - ahead) / interval + 1e-9)));
  return {
    allowed: remaining > 0,
    limit,
    remaining,
    resetSeconds: Math.ceil(ahead / 1000),
    retryAfterSeconds: remaining > 0 ? 0 : Math.max(1, Math.ceil((ahead + interval - WINDOW_MS) / 1000)),
  };
}
