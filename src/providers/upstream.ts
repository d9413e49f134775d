// Sends a request to a provider with timeouts, mapping transport failures to 502/504.
import { upstreamTimeout, upstreamUnavailable } from "../errors.ts";

export interface UpstreamCall {
  url: string;
  method: string;
  headers: Headers;
  body?: Uint8Array<ArrayBuffer> | string;
  fetch: typeof fetch;
  /** Longest wait for the response headers. */
  headersTimeoutMs: number;
  /** The provider's name, for error messages. */
  provider: string;
}

/**
 * The upstream is never tied to the client's connection: if the client leaves, the gateway
 * still reads the answer to its end so the usage it is billed for is known.
 */
export async function callUpstream(call: UpstreamCall): Promise<Response> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, call.headersTimeoutMs);
  try {
    return await call.fetch(call.url, {
      method: call.method,
      headers: call.headers,
      body: call.body,
      signal: controller.signal,
      redirect: "manual",
    });
  } catch (cause) {
    if (timedOut) throw upstreamTimeout(`${call.provider} did not answer within ${call.headersTimeoutMs} ms`);
    // The cause (DNS, refused, reset) rides along for the caller's log line; clients get a generic line.
    const err = upstreamUnavailable(`${call.provider} is unreachable`);
    err.cause = cause;
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
