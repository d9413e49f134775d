// Sends a request to a provider with timeouts, mapping transport failures to 502/504.
import { GatewayError, upstreamTimeout, upstreamUnavailable } from "../errors.ts";

export interface UpstreamCall {
  url: string;
  method: string;
  headers: Headers;
  body?: Uint8Array<ArrayBuffer> | string;
  fetch: typeof fetch;
  /** How long connecting may take (SNODUS_CONNECT_TIMEOUT_MS). */
  connectTimeoutMs: number;
  /** Longest wait for the response headers once connected (SNODUS_UPSTREAM_TIMEOUT_MS). */
  headersTimeoutMs: number;
  /** The provider's name, for error messages. */
  provider: string;
  /** Registers what to do at the shutdown deadline (the call gives up with 503); returns its removal. */
  onCut?: CutHook;
}

/** Registers a callback for the shutdown deadline and returns a function that removes it. */
export type CutHook = (fn: () => void) => () => void;

/**
 * The upstream is never tied to the client's connection: if the client leaves, the gateway
 * still reads the answer to its end so the usage it is billed for is known.
 *
 * fetch() does not say when it has connected, so the two timeouts are told apart this way: when no
 * headers have come within the connect timeout, a plain TCP connection to the same host is tried.
 * If the host accepts it, the upstream is merely slow (Ollama loading a model, a long first token)
 * and the wait goes on up to the headers timeout; if it does not, the request fails as a connect
 * timeout. The probe only happens on requests that are already slow, never on the hot path.
 */
export async function callUpstream(call: UpstreamCall): Promise<Response> {
  const controller = new AbortController();
  let timedOut: string | null = null;
  const giveUp = (why: string) => {
    timedOut = why;
    controller.abort();
  };
  const headersTimer = setTimeout(
    () => giveUp(`${call.provider} did not answer within ${call.headersTimeoutMs} ms`),
    call.headersTimeoutMs,
  );
  let settled = false;
  const uncut = call.onCut?.(() => giveUp("shutdown"));
  const connectTimer =
    call.connectTimeoutMs < call.headersTimeoutMs
      ? setTimeout(() => {
          void reachable(call.url, Math.min(call.connectTimeoutMs, 3_000)).then((up) => {
            if (!up && !settled)
              giveUp(`${call.provider} could not be connected to within ${call.connectTimeoutMs} ms`);
          });
        }, call.connectTimeoutMs)
      : null;
  try {
    return await call.fetch(call.url, {
      method: call.method,
      headers: call.headers,
      body: call.body,
      signal: controller.signal,
      redirect: "manual",
    });
  } catch (cause) {
    if (timedOut === "shutdown")
      throw new GatewayError(503, "overloaded_error", "The gateway is shutting down; retry the request", {
        retryAfter: 1,
      });
    if (timedOut) throw upstreamTimeout(timedOut);
    // The cause (DNS, refused, reset) rides along for the caller's log line; clients get a generic line.
    const err = upstreamUnavailable(`${call.provider} is unreachable`);
    err.cause = cause;
    throw err;
  } finally {
    settled = true;
    uncut?.();
    clearTimeout(headersTimer);
    if (connectTimer) clearTimeout(connectTimer);
  }
}

/** Whether the URL's host accepts a TCP connection within `timeoutMs`. */
async function reachable(url: string, timeoutMs: number): Promise<boolean> {
  const u = new URL(url);
  const port = Number(u.port) || (u.protocol === "https:" ? 443 : 80);
  const hostname = u.hostname.replace(/^\[|\]$/g, "");
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const attempt = Bun.connect({ hostname, port, socket: { data() {}, error() {} } })
    .then((socket) => {
      socket.end();
      return true;
    })
    .catch(() => false);
  try {
    return await Promise.race([attempt, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
