// One attempt at answering a request on one model: it owns the in-flight count, the spend row and the settlement.
import { GatewayError } from "../../errors.ts";
import { endsWhen } from "../../http/idle.ts";
import type { Usage } from "../../pricing/usage.ts";
import { emptyUsage } from "../../pricing/usage.ts";
import type { ProviderName } from "../../providers/index.ts";
import type { Lease } from "../../providers/pool.ts";
import type { KeyIdentity, SpendRow } from "../../store/types.ts";
import type { Admission } from "../limits/guard.ts";
import type { Slot } from "../limits/slot.ts";
import type { AttemptTrace } from "../tracing/tracing.ts";
import type { Attribution } from "./attribution.ts";
import type { ProxyContext } from "./context.ts";
import type { Cuttable } from "./inflight.ts";
import { type MeterHooks, meteredStream, type StreamOutcome } from "./metered-stream.ts";
import { readWhole } from "./read-whole.ts";

/** Status recorded for a client that left before the answer was complete (nginx's convention). */
export const CLIENT_CLOSED_STATUS = 499;
/** Status recorded for a stream the gateway had to cut because it was shutting down. */
export const SHUTDOWN_STATUS = 503;

export interface Routing {
  routedFrom: string;
  method: string;
  reason: string;
}

export interface AttemptInit {
  identity: KeyIdentity;
  admission: Admission;
  /** The model this attempt asked for (after routing / fallback). */
  model: string;
  provider: ProviderName;
  /** Local models are free: the spend row costs 0, as admission reserved 0. */
  free: boolean;
  stream: boolean;
  startedAt: number;
  requestId: string;
  routing: Routing | null;
  /** The client's request, whose signal says when it went away. */
  clientSignal: AbortSignal;
  /** The provider's deployment this attempt went to, when it has several: told how it went, named in the row. */
  deployment: Lease | null;
  /** The request's concurrency slot: held from construction until `finish()`. */
  slot: Slot;
  /** Tags and end user for the spend row (absent = none). */
  attribution?: Attribution;
  /** The front door's protocol, for metrics. */
  door: string;
  /** This attempt's trace span (a no-op without OTEL_EXPORTER_OTLP_ENDPOINT). */
  trace?: AttemptTrace;
}

/** What a whole (non-streamed) answer becomes once read: the client's body and the usage it bills. */
export interface WholeAnswer {
  body: BodyInit;
  usage: Usage;
  status: number;
  headers: Headers;
}

/**
 * Created when an attempt is admitted; every way it can end goes through `finish()`, which is
 * idempotent: exactly one spend row, one settlement, one in-flight leave. A second call is reported
 * (`finish` returns false and `ctx.log` warns), so a test can see a double release.
 */
export class Attempt implements Cuttable {
  readonly identity: KeyIdentity;
  readonly model: string;
  readonly provider: ProviderName;
  readonly requestId: string;
  readonly routing: Routing | null;
  readonly #ctx: ProxyContext;
  readonly #init: AttemptInit;
  #finished = false;
  /** What the attempt is waiting for right now, told to give up at the shutdown deadline. */
  #onCut: (() => void) | null = null;
  #cutStream: (() => void) | null = null;
  #cutRequested = false;
  /** When the upstream request was sent and its headers came back (ctx.now() ms), for metrics. */
  #sentAt: number | null = null;
  #headersAt: number | null = null;

  constructor(ctx: ProxyContext, init: AttemptInit) {
    this.#ctx = ctx;
    this.#init = init;
    this.identity = init.identity;
    this.model = init.model;
    this.provider = init.provider;
    this.requestId = init.requestId;
    this.routing = init.routing;
    init.slot.hold();
    ctx.inflight.enter();
    ctx.inflight.hold(this);
  }

  /**
   * Registers what to do if shutdown's deadline comes while the attempt waits (one waiter at a time:
   * the upstream call, then the whole-answer read); returns its removal. A plain slot, not an
   * AbortSignal: every request registers, and listeners cost more than the rare cut.
   */
  readonly onCut = (fn: () => void): (() => void) => {
    this.#onCut = fn;
    // A cut that came between two waits still applies to the next one.
    if (this.#cutRequested) queueMicrotask(fn);
    return () => {
      if (this.#onCut === fn) this.#onCut = null;
    };
  };

  /** Shutdown's deadline: a stream ends with its protocol's error event, a wait gives up with 503. */
  cut(): void {
    if (this.#finished) return;
    this.#cutRequested = true;
    if (this.#cutStream) this.#cutStream();
    else this.#onCut?.();
  }

  get finished(): boolean {
    return this.#finished;
  }

  /** Puts this attempt's `traceparent` on the upstream request (nothing when tracing is off). */
  trace(headers: Headers): void {
    this.#init.trace?.inject(headers);
  }

  /** The upstream request is about to be sent. */
  markSent(): void {
    this.#sentAt = this.#ctx.now();
  }

  /** The upstream's response headers arrived. */
  markHeaders(): void {
    this.#headersAt = this.#ctx.now();
  }

  /** Records the spend row, settles the reservation to the real cost and leaves the in-flight count. */
  finish(usage: Usage, status: number): boolean {
    if (this.#finished) {
      this.#ctx.log.warn("attempt finished twice; the second finish was ignored", {
        requestId: this.requestId,
        status,
      });
      return false;
    }
    this.#finished = true;
    const a = this.#init;
    const ctx = this.#ctx;
    ctx.inflight.release(this);
    try {
      const row: SpendRow = {
        id: Bun.randomUUIDv7(),
        createdAt: new Date(a.startedAt),
        apiKeyId: a.identity.key.id,
        userId: a.identity.user.id,
        teamId: a.identity.team.id,
        model: a.model,
        provider: a.provider,
        inputTokens: usage.inputTokens,
        outputTokens: usage.outputTokens,
        cacheCreationInputTokens: usage.cacheCreationInputTokens,
        cacheReadInputTokens: usage.cacheReadInputTokens,
        costMicros: a.free ? 0 : ctx.pricer.cost(a.model, usage),
        durationMs: Math.max(0, Math.round(ctx.now() - a.startedAt)),
        status,
        stream: a.stream,
        routedFrom: a.routing?.routedFrom ?? null,
        routingMethod: a.routing?.method ?? null,
        routingReason: a.routing?.reason ?? null,
        requestId: a.requestId,
        deployment: a.deployment?.name ?? null,
        tags: a.attribution?.tags ?? null,
        endUser: a.attribution?.endUser ?? null,
      };
      ctx.spend.record(row);
      a.deployment?.report(status);
      a.trace?.end({ status, usage, costMicros: row.costMicros });
      const end = ctx.now();
      const sent = this.#sentAt;
      ctx.metrics.attempt({
        door: a.door,
        model: a.model,
        provider: a.provider,
        status,
        usage,
        costMicros: row.costMicros,
        ttfbSeconds: sent !== null && this.#headersAt !== null ? (this.#headersAt - sent) / 1000 : null,
        upstreamSeconds: sent !== null ? (end - sent) / 1000 : null,
      });
      // Plan quotas count input + output tokens, as the plans table states them.
      a.admission.settle(row.costMicros, row.inputTokens + row.outputTokens);
    } finally {
      a.slot.drop();
      ctx.inflight.leave();
    }
    return true;
  }

  /** Finishes with no usage after a transport failure or a refused answer (nothing reached the client). */
  fail(status: number): void {
    this.finish(emptyUsage(), status);
  }

  /** Request id, rate limit and routing headers on a response for this attempt. */
  headers(headers: Headers): Headers {
    headers.set("x-snodus-request-id", this.requestId);
    for (const [name, value] of Object.entries(this.#init.admission.headers)) headers.set(name, value);
    if (this.routing) {
      headers.set("x-snodus-routed-model", this.model);
      headers.set("x-snodus-routing-reason", asciiHeader(this.routing.reason));
    }
    return headers;
  }

  /**
   * Reads a whole answer and finishes with what `read` makes of it. A client that left meanwhile is
   * recorded as 499 (it got nothing), a broken read as 502/504.
   */
  async whole(upstream: Response, read: (bytes: Uint8Array<ArrayBuffer>) => WholeAnswer): Promise<Response> {
    let answer: WholeAnswer;
    try {
      answer = read(await readWhole(upstream, this.#ctx.config.upstreamTimeoutMs, this.onCut));
    } catch (err) {
      this.fail(err instanceof GatewayError ? err.status : 502);
      throw err;
    }
    const status = this.#init.clientSignal.aborted ? CLIENT_CLOSED_STATUS : answer.status;
    this.finish(answer.usage, status);
    return new Response(answer.body, { status: answer.status, headers: this.headers(answer.headers) });
  }

  /**
   * Streams an answer: bytes go to the client as they arrive, the meter reads usage, and the attempt
   * finishes once when the stream ends however it ends (shutdown cuts it with the protocol's error).
   */
  stream(
    upstreamBody: ReadableStream<Uint8Array>,
    hooks: Omit<MeterHooks, "onFinish" | "idleTimeoutMs"> & {
      usage(): Usage;
      status(outcome: StreamOutcome): number;
    },
    status: number,
    headers: Headers,
  ): Response {
    const ctx = this.#ctx;
    let ended!: () => void;
    const end = new Promise<void>((resolve) => (ended = resolve));
    const stream = meteredStream(upstreamBody, {
      ...hooks,
      idleTimeoutMs: ctx.config.upstreamTimeoutMs,
      onFinish: (outcome) => {
        ended();
        this.finish(hooks.usage(), outcome === "shutdown" ? SHUTDOWN_STATUS : hooks.status(outcome));
        if (outcome !== "complete")
          ctx.log.info("stream ended early", { requestId: this.requestId, outcome });
      },
    });
    this.#cutStream = stream.cut;
    if (this.#cutRequested) queueMicrotask(stream.cut);
    this.headers(headers);
    headers.set("x-accel-buffering", "no");
    headers.set("cache-control", "no-cache");
    return endsWhen(new Response(stream.body, { status, headers }), end);
  }
}

/** The status a stream's spend row records: what the client effectively got. */
export function streamStatus(upstreamStatus: number, outcome: StreamOutcome, sawErrorEvent: boolean): number {
  if (outcome === "client_cancelled") return CLIENT_CLOSED_STATUS;
  if (outcome === "upstream_timeout") return 504;
  if (outcome === "shutdown") return SHUTDOWN_STATUS;
  if (outcome === "upstream_failed" || sawErrorEvent) return 502;
  return upstreamStatus;
}

/** Header values must be ASCII; a routing reason quoting the user's words may not be. */
function asciiHeader(value: string): string {
  return value.replace(/[^\x20-\x7e]/g, "?").slice(0, 512);
}
