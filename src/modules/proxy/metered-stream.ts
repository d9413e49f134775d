// Forwards an upstream byte stream to the client chunk by chunk while a meter watches every byte.

export type StreamOutcome =
  | "complete"
  | "client_cancelled"
  | "upstream_failed"
  | "upstream_timeout"
  /** Cut at the shutdown deadline. */
  | "shutdown";

export interface MeterHooks {
  /**
   * Sees every upstream chunk, also those read after the client left, and returns the bytes for the
   * client: the same chunk when passing through, translated bytes (maybe empty) otherwise.
   */
  onChunk(chunk: Uint8Array): Uint8Array;
  /** Bytes to send after a clean end (a translator closing its message), or null. */
  flush?(): Uint8Array | null;
  /** Keep-alive bytes sent when the upstream is silent for `everyMs` (translated streams only). */
  keepAlive?: { everyMs: number; bytes(): Uint8Array };
  /** Called exactly once, when the upstream has been read to its end or given up on. */
  onFinish(outcome: StreamOutcome): void;
  /** Bytes to send the client when the upstream breaks mid-stream (a protocol error event), or null. */
  failureTail(outcome: "upstream_failed" | "upstream_timeout" | "shutdown"): Uint8Array | null;
  /** Whether a stream that just ended said goodbye properly (e.g. Anthropic's message_stop). */
  endedCleanly(): boolean;
  /** Longest silence from the upstream before it is given up on. */
  idleTimeoutMs: number;
}

/**
 * The client stream pulls from the upstream, so nothing is buffered beyond one chunk. When the
 * client cancels, the upstream is drained in the background so the final usage is still known.
 */
export function meteredStream(
  upstream: ReadableStream<Uint8Array>,
  hooks: MeterHooks,
): { body: ReadableStream<Uint8Array>; cut(): void } {
  const reader = upstream.getReader();
  let finished = false;
  let timedOut = false;
  let client: ReadableStreamDefaultController<Uint8Array> | null = null;
  const timer = setTimeout(() => {
    timedOut = true;
    reader.cancel().catch(() => {});
  }, hooks.idleTimeoutMs);

  const finish = (outcome: StreamOutcome) => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    hooks.onFinish(outcome);
  };

  const read = async (): Promise<
    Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>["read"]>> | "failed"
  > => {
    try {
      const result = await reader.read();
      timer.refresh();
      return result;
    } catch {
      return "failed";
    }
  };

  const drain = async () => {
    for (;;) {
      const r = await read();
      if (r === "failed" || timedOut) return finish(timedOut ? "upstream_timeout" : "upstream_failed");
      if (r.done) return finish(hooks.endedCleanly() ? "client_cancelled" : "upstream_failed");
      hooks.onChunk(r.value);
    }
  };

  let lastSent = Date.now();
  let keepAlive: ReturnType<typeof setInterval> | null = null;
  const stopKeepAlive = () => {
    if (keepAlive) clearInterval(keepAlive);
    keepAlive = null;
  };

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      client = controller;
      const ka = hooks.keepAlive;
      if (!ka) return;
      keepAlive = setInterval(
        () => {
          if (finished || Date.now() - lastSent < ka.everyMs) return;
          try {
            controller.enqueue(ka.bytes());
            lastSent = Date.now();
          } catch {
            stopKeepAlive();
          }
        },
        Math.max(50, Math.floor(ka.everyMs / 2)),
      );
      keepAlive.unref?.();
    },
    async pull(controller) {
      const r = await read();
      if (finished) return; // cut meanwhile: the controller is closed
      if (r === "failed" || timedOut || (r.done && !hooks.endedCleanly())) {
        const outcome = timedOut ? "upstream_timeout" : "upstream_failed";
        const tail = hooks.failureTail(outcome);
        stopKeepAlive();
        try {
          if (tail) controller.enqueue(tail);
          controller.close();
        } catch {
          // The client may already be gone; the row is recorded either way.
        }
        return finish(outcome);
      }
      if (r.done) {
        stopKeepAlive();
        const tail = hooks.flush?.();
        if (tail?.byteLength) controller.enqueue(tail);
        controller.close();
        return finish("complete");
      }
      const out = hooks.onChunk(r.value);
      if (out.byteLength) {
        controller.enqueue(out);
        lastSent = Date.now();
      }
    },
    cancel() {
      stopKeepAlive();
      if (!finished) void drain();
    },
  });

  /** Shutdown's deadline: the client gets the protocol's error event now, with the usage read so far. */
  const cut = () => {
    if (finished) return;
    stopKeepAlive();
    const tail = hooks.failureTail("shutdown");
    try {
      if (tail) client?.enqueue(tail);
      client?.close();
    } catch {
      // The client may already be gone.
    }
    reader.cancel().catch(() => {});
    finish("shutdown");
  };
  return { body, cut };
}
