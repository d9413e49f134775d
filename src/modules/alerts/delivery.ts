// Delivers webhook events in the background: signed, retried with backoff, never on the request path.
import type { Secret } from "../../config/secret.ts";
import type { Logger } from "../../log.ts";

export interface WebhookEvent {
  id: string;
  type: "budget.threshold" | "rate_limit.exceeded";
  occurred_at: string;
  [field: string]: unknown;
}

export interface DeliveryOptions {
  url: string;
  secret: Secret | null;
  fetch: typeof fetch;
  log: Logger;
  /** Delays between attempts; the number of entries + 1 is the number of attempts. */
  backoffMs?: number[];
  timeoutMs?: number;
}

/** `sha256=` + hex HMAC-SHA256 over `<timestamp>.<body>`, as in Stripe-style signatures. */
export function signature(secret: string, timestamp: string, body: string): string {
  return `sha256=${new Bun.CryptoHasher("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

export class WebhookDelivery {
  readonly #opts: Required<Omit<DeliveryOptions, "secret">> & { secret: Secret | null };
  #pending = new Set<Promise<void>>();
  delivered = 0;
  failed = 0;

  constructor(opts: DeliveryOptions) {
    this.#opts = { backoffMs: [500, 2_000, 8_000, 30_000], timeoutMs: 5_000, ...opts };
  }

  /** Queues an event; returns at once. */
  send(event: WebhookEvent): void {
    const p = this.#deliver(event).finally(() => this.#pending.delete(p));
    this.#pending.add(p);
  }

  async #deliver(event: WebhookEvent): Promise<void> {
    const body = JSON.stringify(event);
    const { backoffMs, log } = this.#opts;
    for (let attempt = 0; attempt <= backoffMs.length; attempt++) {
      const timestamp = String(Math.floor(Date.now() / 1000));
      const headers: Record<string, string> = {
        "content-type": "application/json",
        "user-agent": "snodus-webhook/1",
        "x-snodus-event": event.type,
        "x-snodus-delivery": event.id,
        "x-snodus-timestamp": timestamp,
      };
      if (this.#opts.secret)
        headers["x-snodus-signature"] = signature(this.#opts.secret.reveal(), timestamp, body);
      try {
        const res = await this.#opts.fetch(this.#opts.url, {
          method: "POST",
          headers,
          body,
          signal: AbortSignal.timeout(this.#opts.timeoutMs),
        });
        await res.arrayBuffer().catch(() => {});
        if (res.ok) {
          this.delivered++;
          return;
        }
        log.warn("webhook delivery refused", { event: event.type, status: res.status, attempt: attempt + 1 });
      } catch (err) {
        log.warn("webhook delivery failed", {
          event: event.type,
          attempt: attempt + 1,
          err: (err as Error).message,
        });
      }
      const delay = backoffMs[attempt];
      if (delay !== undefined) await Bun.sleep(delay);
    }
    this.failed++;
    log.error("webhook dropped after retries", { event: event.type, id: event.id });
  }

  /** Waits for deliveries in progress (bounded), e.g. at shutdown or in tests. */
  async idle(timeoutMs = 10_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (this.#pending.size > 0 && Date.now() < until)
      await Promise.race([...this.#pending, Bun.sleep(50)]);
  }
}
