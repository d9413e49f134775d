// Per-request idle timeouts: a connection is closed after SNODUS_IDLE_TIMEOUT_S without a byte, except
// while a /v1 request (or an analytics report or export) is in flight — an upstream may think for
// minutes before its headers or between stream events, a report may query for long — and the timeout
// comes back once that request's answer has been sent, so an idle keep-alive connection is closed.
import { Elysia } from "elysia";

/** Bun's per-request control over a connection's idle timeout; absent when the app runs in-process. */
interface TimeoutControl {
  timeout(request: Request, seconds: number): void;
}

/** Answers sent as they are produced; any other body is in memory when the handler returns. */
const STREAMING = /^(text\/event-stream|application\/x-ndjson|text\/csv)/i;

/** Paths whose requests may rightly stay silent for longer than the idle timeout. */
const LONG_RUNNING = ["/v1/", "/admin/analytics"];

function isLongRunning(url: string): boolean {
  const at = url.indexOf("/", url.indexOf("//") + 2);
  return at >= 0 && LONG_RUNNING.some((prefix) => url.startsWith(prefix, at));
}

/** Streamed answers that say themselves when they end (the proxy's metered streams). */
const streamEnds = new WeakMap<Response, Promise<void>>();

/**
 * Registers when a streamed answer ends, so the connection's idle timeout comes back then without
 * wrapping the stream in one more layer (every chunk of every /v1 stream would pass through it).
 */
export function endsWhen(response: Response, ended: Promise<void>): Response {
  streamEnds.set(response, ended);
  return response;
}

/**
 * The response, whose end puts the connection back under the idle timeout. A streamed answer is
 * followed to its last chunk (or its cancellation); anything else is in memory already.
 */
export function restoreIdleAfter(response: Response, restore: () => void): Response {
  const ended = streamEnds.get(response);
  if (ended) {
    void ended.then(restore);
    return response;
  }
  const type = response.headers.get("content-type") ?? "";
  // The type first: asking an in-memory answer for its `body` builds a ReadableStream around it.
  if (!STREAMING.test(type) || !response.body) {
    restore();
    return response;
  }
  const reader = response.body.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) {
        restore();
        controller.close();
      } else controller.enqueue(value);
    },
    cancel(reason) {
      restore();
      return reader.cancel(reason);
    },
  });
  return new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

/**
 * Global hooks: long-running requests lift the idle timeout when they arrive (before authentication,
 * which may itself wait on the database) and restore it when answered — errors included, so a refused
 * request cannot leave its connection exempt. Register before the app's own onError.
 */
export function idleTimeouts(idleS: number) {
  return new Elysia({ name: "idle-timeouts" })
    .onRequest(({ request, server }) => {
      if (server && isLongRunning(request.url)) (server as TimeoutControl).timeout(request, 0);
    })
    .onAfterHandle({ as: "global" }, ({ request, server, response }) => {
      if (!server || !isLongRunning(request.url)) return;
      const restore = () => (server as TimeoutControl).timeout(request, idleS);
      if (!(response instanceof Response)) return void restore();
      return restoreIdleAfter(response, restore);
    })
    .onError({ as: "global" }, ({ request, server }) => {
      if (server && isLongRunning(request.url)) (server as TimeoutControl).timeout(request, idleS);
    });
}
