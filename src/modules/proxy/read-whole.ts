// Reads a non-streamed upstream answer in full, bounded by the upstream timeout.
import { GatewayError } from "../../errors.ts";
import type { CutHook } from "../../providers/upstream.ts";

/** One decoder for every request: whole-buffer decoding keeps no state between calls. */
const decoder = new TextDecoder();

export async function readWhole(
  res: Response,
  timeoutMs: number,
  /** Shutdown's deadline: reading stops with a 503. */
  onCut?: CutHook,
): Promise<Uint8Array<ArrayBuffer>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let uncut: (() => void) | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new GatewayError(504, "timeout_error", "The upstream stopped sending")),
      timeoutMs,
    );
    uncut = onCut?.(() => reject(shuttingDown()));
  });
  try {
    return new Uint8Array(await Promise.race([res.arrayBuffer(), timeout]));
  } catch (err) {
    if (err instanceof GatewayError) throw err;
    throw new GatewayError(502, "api_error", "The upstream connection failed while reading the response");
  } finally {
    clearTimeout(timer);
    uncut?.();
  }
}

export const shuttingDown = () =>
  new GatewayError(503, "overloaded_error", "The gateway is shutting down; retry the request", {
    retryAfter: 1,
  });

export function safeJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(decoder.decode(bytes));
  } catch {
    return null;
  }
}
