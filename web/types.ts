// The admin API's JSON, as the dashboard reads it (mirrors src/modules/admin/schemas.ts).

/** Who is signed in (GET /admin/session). */
export type Principal =
  | { kind: "global"; username: string }
  | { kind: "team"; team: { id: string; name: string }; user: { id: string; name: string; email: string } };

export interface Paged<T> {
  data: T[];
  total: number;
  limit: number;
  offset: number;
}

export type KeyStatus = "active" | "expiring" | "expired" | "revoked";

export interface Key {
  id: string;
  name: string;
  key_prefix: string;
  user_id: string;
  team_id: string;
  rate_limit: number;
  allowed_models: string[] | null;
  max_concurrent: number | null;
  budget_monthly_cents: number | null;
  status: KeyStatus;
  is_active: boolean;
  expires_at: string | null;
  replaced_by: string | null;
  last_used_at: string | null;
  created_at: string;
}

export interface KeyCreated extends Key {
  api_key: string;
}

export interface KeyRotated extends KeyCreated {
  old_key: Key;
}

export type Role = "admin" | "member";

export interface User {
  id: string;
  email: string;
  name: string;
  team_id: string;
  role: Role;
  is_active: boolean;
  created_at: string;
}

export interface Team {
  id: string;
  name: string;
  plan: string;
  budget_monthly_cents: number | null;
  created_at: string;
}

export interface Plan {
  id: string;
  name: string;
  price_cents: number | null;
  tokens_per_month: number | null;
  max_users: number | null;
  max_keys: number | null;
}

export interface Progress {
  used: number;
  limit: number | null;
  fraction: number | null;
}

export interface Account {
  team: Team;
  plan: Plan | null;
  period: { from: string; to: string };
  tokens: Progress;
  spend_micros: Progress;
  spend_cents: Progress;
  keys: Progress;
  users: Progress;
  requests: number;
}

export interface Figures {
  requests: number;
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  cost_micros: number;
  cost_cents: number;
}

export interface Report<Row> {
  from: string;
  to: string;
  team_id: string | null;
  data: (Row & Figures)[];
}

export interface DailyReport extends Report<{ day: string }> {
  totals: Figures;
}
export type ModelReport = Report<{ model: string; provider: string }>;
export type UserReport = Report<{ user_id: string; email: string | null; name: string | null }>;
export type KeyReport = Report<{
  api_key_id: string;
  name: string | null;
  key_prefix: string | null;
  user_id: string | null;
}>;
export type RoutingDailyReport = Report<{ day: string; tier: string | null; rule: string; model: string }>;
export interface RoutingReport
  extends Report<{ routed_from: string; routing_method: string | null; model: string }> {
  requests: number;
  routed_requests: number;
}

export interface SpendRow {
  id: string;
  created_at: string;
  request_id: string;
  team_id: string;
  user_id: string;
  api_key_id: string;
  model: string;
  provider: string;
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  cost_micros: number;
  cost_cents: number;
  duration_ms: number;
  status: number;
  stream: boolean;
  routed_from: string | null;
  routing_method: string | null;
  routing_reason: string | null;
  tags: string[];
  end_user: string | null;
  deployment: string | null;
}

export interface RecentReport {
  data: SpendRow[];
  next_cursor: string | null;
}

export interface RoutingMethodRow {
  method: string;
  requests: number;
  tiers: { cheap: number; middle: number; top: number; other: number };
  cost_micros: number;
  always_top_micros: number | null;
  saving_micros: number | null;
  sticky_requests: number;
  sticky_cache_read_tokens: number;
  background_requests: number;
}
export interface RoutingMethodsReport {
  from: string;
  to: string;
  team_id: string | null;
  top_model: string | null;
  data: RoutingMethodRow[];
}

/** One upstream provider as GET /admin/providers lists it. */
export interface ProviderInfo {
  name: string;
  configured: boolean;
  reachable: boolean | null;
  upstream_url: string | null;
  models: string[];
  deployments: {
    name: string;
    upstream_url: string;
    reachable: boolean;
    weight: number;
    healthy: boolean;
    failures: number;
    cooling_until: string | null;
  }[];
}

/** The figures of /admin/analytics/latency for one group (and period). */
export interface LatencyFigures {
  requests: number;
  errors_4xx: number;
  client_closed: number;
  errors_5xx: number;
  error_rate: number;
  p50_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
}

export interface LatencyReport {
  from: string;
  to: string;
  team_id: string | null;
  bucket: "hour" | "day";
  group: "model" | "provider";
  /** Largest relative error of a percentile. */
  resolution: number;
  series: (LatencyFigures & { bucket_start: string; group: string })[];
  totals: (LatencyFigures & { group: string })[];
}
