// The contracts of the limit stores (in-process or Redis) the request guard talks to.
import type { AttemptDecision } from "./attempts.ts";
import type { RateDecision } from "./gcra.ts";

export interface RateLimiter {
  check(keyId: string, limit: number, now: number): Promise<RateDecision>;
}

/** What one request asks of the budget book: reserve `amountMicros` against its key and team. */
export interface ReserveRequest {
  reservationId: string;
  month: string;
  keyId: string;
  teamId: string;
  /** null = unlimited */
  keyBudgetMicros: number | null;
  teamBudgetMicros: number | null;
  /** Plan token cap per month for the team; null = unlimited or plans off. */
  teamTokenCap: number | null;
  amountMicros: number;
}

export type ReserveResult =
  | { ok: true }
  | { ok: false; subject: "key" | "team"; spentMicros: number; reservedMicros: number; limitMicros: number }
  | { ok: false; subject: "plan"; tokensUsed: number; tokenCap: number };

export interface Settlement {
  reservationId: string;
  month: string;
  keyId: string;
  teamId: string;
  amountMicros: number;
  costMicros: number;
  tokens: number;
}

export interface SubjectUsage {
  spentMicros: number;
  tokens: number;
}

/** Rate limit and reservation in one step, so a shared store needs one round trip per request. */
export interface AdmitRequest extends ReserveRequest {
  rateLimit: number;
  now: number;
}

export interface AdmitResult {
  rate: RateDecision;
  /** null when the rate limit refused the request (nothing was reserved). */
  budget: ReserveResult | null;
}

/** One step of an "at most `max` per `windowMs`" gate on a subject (an address): signups, failed logins. */
export interface AttemptRequest {
  /** Which gate: "signup", "admin-login". */
  gate: string;
  subject: string;
  max: number;
  windowMs: number;
  now: number;
  /** check: ask only; record: count one; take: ask and count when allowed. */
  op: "check" | "record" | "take";
}

/** The result of asking for a concurrency slot: taken or not, and how many are in flight now. */
export interface SlotDecision {
  taken: boolean;
  inFlight: number;
}

/** Where limits live: this process, or Redis shared by every gateway instance. */
export interface LimitStore {
  /** One more request in flight for a key, if fewer than `max` are (exact across instances with Redis). */
  takeSlot(keyId: string, leaseId: string, max: number): Promise<SlotDecision>;
  /** Gives a slot back; releasing an unknown lease is harmless. */
  releaseSlot(keyId: string, leaseId: string): Promise<void>;
  /** Requests in flight for a key now. */
  inFlight(keyId: string): Promise<number>;
  /** A key's rate-limit allowance now, spending none of it. */
  rateState(keyId: string, limit: number, now: number): Promise<RateDecision>;
  admit(req: AdmitRequest): Promise<AdmitResult>;
  /** Per-address attempt gates, shared by every instance when limits are in Redis. */
  attempt(req: AttemptRequest): Promise<AttemptDecision>;
  settle(s: Settlement): Promise<void>;
  usage(kind: "key" | "team", id: string, month: string): Promise<SubjectUsage>;
  /** µ$ this instance has reserved and not yet settled (returns to 0 when idle). */
  outstanding(): number;
  /** "ok", or "degraded: …" while a shared store is unreachable. */
  status(): string;
  close(): Promise<void>;
}

export interface BudgetBook {
  reserve(req: ReserveRequest): Promise<ReserveResult>;
  /** Replaces the reservation by the real cost (0 when the request never reached the upstream). */
  settle(s: Settlement): Promise<void>;
  /** Settled spend and tokens of one subject in a month. */
  usage(kind: "key" | "team", id: string, month: string): Promise<SubjectUsage>;
}
