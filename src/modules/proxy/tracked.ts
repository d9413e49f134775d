// Wraps a proxy handler so the request counts as in flight from its first byte to its answer.
import type { ProxyContext } from "./context.ts";

/**
 * Counts a request as in flight from its first byte, so shutdown also waits for one still uploading
 * its body or being authenticated. A streamed answer stays counted by its attempt until it ends.
 */
export function tracked(ctx: ProxyContext, handle: (c: { request: Request }) => Promise<Response>) {
  return async (c: { request: Request }): Promise<Response> => {
    ctx.inflight.enter();
    try {
      return await handle(c);
    } finally {
      ctx.inflight.leave();
    }
  };
}
