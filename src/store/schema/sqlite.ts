// SQLite tables; every export name and column mirrors ./postgres.ts (checked in ./parity.ts).
import { sql } from "drizzle-orm";
import {
  customType,
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";
import { LATENCY_BUCKETS } from "../latency-buckets.ts";

// Timestamps are integer milliseconds so ordering and range queries stay index-friendly.
const createdAt = () =>
  integer("created_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch('subsec') * 1000)`);

/** A list of model names or `prefix*` patterns, kept as JSON text (null = every model). */
const modelList = customType<{ data: string[]; driverData: string }>({
  dataType: () => "text",
  toDriver: (value) => JSON.stringify(value),
  fromDriver: (value) => JSON.parse(value) as string[],
});

export const plans = sqliteTable("plans", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  priceCents: integer("price_cents"),
  tokensPerMonth: integer("tokens_per_month"),
  maxUsers: integer("max_users"),
  maxKeys: integer("max_keys"),
});

export const teams = sqliteTable(
  "teams",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull().unique(),
    budgetMonthlyCents: integer("budget_monthly_cents"),
    plan: text("plan").notNull().default("free"),
    allowedModels: modelList("allowed_models"),
    createdAt: createdAt(),
  },
  // Company names are unique whatever their case ("Acme" blocks "acme"), at signup and in the admin API.
  (t) => [uniqueIndex("teams_name_lower_key").on(sql`lower(${t.name})`)],
);

export const users = sqliteTable(
  "users",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull().unique(),
    name: text("name").notNull(),
    teamId: text("team_id")
      .notNull()
      .references(() => teams.id),
    role: text("role", { enum: ["admin", "member"] })
      .notNull()
      .default("member"),
    isActive: integer("is_active", { mode: "boolean" }).notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [index("users_team_idx").on(t.teamId)],
);

export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    keyHash: text("key_hash").notNull().unique(),
    keyPrefix: text("key_prefix").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    name: text("name").notNull(),
    rateLimit: integer("rate_limit").notNull().default(60),
    budgetMonthlyCents: integer("budget_monthly_cents"),
    isActive: integer("is_active", { mode: "boolean" }).notNull().default(true),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }),
    replacedBy: text("replaced_by"),
    lastUsedAt: integer("last_used_at", { mode: "timestamp_ms" }),
    allowedModels: modelList("allowed_models"),
    maxConcurrent: integer("max_concurrent"),
    createdAt: createdAt(),
  },
  (t) => [index("api_keys_user_idx").on(t.userId)],
);

export const spendLog = sqliteTable(
  "spend_log",
  {
    id: text("id").primaryKey(),
    createdAt: createdAt(),
    apiKeyId: text("api_key_id").notNull(),
    userId: text("user_id").notNull(),
    teamId: text("team_id").notNull(),
    model: text("model").notNull(),
    provider: text("provider").notNull(),
    inputTokens: integer("input_tokens").notNull().default(0),
    outputTokens: integer("output_tokens").notNull().default(0),
    cacheCreationInputTokens: integer("cache_creation_input_tokens").notNull().default(0),
    cacheReadInputTokens: integer("cache_read_input_tokens").notNull().default(0),
    costMicros: integer("cost_micros").notNull().default(0),
    durationMs: integer("duration_ms").notNull().default(0),
    status: integer("status").notNull(),
    stream: integer("stream", { mode: "boolean" }).notNull().default(false),
    routedFrom: text("routed_from"),
    routingMethod: text("routing_method"),
    routingReason: text("routing_reason"),
    requestId: text("request_id").notNull(),
    /** Which of the provider's deployments (upstream keys or replicas) served it; null when it has one. */
    deployment: text("deployment"),
    /** The request's tags, comma-separated (each tag is [A-Za-z0-9._:/-]), or null. */
    tags: text("tags"),
    /** The end user the client named (x-snodus-user, OpenAI's user, Anthropic's metadata.user_id). */
    endUser: text("end_user"),
  },
  (t) => [
    index("spend_key_time_idx").on(t.apiKeyId, t.createdAt),
    index("spend_team_time_idx").on(t.teamId, t.createdAt),
    index("spend_model_time_idx").on(t.model, t.createdAt),
    index("spend_time_idx").on(t.createdAt),
  ],
);

/** A request count: one column per rollup counter and per latency bucket. */
const counter = () => integer().notNull().default(0);

/** d0 … d77: requests whose duration fell in each bucket of ../latency-buckets.ts. */
const durationBuckets = () =>
  Object.fromEntries(Array.from({ length: LATENCY_BUCKETS }, (_, i) => [`d${i}`, counter()])) as Record<
    `d${number}`,
    ReturnType<typeof counter>
  >;

/** The latency rollups' counters (both tables): requests, errors by class, the duration histogram. */
const latencyCounters = () => ({
  requests: counter(),
  /** Status 400–498 (499 is counted as clientClosed). */
  errors4xx: integer("errors_4xx").notNull().default(0),
  /** Status 499: the client left before the answer ended. */
  clientClosed: integer("client_closed").notNull().default(0),
  /** Status ≥ 500. */
  errors5xx: integer("errors_5xx").notNull().default(0),
  ...durationBuckets(),
});

/**
 * Requests, errors and a duration histogram per UTC hour, team, model and provider, added to in the
 * spend batch's own transaction (../latency-rollup.ts), so latency percentiles never read raw rows.
 */
export const latencyHourly = sqliteTable(
  "latency_hourly",
  {
    /** The UTC hour the requests started in. */
    hour: integer("hour", { mode: "timestamp_ms" }).notNull(),
    teamId: text("team_id").notNull(),
    model: text("model").notNull(),
    provider: text("provider").notNull(),
    ...latencyCounters(),
  },
  (t) => [
    primaryKey({ columns: [t.hour, t.teamId, t.model, t.provider] }),
    index("latency_team_hour_idx").on(t.teamId, t.hour),
  ],
);

/**
 * The same summed over every team, written beside it: the all-teams view reads hours × models rows
 * instead of hours × teams × models (at 50 teams, 456 000 rows for 90 days became 10 800).
 */
export const latencyHourlyAll = sqliteTable(
  "latency_hourly_all",
  {
    hour: integer("hour", { mode: "timestamp_ms" }).notNull(),
    model: text("model").notNull(),
    provider: text("provider").notNull(),
    ...latencyCounters(),
  },
  (t) => [primaryKey({ columns: [t.hour, t.model, t.provider] })],
);

// Daily rollups of spend_log, upserted in the same transaction as each batch of spend rows (see
// ../rollup.ts). `day` is the UTC calendar day, YYYY-MM-DD. Nullable spend columns are kept NOT NULL
// here (a key column cannot be NULL): "" stands for NULL and "=" + value for a value, so "" stays exact.
const rollupSums = () => ({
  requests: integer("requests").notNull(),
  inputTokens: integer("input_tokens").notNull(),
  outputTokens: integer("output_tokens").notNull(),
  cacheCreationInputTokens: integer("cache_creation_input_tokens").notNull(),
  cacheReadInputTokens: integer("cache_read_input_tokens").notNull(),
  costMicros: integer("cost_micros").notNull(),
  /** Rows whose status was 400 or above. */
  errors: integer("errors").notNull(),
  durationMs: integer("duration_ms").notNull(),
});

/** Per day, team, model, provider and routing decision: the daily, model, provider and routing reports. */
export const spendDailyModel = sqliteTable(
  "spend_daily_model",
  {
    day: text("day").notNull(),
    teamId: text("team_id").notNull(),
    model: text("model").notNull(),
    provider: text("provider").notNull(),
    routedFrom: text("routed_from").notNull(),
    routingMethod: text("routing_method").notNull(),
    /** The routing reason up to its first " (" (the rule, not the per-request figures). */
    routingRule: text("routing_rule").notNull(),
    ...rollupSums(),
  },
  (t) => [
    primaryKey({
      name: "spend_daily_model_pk",
      columns: [t.day, t.teamId, t.model, t.provider, t.routedFrom, t.routingMethod, t.routingRule],
    }),
    index("spend_daily_model_team_idx").on(t.teamId, t.day),
  ],
);

/** Per day, team, user and key: the user and key reports, budgets and chargeback. */
export const spendDailyKey = sqliteTable(
  "spend_daily_key",
  {
    day: text("day").notNull(),
    teamId: text("team_id").notNull(),
    userId: text("user_id").notNull(),
    apiKeyId: text("api_key_id").notNull(),
    ...rollupSums(),
  },
  (t) => [
    primaryKey({ name: "spend_daily_key_pk", columns: [t.day, t.teamId, t.userId, t.apiKeyId] }),
    index("spend_daily_key_team_idx").on(t.teamId, t.day),
  ],
);

/**
 * Per calendar month, team, user and key: the whole months of a long range, so a 90-day report over
 * thousands of keys reads a few thousand rows, not one per key per day (spend_daily_key).
 */
export const spendMonthlyKey = sqliteTable(
  "spend_monthly_key",
  {
    /** The UTC calendar month, YYYY-MM. */
    month: text("month").notNull(),
    teamId: text("team_id").notNull(),
    userId: text("user_id").notNull(),
    apiKeyId: text("api_key_id").notNull(),
    ...rollupSums(),
  },
  (t) => [
    primaryKey({ name: "spend_monthly_key_pk", columns: [t.month, t.teamId, t.userId, t.apiKeyId] }),
    index("spend_monthly_key_team_idx").on(t.teamId, t.month),
  ],
);
