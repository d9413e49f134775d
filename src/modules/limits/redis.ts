// Limits shared by every gateway instance through Redis: one Lua round trip per request, one per settle.
import { RedisClient } from "bun";
import type { AttemptDecision } from "./attempts.ts";
import { gcraPeek, type RateDecision } from "./gcra.ts";
import { ADMIT, ATTEMPT, SEED, SETTLE, SLOT_COUNT, SLOT_TAKE } from "./lua.ts";
import type { MonthLoader } from "./memory.ts";
import type {
  AdmitRequest,
  AdmitResult,
  AttemptRequest,
  ReserveResult,
  Settlement,
  SlotDecision,
  SubjectUsage,
} from "./types.ts";

/** Liveness of this instance's reservations and slots: refreshed every second, gone 5 s after a crash. */
const LIVENESS_TTL_MS = 5_000;
/** A key's slot hash outlives its last request by this much (garbage collection, not correctness). */
const SLOT_HASH_TTL_MS = 86_400_000;

export interface RedisLimitsOptions {
  url: string;
  /** Namespaces every key, so tests (and co-tenants) can share one Redis. */
  prefix: string;
  instanceId?: string;
  load: MonthLoader;
}

export class RedisLimits {
  readonly client: RedisClient;
  readonly #prefix: string;
  #instance: string;
  readonly #load: MonthLoader;
  readonly #shas = new Map<string, string>();
  readonly #seeding = new Map<string, Promise<void>>();
  #heartbeat: ReturnType<typeof setInterval> | null = null;
  #attemptSeq = 0;

  constructor(opts: RedisLimitsOptions) {
    // No offline queue: while Redis is down commands fail at once and the caller falls back to memory.
    this.client = new RedisClient(opts.url, {
      autoReconnect: false,
      enableOfflineQueue: false,
      connectionTimeout: 2_000,
    });
    this.#prefix = opts.prefix;
    this.#instance = opts.instanceId ?? Bun.randomUUIDv7();
    this.#load = opts.load;
  }

  async connect(): Promise<void> {
    await this.client.connect();
    await this.#beat();
    this.#heartbeat ??= setInterval(() => void this.#beat().catch(() => {}), 1_000);
    this.#heartbeat.unref?.();
  }

  #beat(): Promise<unknown> {
    return this.client.send("SET", [
      `${this.#prefix}:inst:${this.#instance}`,
      "1",
      "PX",
      String(LIVENESS_TTL_MS),
    ]);
  }

  async #eval(script: string, keys: string[], args: (string | number)[]): Promise<unknown> {
    let sha = this.#shas.get(script);
    if (!sha) {
      sha = String(await this.client.send("SCRIPT", ["LOAD", script]));
      this.#shas.set(script, sha);
    }
    const argv = [sha, String(keys.length), ...keys, ...args.map(String)];
    try {
      return await this.client.send("EVALSHA", argv);
    } catch (err) {
      // After a Redis restart the script cache is empty: load it again once.
      if (!String(err).includes("NOSCRIPT")) throw err;
      this.#shas.delete(script);
      return this.#eval(script, keys, args);
    }
  }

  #budgetKey(month: string, subject: string): string {
    return `${this.#prefix}:b:${month}:${subject}`;
  }

  async attempt(req: AttemptRequest): Promise<AttemptDecision> {
    const key = `${this.#prefix}:att:${req.gate}:${req.subject}`;
    // A member unique per attempt: two instances counting in the same millisecond both count.
    const member = `${req.now}:${this.#instance}:${++this.#attemptSeq}`;
    const [allowed, retryMs] = (
      (await this.#eval(ATTEMPT, [key], [req.now, req.windowMs, req.max, req.op, member])) as number[]
    ).map(Number);
    return allowed === 1
      ? { allowed: true, retryAfter: 0 }
      : { allowed: false, retryAfter: Math.max(1, Math.ceil((retryMs ?? 0) / 1000)) };
  }

  async admit(req: AdmitRequest): Promise<AdmitResult> {
    const keys = [
      `${this.#prefix}:rl:${req.keyId}`,
      this.#budgetKey(req.month, `k:${req.keyId}`),
      this.#budgetKey(req.month, `t:${req.teamId}`),
      `${this.#prefix}:seeded:${req.month}`,
    ];
    const args = [
      req.now,
      req.rateLimit,
      req.amountMicros,
      req.keyBudgetMicros ?? -1,
      req.teamBudgetMicros ?? -1,
      req.teamTokenCap ?? -1,
      `r:${this.#instance}`,
      `${this.#prefix}:inst:`,
    ];
    let out = (await this.#eval(ADMIT, keys, args)) as number[];
    if (out[4] === -1) {
      await this.seed(req.month);
      out = (await this.#eval(ADMIT, keys, args)) as number[];
    }
    const [rateOk, remaining, resetMs, retryMs, code, spent, reserved] = out.map(Number) as number[];
    const rate: RateDecision = {
      allowed: rateOk === 1,
      limit: req.rateLimit,
      remaining: remaining ?? 0,
      resetSeconds: Math.ceil((resetMs ?? 0) / 1000),
      retryAfterSeconds: rateOk === 1 ? 0 : Math.max(1, Math.ceil((retryMs ?? 0) / 1000)),
    };
    if (!rate.allowed) return { rate, budget: null };
    return { rate, budget: budgetResult(code ?? 0, spent ?? 0, reserved ?? 0, req) };
  }

  async takeSlot(keyId: string, leaseId: string, max: number): Promise<SlotDecision> {
    const [taken, inFlight] = (
      (await this.#eval(
        SLOT_TAKE,
        [`${this.#prefix}:conc:${keyId}`],
        [`${this.#instance}|${leaseId}`, this.#instance, max, `${this.#prefix}:inst:`, SLOT_HASH_TTL_MS],
      )) as number[]
    ).map(Number);
    return { taken: taken === 1, inFlight: inFlight ?? 0 };
  }

  async releaseSlot(keyId: string, leaseId: string): Promise<void> {
    await this.client.send("HDEL", [`${this.#prefix}:conc:${keyId}`, `${this.#instance}|${leaseId}`]);
  }

  async inFlight(keyId: string): Promise<number> {
    return Number(await this.#eval(SLOT_COUNT, [`${this.#prefix}:conc:${keyId}`], [`${this.#prefix}:inst:`]));
  }

  async rateState(keyId: string, limit: number, now: number): Promise<RateDecision> {
    const tat = await this.client.send("GET", [`${this.#prefix}:rl:${keyId}`]);
    return gcraPeek(Number(tat ?? 0), now, limit);
  }

  async settle(s: Settlement): Promise<void> {
    await this.#eval(
      SETTLE,
      [this.#budgetKey(s.month, `k:${s.keyId}`), this.#budgetKey(s.month, `t:${s.teamId}`)],
      [`r:${this.#instance}`, s.amountMicros, s.costMicros, s.tokens],
    );
  }

  async usage(kind: "key" | "team", id: string, month: string): Promise<SubjectUsage> {
    const h = this.#budgetKey(month, `${kind === "key" ? "k" : "t"}:${id}`);
    const [spent, tokens] = (await this.client.send("HMGET", [h, "spent", "tokens"])) as (string | null)[];
    return { spentMicros: Number(spent ?? 0), tokens: Number(tokens ?? 0) };
  }

  /** Overwrites a month's settled figures from the spend log (at first use, and after an outage). */
  seed(month: string): Promise<void> {
    let p = this.#seeding.get(month);
    if (!p) {
      p = (async () => {
        const { byKey, byTeam } = await this.#load(month);
        const triples: (string | number)[] = [];
        for (const [id, u] of byKey) triples.push(`k:${id}`, u.spentMicros, u.tokens);
        for (const [id, u] of byTeam) triples.push(`t:${id}`, u.spentMicros, u.tokens);
        await this.#eval(
          SEED,
          [`${this.#prefix}:seeded:${month}`],
          [`${this.#prefix}:b:${month}:`, ...triples],
        );
      })().finally(() => this.#seeding.delete(month));
      this.#seeding.set(month, p);
    }
    return p;
  }

  /** Forgets that these months are seeded, so figures are rebuilt from the spend log on next use. */
  async invalidateSeeds(months: string[]): Promise<void> {
    await this.client.send(
      "DEL",
      months.map((m) => `${this.#prefix}:seeded:${m}`),
    );
  }

  /**
   * Takes a new instance id. After an outage our old reservation fields may be stale in Redis;
   * with a new id they stop counting once the old liveness key expires.
   */
  renewInstance(): void {
    this.#instance = Bun.randomUUIDv7();
  }

  close(): void {
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    this.#heartbeat = null;
    this.client.close();
  }
}

function budgetResult(code: number, spent: number, reserved: number, req: AdmitRequest): ReserveResult {
  if (code === 0) return { ok: true };
  if (code === 3) return { ok: false, subject: "plan", tokensUsed: spent, tokenCap: req.teamTokenCap ?? 0 };
  const key = code === 1;
  return {
    ok: false,
    subject: key ? "key" : "team",
    spentMicros: spent,
    reservedMicros: reserved,
    limitMicros: (key ? req.keyBudgetMicros : req.teamBudgetMicros) ?? 0,
  };
}
