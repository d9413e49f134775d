// Several deployments (upstream keys or replicas) behind one provider: weighted choice per attempt and a circuit breaker.
import type { ProviderTarget } from "./types.ts";

export interface Deployment {
  name: string;
  target: ProviderTarget;
  /** Relative share of traffic while healthy. */
  weight: number;
}

export interface DeploymentHealth {
  name: string;
  upstreamUrl: string;
  weight: number;
  /** Taking traffic now (not cooling down). */
  healthy: boolean;
  /** Failures in a row (429, 5xx, timeouts) since the last success. */
  failures: number;
  /** When a cooling deployment takes traffic again (ms since the epoch), or null. */
  coolingUntil: number | null;
}

/** One attempt's deployment: where to send it, and how it went (reported once by the Attempt). */
export interface Lease {
  readonly name: string;
  readonly target: ProviderTarget;
  report(status: number): void;
  /** A 429's `retry-after` (seconds or an HTTP date): the deployment rests at least that long. */
  holdOff(retryAfter: string | null): void;
  /** Another deployment of the pool could take this request, none of `tried` nor this one. */
  hasAlternative(tried: ReadonlySet<string>): boolean;
}

export interface PoolOptions {
  now: () => number;
  random?: () => number;
  /** Failures in a row that take a deployment out. */
  failuresToTrip?: number;
  coolDownMs?: number;
}

/** The statuses that say "this deployment is in trouble", as opposed to "this request is wrong". */
export const isDeploymentFailure = (status: number): boolean =>
  status === 429 || (status >= 500 && status !== 501);

interface State {
  d: Deployment;
  failures: number;
  coolingUntil: number;
  /** Tripped before and not yet proven healthy: one failure after the cool-down takes it out again. */
  probation: boolean;
}

export class DeploymentPool {
  readonly #states: State[];
  readonly #now: () => number;
  readonly #random: () => number;
  readonly #trip: number;
  readonly #coolDownMs: number;

  constructor(deployments: readonly Deployment[], opts: PoolOptions) {
    this.#states = deployments.map((d) => ({ d, failures: 0, coolingUntil: 0, probation: false }));
    this.#now = opts.now;
    this.#random = opts.random ?? Math.random;
    this.#trip = opts.failuresToTrip ?? 3;
    this.#coolDownMs = opts.coolDownMs ?? 30_000;
  }

  /**
   * A deployment for one attempt, by weight among the healthy ones not yet tried. When every untried
   * one is cooling down, the one back soonest is tried rather than refusing the request; null when
   * every deployment was tried.
   */
  pick(tried: ReadonlySet<string>): Lease | null {
    const now = this.#now();
    const untried = this.#states.filter((s) => !tried.has(s.d.name));
    if (untried.length === 0) return null;
    const healthy = untried.filter((s) => s.coolingUntil <= now);
    let chosen: State | undefined;
    if (healthy.length > 0) {
      const total = healthy.reduce((n, s) => n + s.d.weight, 0);
      let r = this.#random() * total;
      for (const s of healthy) {
        r -= s.d.weight;
        if (r < 0) {
          chosen = s;
          break;
        }
      }
      chosen ??= healthy.at(-1);
    } else chosen = untried.reduce((a, b) => (b.coolingUntil < a.coolingUntil ? b : a));
    return chosen ? this.#lease(chosen) : null;
  }

  health(): DeploymentHealth[] {
    const now = this.#now();
    return this.#states.map((s) => ({
      name: s.d.name,
      upstreamUrl: s.d.target.baseUrl,
      weight: s.d.weight,
      healthy: s.coolingUntil <= now,
      failures: s.failures,
      coolingUntil: s.coolingUntil > now ? s.coolingUntil : null,
    }));
  }

  #lease(s: State): Lease {
    let reported = false;
    return {
      name: s.d.name,
      target: s.d.target,
      report: (status) => {
        if (reported) return;
        reported = true;
        this.#report(s, status);
      },
      holdOff: (retryAfter) => {
        const ms = retryAfterMs(retryAfter, this.#now());
        if (ms !== null) s.coolingUntil = Math.max(s.coolingUntil, this.#now() + ms);
      },
      hasAlternative: (tried) => {
        const now = this.#now();
        return this.#states.some((o) => o !== s && !tried.has(o.d.name) && o.coolingUntil <= now);
      },
    };
  }

  #report(s: State, status: number): void {
    if (!isDeploymentFailure(status)) {
      s.failures = 0;
      s.probation = false;
      return;
    }
    s.failures++;
    if (s.failures >= this.#trip || s.probation) {
      s.coolingUntil = Math.max(s.coolingUntil, this.#now() + this.#coolDownMs);
      s.failures = 0;
      s.probation = true;
    }
  }
}

/** `retry-after` as milliseconds: delta seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(value: string | null, now: number): number | null {
  if (value === null || value.trim() === "") return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds > 0 ? Math.ceil(seconds * 1000) : null;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
