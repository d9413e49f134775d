// Tracing's contract and its no-op: what the request path calls whether or not traces are exported.
// The OpenTelemetry SDK lives in ./otel.ts and is loaded only when OTEL_EXPORTER_OTLP_ENDPOINT is set:
// imported always, its ~20,000 objects sat in every gateway's heap for the collector to walk.
import type { Usage } from "../../pricing/usage.ts";

/** One request's span and the context its attempts descend from. */
export interface RequestTrace {
  attempt(init: { model: string; provider: string; operation: string }): AttemptTrace;
  /** Ends the request span with the error's status, or (null) the last attempt's. Idempotent. */
  end(errorStatus: number | null): void;
}

export interface AttemptTrace {
  /** Writes `traceparent` for this attempt into the upstream request's headers. */
  inject(headers: Headers): void;
  end(result: { status: number; usage: Usage; costMicros: number }): void;
}

const NOOP_ATTEMPT: AttemptTrace = { inject() {}, end() {} };
const NOOP_REQUEST: RequestTrace = { attempt: () => NOOP_ATTEMPT, end() {} };

export interface Tracing {
  /** A request span, child of the client's `traceparent` when it sent one. */
  request(headers: Headers, door: string, path: string): RequestTrace;
  /** Exports what is buffered (shutdown, tests). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export const noTracing: Tracing = {
  request: () => NOOP_REQUEST,
  flush: async () => {},
  close: async () => {},
};
