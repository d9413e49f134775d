// The hot /v1 POST routes as Bun-native handlers (Bun.serve `routes`): the same pipeline as the Elysia
// routes without the framework's per-request context, hooks and header merge (BENCHMARKS.md, issue 14).
import { errorAnswer } from "../../http/error-answer.ts";
import { restoreIdleAfter } from "../../http/idle.ts";
import type { Logger } from "../../log.ts";
import type { ProxyContext } from "./context.ts";
import { doorHandler, HOT_DOORS } from "./index.ts";

/** What a Bun-native route handler receives besides the request (the slice of Bun's Server used here). */
export interface NativeServer {
  timeout(request: Request, seconds: number): void;
}
type NativeHandler = (request: Request, server: NativeServer) => Promise<Response>;

/**
 * `routes` for Bun.serve. Served in-process (`app.handle`, the tests' fakes), the Elysia routes answer
 * instead; both call the same handler, and errors render through the same errorAnswer as onError.
 * Like the idle-timeout hooks (src/http/idle.ts), a request lifts its connection's idle timeout while
 * in flight and restores it once answered.
 */
export function nativeProxyRoutes(
  ctx: ProxyContext,
  log: Logger,
  idleS: number,
): Record<string, { POST: NativeHandler }> {
  const routes: Record<string, { POST: NativeHandler }> = {};
  for (const [path, door] of Object.entries(HOT_DOORS)) {
    const handle = doorHandler(ctx, door);
    routes[path] = {
      POST: async (request, server) => {
        server.timeout(request, 0);
        const restore = () => server.timeout(request, idleS);
        try {
          return restoreIdleAfter(await handle({ request }), restore);
        } catch (err) {
          restore();
          return errorAnswer(log, "UNKNOWN", err, request, path);
        }
      },
    };
  }
  return routes;
}
