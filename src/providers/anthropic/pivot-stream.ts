// Anthropic's own stream seen as a pivot translator: bytes pass unchanged while usage is read from them.
import type { AnthropicStreamTranslator } from "../translate/anthropic-sse.ts";
import { EMPTY } from "../translate/anthropic-sse.ts";
import type { AnthropicStopReason } from "../translate/anthropic-types.ts";
import { anthropicErrorEvent } from "./adapter.ts";
import { createSseUsageTracker } from "./usage.ts";

const encoder = new TextEncoder();
const PING = encoder.encode('event: ping\ndata: {"type": "ping"}\n\n');

/**
 * Front doors that speak another protocol still render from Anthropic SSE; when the provider is
 * Anthropic that is simply its own stream, so this "translator" only meters.
 */
export function createAnthropicPivotStream(): AnthropicStreamTranslator {
  const tracker = createSseUsageTracker();
  let errored = false;
  return {
    push(chunk) {
      tracker.push(chunk);
      return chunk;
    },
    finish() {
      tracker.end();
      return EMPTY;
    },
    error(type, message) {
      errored = true;
      return anthropicErrorEvent(type, message);
    },
    ping: () => (tracker.sawMessageStop || errored ? EMPTY : PING),
    get usage() {
      return tracker.usage;
    },
    get usageReported() {
      return tracker.sawMessageStop;
    },
    get finished() {
      return tracker.sawMessageStop || tracker.error !== null || errored;
    },
    get stopReason() {
      if (tracker.error || errored) return null;
      return (
        (tracker.stopReason as AnthropicStopReason | null) ?? (tracker.sawMessageStop ? "end_turn" : null)
      );
    },
  };
}
