// In-process rate limiter and budget book: the single-instance default and the fallback when Redis is down.
import { type AttemptDecision, AttemptLimiter } from "./attempts.ts";
import { gcra, gcraPeek, type RateDecision } from "./gcra.ts";
import type {
  AdmitRequest,
  AdmitResult,
  AttemptRequest,
  BudgetBook,
  LimitStore,
  RateLimiter,
  ReserveRequest,
  ReserveResult,
  Settlement,
  SlotDecision,
  SubjectUsage,
} from "./types.ts";

export class MemoryRateLimiter implements RateLimiter {
  readonly #tat = new Map<string, number>();

  async check(keyId: string, limit: number, now: number): Promise<RateDecision> {
    return this.checkSync(keyId, limit, now);
  }

  peek(keyId: string, limit: number, now: number): RateDecision {
    return gcraPeek(this.#tat.get(keyId) ?? 0, now, limit);
  }

  checkSync(keyId: string, limit: number, now: number): RateDecision {
    const step = gcra(this.#tat.get(keyId) ?? 0, now, limit);
    if (step.decision.allowed) this.#tat.set(keyId, step.tat);
    if (this.#tat.size > 100_000) this.#sweep(now);
    return step.decision;
  }

  // Entries whose TAT is in the past carry no state: forgetting them changes no decision.
  #sweep(now: number): void {
    for (const [k, tat] of this.#tat) if (tat <= now) this.#tat.delete(k);
  }
}

interface Counter {
  spent: number;
  reserved: number;
  tokens: number;
}

/** Month totals from the spend log, used to (re)build counters. */
export type MonthLoader = (
  month: string,
) => Promise<{ byKey: Map<string, SubjectUsage>; byTeam: Map<string, SubjectUsage> }>;

export class MemoryBudgetBook implements BudgetBook {
  readonly #months = new Map<string, Map<string, Counter>>();
  readonly #loading = new Map<string, Promise<void>>();
  readonly #load: MonthLoader;

  constructor(load: MonthLoader) {
    this.#load = load;
  }

  /** Rebuilds a month's settled figures from the spend log, keeping in-flight reservations. */
  async reload(month: string): Promise<void> {
    const { byKey, byTeam } = await this.#load(month);
    const old = this.#months.get(month);
    const fresh = new Map<string, Counter>();
    for (const [id, u] of byKey)
      fresh.set(`k:${id}`, { spent: u.spentMicros, tokens: u.tokens, reserved: 0 });
    for (const [id, u] of byTeam)
      fresh.set(`t:${id}`, { spent: u.spentMicros, tokens: u.tokens, reserved: 0 });
    if (old) {
      for (const [subject, c] of old) {
        if (c.reserved === 0) continue;
        const f = fresh.get(subject) ?? { spent: 0, tokens: 0, reserved: 0 };
        f.reserved = c.reserved;
        fresh.set(subject, f);
      }
    }
    this.#months.set(month, fresh);
  }

  #ensure(month: string): Promise<void> | null {
    if (this.#months.has(month)) return null;
    let p = this.#loading.get(month);
    if (!p) {
      p = this.reload(month).finally(() => this.#loading.delete(month));
      this.#loading.set(month, p);
    }
    return p;
  }

  #counter(month: string, subject: string): Counter {
    let m = this.#months.get(month);
    if (!m) {
      m = new Map();
      this.#months.set(month, m);
    }
    let c = m.get(subject);
    if (!c) {
      c = { spent: 0, reserved: 0, tokens: 0 };
      m.set(subject, c);
    }
    return c;
  }

  async reserve(req: ReserveRequest): Promise<ReserveResult> {
    const loading = this.#ensure(req.month);
    if (loading) await loading;
    // From here to the end the check and the reservation run without yielding: atomic in-process.
    const key = this.#counter(req.month, `k:${req.keyId}`);
    const team = this.#counter(req.month, `t:${req.teamId}`);
    if (req.teamTokenCap !== null && team.tokens >= req.teamTokenCap) {
      return { ok: false, subject: "plan", tokensUsed: team.tokens, tokenCap: req.teamTokenCap };
    }
    if (req.keyBudgetMicros !== null && key.spent + key.reserved + req.amountMicros > req.keyBudgetMicros) {
      return {
        ok: false,
        subject: "key",
        spentMicros: key.spent,
        reservedMicros: key.reserved,
        limitMicros: req.keyBudgetMicros,
      };
    }
    if (
      req.teamBudgetMicros !== null &&
      team.spent + team.reserved + req.amountMicros > req.teamBudgetMicros
    ) {
      return {
        ok: false,
        subject: "team",
        spentMicros: team.spent,
        reservedMicros: team.reserved,
        limitMicros: req.teamBudgetMicros,
      };
    }
    key.reserved += req.amountMicros;
    team.reserved += req.amountMicros;
    return { ok: true };
  }

  async settle(s: Settlement): Promise<void> {
    this.settleSync(s, true);
  }

  /** `release` false only records the cost (used to mirror spend that another store reserved). */
  settleSync(s: Settlement, release: boolean): void {
    for (const subject of [`k:${s.keyId}`, `t:${s.teamId}`]) {
      const c = this.#counter(s.month, subject);
      if (release) c.reserved = Math.max(0, c.reserved - s.amountMicros);
      c.spent += s.costMicros;
      c.tokens += s.tokens;
    }
  }

  async usage(kind: "key" | "team", id: string, month: string): Promise<SubjectUsage> {
    const loading = this.#ensure(month);
    if (loading) await loading;
    const c = this.#months.get(month)?.get(`${kind === "key" ? "k" : "t"}:${id}`);
    return { spentMicros: c?.spent ?? 0, tokens: c?.tokens ?? 0 };
  }

  /** Sum of all outstanding reservations, in µ$ (tests assert it returns to zero). */
  outstanding(): number {
    let total = 0;
    for (const m of this.#months.values())
      for (const [subject, c] of m) if (subject.startsWith("k:")) total += c.reserved;
    return total;
  }
}

/** Both in-process pieces behind the LimitStore contract: the default without REDIS_URL. */
export class MemoryLimitStore implements LimitStore {
  readonly rate = new MemoryRateLimiter();
  readonly book: MemoryBudgetBook;
  /** The attempt gates by name ("signup", "admin-login"). */
  readonly #gates = new Map<string, AttemptLimiter>();
  /** Leases in flight per key (concurrency caps). */
  readonly #slots = new Map<string, Set<string>>();

  constructor(load: MonthLoader) {
    this.book = new MemoryBudgetBook(load);
  }

  async attempt(req: AttemptRequest): Promise<AttemptDecision> {
    let gate = this.#gates.get(req.gate);
    if (!gate || gate.max !== req.max || gate.windowMs !== req.windowMs) {
      gate = new AttemptLimiter(req.max, req.windowMs);
      this.#gates.set(req.gate, gate);
    }
    if (req.op === "record") {
      gate.record(req.subject, req.now);
      return { allowed: true, retryAfter: 0 };
    }
    return req.op === "take" ? gate.take(req.subject, req.now) : gate.check(req.subject, req.now);
  }

  async admit(req: AdmitRequest): Promise<AdmitResult> {
    const rate =
      req.rateLimit > 0
        ? this.rate.checkSync(req.keyId, req.rateLimit, req.now)
        : { allowed: true, limit: 0, remaining: 0, resetSeconds: 0, retryAfterSeconds: 0 };
    if (!rate.allowed) return { rate, budget: null };
    return { rate, budget: await this.book.reserve(req) };
  }

  settle(s: Settlement): Promise<void> {
    return this.book.settle(s);
  }

  async takeSlot(keyId: string, leaseId: string, max: number): Promise<SlotDecision> {
    let held = this.#slots.get(keyId);
    if (!held) {
      held = new Set();
      this.#slots.set(keyId, held);
    }
    if (held.size >= max) return { taken: false, inFlight: held.size };
    held.add(leaseId);
    return { taken: true, inFlight: held.size };
  }

  async releaseSlot(keyId: string, leaseId: string): Promise<void> {
    const held = this.#slots.get(keyId);
    if (!held) return;
    held.delete(leaseId);
    if (held.size === 0) this.#slots.delete(keyId);
  }

  async inFlight(keyId: string): Promise<number> {
    return this.#slots.get(keyId)?.size ?? 0;
  }

  async rateState(keyId: string, limit: number, now: number): Promise<RateDecision> {
    return this.rate.peek(keyId, limit, now);
  }

  usage(kind: "key" | "team", id: string, month: string): Promise<SubjectUsage> {
    return this.book.usage(kind, id, month);
  }

  outstanding(): number {
    return this.book.outstanding();
  }

  status(): string {
    return "ok";
  }

  async close(): Promise<void> {}
}
