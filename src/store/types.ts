// The store's public contract: plain row types and the repository interface every dialect implements.
import type { ReportLane } from "../modules/analytics/jobs.ts";

export type Role = "admin" | "member";

export interface Team {
  id: string;
  name: string;
  budgetMonthlyCents: number | null;
  plan: string;
  /** Models the team's keys may use (exact names or `prefix*`); null = every model. */
  allowedModels: string[] | null;
  createdAt: Date;
}

export interface User {
  id: string;
  email: string;
  name: string;
  teamId: string;
  role: Role;
  isActive: boolean;
  createdAt: Date;
}

export interface ApiKey {
  id: string;
  keyHash: string;
  keyPrefix: string;
  userId: string;
  name: string;
  rateLimit: number;
  budgetMonthlyCents: number | null;
  isActive: boolean;
  expiresAt: Date | null;
  replacedBy: string | null;
  lastUsedAt: Date | null;
  /** Models this key may use (exact names or `prefix*`); null = every model its team allows. */
  allowedModels: string[] | null;
  /** Requests this key may have in flight at once; null = no cap. */
  maxConcurrent: number | null;
  createdAt: Date;
}

/** What the hot path needs to authorise a request, resolved in one lookup. */
export interface KeyIdentity {
  key: ApiKey;
  user: User;
  team: Team;
}

export interface Plan {
  id: string;
  name: string;
  priceCents: number | null;
  /** null = unlimited */
  tokensPerMonth: number | null;
  maxUsers: number | null;
  maxKeys: number | null;
}

export interface SpendRow {
  id: string;
  createdAt: Date;
  apiKeyId: string;
  userId: string;
  teamId: string;
  model: string;
  provider: string;
  inputTokens: number;
  outputTokens: number;
  cacheCreationInputTokens: number;
  cacheReadInputTokens: number;
  costMicros: number;
  durationMs: number;
  status: number;
  stream: boolean;
  routedFrom: string | null;
  routingMethod: string | null;
  routingReason: string | null;
  requestId: string;
  /** Which of the provider's deployments (upstream keys or replicas) served it; null when it has one. */
  deployment?: string | null;
  /** Comma-separated request tags (x-snodus-tags); null or absent = none. */
  tags?: string | null;
  /** The end user the client named; null or absent = none. */
  endUser?: string | null;
}

export interface NewTeam {
  name: string;
  budgetMonthlyCents?: number | null;
  plan?: string;
  allowedModels?: string[] | null;
}

export interface NewUser {
  email: string;
  name: string;
  teamId: string;
  role?: Role;
}

export interface NewKey {
  userId: string;
  name: string;
  keyHash: string;
  keyPrefix: string;
  rateLimit?: number;
  budgetMonthlyCents?: number | null;
  expiresAt?: Date | null;
  allowedModels?: string[] | null;
  maxConcurrent?: number | null;
}

export interface KeyPatch {
  name?: string;
  rateLimit?: number;
  budgetMonthlyCents?: number | null;
  allowedModels?: string[] | null;
  maxConcurrent?: number | null;
}

export interface UserPatch {
  name?: string;
  role?: Role;
  isActive?: boolean;
}

export interface TeamPatch {
  name?: string;
  budgetMonthlyCents?: number | null;
  plan?: string;
  allowedModels?: string[] | null;
}

/** Aggregated spend of one subject (key or team) over a period. */
export interface SpendTotals {
  costMicros: number;
  inputTokens: number;
  outputTokens: number;
  requests: number;
}

export interface SpendFilter {
  from?: Date;
  to?: Date;
  teamId?: string;
  apiKeyId?: string;
  userId?: string;
  model?: string;
  provider?: string;
  /** Status between these, inclusive (e.g. 400–499 for "4xx"). */
  statusMin?: number;
  statusMax?: number;
  requestId?: string;
  /** Rows carrying this tag. */
  tag?: string;
  /** Rows attributed to this end user. */
  endUser?: string;
}

/** Narrowing of the key and user lists (admin search). */
export interface ListFilter {
  teamId?: string;
  /** Case-insensitive substring of the name, prefix/email, or (keys) the owner's name or email. */
  search?: string;
  /** Newest first instead of oldest first. */
  newestFirst?: boolean;
}

export interface KeyListFilter extends ListFilter {
  userId?: string;
  /** true: only active keys, false: only revoked ones. */
  active?: boolean;
}

/** One page of a list: `limit` rows from `offset`, and how many rows match in all. */
export interface Page {
  limit: number;
  offset: number;
}

export interface Paged<T> {
  rows: T[];
  total: number;
}

/** What a report shows beside a key id. */
export interface KeyLabel {
  id: string;
  name: string;
  keyPrefix: string;
  userId: string;
}

/** A key with the team it belongs to (through its user), so admin views can be scoped and labelled. */
export interface TeamKey {
  key: ApiKey;
  teamId: string;
}

/** What spend can be grouped by; `day` is the UTC calendar day of `created_at` (YYYY-MM-DD). */
export type SpendDimension =
  | "day"
  | "model"
  | "provider"
  | "userId"
  | "apiKeyId"
  | "teamId"
  /** The UTC calendar month of `created_at` (YYYY-MM). */
  | "month"
  | "routedFrom"
  | "routingMethod"
  /** The routing reason up to its first " (": the rule without the per-request figures (bounded cardinality). */
  | "routingRule";

/** Totals of one group of spend rows; `dims` holds the group's value for each requested dimension. */
export interface SpendGroup extends SpendTotals {
  dims: Partial<Record<SpendDimension, string | null>>;
  cacheCreationInputTokens: number;
  cacheReadInputTokens: number;
  /** Rows whose status was 400 or above. */
  errors: number;
  durationMsTotal: number;
}

/** A position in the spend log: a row's created_at in µs since the epoch (exact in both dialects) and id. */
export interface SpendCursor {
  micros: number;
  id: string;
}

/** One chunk of a keyset scan over (created_at, id); `next` resumes after its last row, null at the end. */
export interface SpendScan {
  rows: SpendRow[];
  next: SpendCursor | null;
}

/** A latency report's question: a range of whole UTC hours, periods of an hour or a day, and a grouping. */
export interface LatencyQuery {
  from: Date;
  to: Date;
  teamId?: string;
  bucket: "hour" | "day";
  group: "model" | "provider";
}

/** One period × group of the latency rollup: counters and the merged duration histogram. */
export interface LatencyPoint {
  /** The period's start, ms since the epoch (UTC). */
  startMs: number;
  /** The model or provider name. */
  group: string;
  requests: number;
  /** Status 400–498. */
  errors4xx: number;
  /** Status 499 (the client left). */
  clientClosed: number;
  /** Status ≥ 500. */
  errors5xx: number;
  /** Requests per duration bucket (store/latency-buckets.ts). */
  histogram: number[];
}

/** Everything a self-service signup creates, written in one transaction. */
export interface SignupInput {
  team: { name: string; plan: string };
  user: { email: string; name: string };
  key: { name: string; keyHash: string; keyPrefix: string; rateLimit: number };
}

export interface SignupResult {
  team: Team;
  user: User;
  key: ApiKey;
}

/** Errors the store raises that callers turn into user-facing messages. */
export class StoreConflictError extends Error {
  constructor(readonly field: string) {
    super(`${field} already exists`);
    this.name = "StoreConflictError";
  }
}

export class StoreNotFoundError extends Error {
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(`${entity} ${id} not found`);
    this.name = "StoreNotFoundError";
  }
}

/** A capped insert found the team at its cap (`count` rows already). */
export class StoreCapError extends Error {
  constructor(readonly count: number) {
    super(`cap reached (${count})`);
    this.name = "StoreCapError";
  }
}

export type Dialect = "sqlite" | "postgres";

/**
 * The repository every part of Snodus talks to. Two implementations (SQLite, Postgres)
 * share one body of queries; callers never learn which dialect is behind it.
 */
export interface Store {
  readonly dialect: Dialect;

  teams: {
    create(input: NewTeam): Promise<Team>;
    get(id: string): Promise<Team | null>;
    list(): Promise<Team[]>;
    update(id: string, patch: TeamPatch): Promise<Team>;
    /** A page of teams, oldest first; `teamId` narrows it to one team (a team admin's view). */
    listPage(filter: { teamId?: string }, page: Page): Promise<Paged<Team>>;
  };

  users: {
    /** With `cap`, only while the team has fewer than `cap.max` users (else StoreCapError), atomically. */
    create(input: NewUser, cap?: { max: number }): Promise<User>;
    get(id: string): Promise<User | null>;
    list(filter?: { teamId?: string }): Promise<User[]>;
    countByTeam(teamId: string): Promise<number>;
    update(id: string, patch: UserPatch): Promise<User>;
    /** Deactivating a user shuts every one of their keys out without revoking them. */
    setActive(id: string, active: boolean): Promise<User>;
    /** A page of users, oldest first, optionally of one team. */
    listPage(filter: ListFilter, page: Page): Promise<Paged<User>>;
    getMany(ids: string[]): Promise<User[]>;
  };

  keys: {
    /** With `cap`, only while the team has fewer than `cap.max` active keys (else StoreCapError), atomically. */
    create(input: NewKey, cap?: { teamId: string; max: number }): Promise<ApiKey>;
    get(id: string): Promise<ApiKey | null>;
    list(filter?: { teamId?: string; userId?: string }): Promise<ApiKey[]>;
    /** Active (not revoked) keys of a team, for plan caps. */
    countActiveByTeam(teamId: string): Promise<number>;
    update(id: string, patch: KeyPatch): Promise<ApiKey>;
    /** Key + user + team for a key hash, or null. The hot path's only store read. */
    identityByHash(keyHash: string): Promise<KeyIdentity | null>;
    /** Name, prefix and owner of many keys (report labels): far less to carry than identitiesByIds. */
    labels(ids: string[]): Promise<KeyLabel[]>;
    /** Fresh identities of many keys in one query; the auth cache revalidates with this. */
    identitiesByIds(ids: string[]): Promise<KeyIdentity[]>;
    /** Marks the old key to expire at `expiresAt` and links it to its replacement. */
    markRotated(id: string, replacedBy: string, expiresAt: Date): Promise<void>;
    revoke(id: string): Promise<ApiKey>;
    /** Batched `last_used_at` update (one statement per flush, not per request). */
    touch(lastUsed: Map<string, Date>): Promise<void>;
    /** A page of keys with their team, oldest first, optionally of one team and/or user. */
    listPage(filter: KeyListFilter, page: Page): Promise<Paged<TeamKey>>;
  };

  plans: {
    list(): Promise<Plan[]>;
    get(id: string): Promise<Plan | null>;
  };

  spend: {
    insertMany(rows: SpendRow[]): Promise<void>;
    totalsByKey(from: Date, to: Date): Promise<Map<string, SpendTotals>>;
    totalsByTeam(from: Date, to: Date): Promise<Map<string, SpendTotals>>;
    count(filter?: SpendFilter): Promise<number>;
    recent(limit: number, filter?: SpendFilter): Promise<SpendRow[]>;
    /** Totals grouped by the given dimensions (for the analytics routes). */
    groupBy(dimensions: SpendDimension[], filter?: SpendFilter): Promise<SpendGroup[]>;
    /** Rows in (created_at, id) order, `limit` at a time, resuming after `after` (keyset, no OFFSET). */
    scan(
      filter: SpendFilter,
      opts: { after?: SpendCursor | null; limit: number; order: "asc" | "desc" },
    ): Promise<SpendScan>;
  };

  latency: {
    /** The hourly latency rollup summed per period and group (maintained with every spend batch). */
    series(query: LatencyQuery): Promise<LatencyPoint[]>;
    /** Recomputes the rollup from every spend row (idempotent; spend writes wait meanwhile). */
    rebuild(): Promise<void>;
  };

  /** Team, admin user and key of a self-service signup, in one transaction (all or nothing). */
  signup(input: SignupInput): Promise<SignupResult>;

  /** A cheap round trip to tell whether the store answers. */
  ping(): Promise<void>;
  close(): Promise<void>;

  /**
   * Where whole reports run, off the caller's thread: a worker thread with its own connection (SQLite's
   * report lane; Postgres when opened with `reportLane`). Absent, they run inline (see reportsOf).
   */
  readonly reportLane?: ReportLane;
}
