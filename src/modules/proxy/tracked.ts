// Wraps a proxy handler so the request counts as in flight from its first byte to its answer.
import { GatewayError } from "../../errors.ts";
import { limitReason } from "../metrics/metrics.ts";
import type { ProxyContext } from "./context.ts";

/**
 * Counts a request as in flight from its first byte, so shutdown also waits for one still uploading
 * its body or being authenticated. A streamed answer stays counted by its attempt until it ends.
 * Limit refusals (429/402/403) are counted for /metrics on the way out.
 */
export function tracked(ctx: ProxyContext, handle: (c: { request: Request }) => Promise<Response>) {
  return async (c: { request: Request }): Promise<Response> => {
    ctx.inflight.enter();
    try {
      return await handle(c);
    } catch (err) {
      if (err instanceof GatewayError) {
        const reason = limitReason(err.status, err.extra.code);
        if (reason) ctx.metrics.refused(reason, err.status);
      }
      throw err;
    } finally {
      ctx.inflight.leave();
    }
  };
}
