// The admin API's TypeBox schemas: Elysia validates every input with them and the OpenAPI document is built from them.
import { t } from "elysia";
import { PLAN_IDS } from "../../store/plans.ts";
import { MAX_BUDGET_CENTS, MAX_RATE_LIMIT } from "../account/ranges.ts";
import { ValidationError } from "../users/service.ts";

export const int = (description: string, opts: { minimum?: number; maximum?: number } = {}) =>
  t.Integer({ description, ...opts });
const nullableInt = (description: string) => t.Nullable(t.Integer({ description, minimum: 0 }));
/** A budget as input: its documented range (../account/ranges.ts) is part of the schema and the docs. */
const budgetInput = (description: string) =>
  t.Nullable(t.Integer({ description, minimum: 0, maximum: MAX_BUDGET_CENTS }));
export const timestamp = (description: string) => t.String({ format: "date-time", description });
export const uuid = (description: string) => t.String({ format: "uuid", description });
const planId = t.Union(
  PLAN_IDS.map((id) => t.Literal(id)),
  { description: "Plan id" },
);

/** The one admin error shape. `field` names the input at fault; `retry_after` comes with 429. */
export const ErrorBody = t.Object(
  {
    error: t.Object({
      status: t.Integer(),
      code: t.String({ description: "Machine-readable, e.g. not_found, validation_error, conflict" }),
      message: t.String(),
      field: t.Optional(t.String()),
      retry_after: t.Optional(t.Integer()),
    }),
  },
  { description: "Error" },
);

/** Errors every authenticated route can answer, plus the ones its input can cause. */
export const READ_ERRORS = { 401: ErrorBody, 403: ErrorBody, 422: ErrorBody, 429: ErrorBody } as const;
export const ID_ERRORS = { ...READ_ERRORS, 404: ErrorBody } as const;
export const WRITE_ERRORS = { ...ID_ERRORS, 400: ErrorBody, 409: ErrorBody } as const;

/**
 * Elysia drops properties a schema does not declare before validating. Body routes refuse them instead
 * (as a `transform` hook, which runs before validation), so `{"team_id": …}` on a key is a 422 rather
 * than a silent no-op.
 */
export function rejectUnknown(schema: { properties: object }) {
  const allowed = new Set(Object.keys(schema.properties));
  return ({ body }: { body: unknown }) => {
    if (!body || typeof body !== "object" || Array.isArray(body)) return;
    for (const field of Object.keys(body))
      if (!allowed.has(field)) throw new ValidationError(field, "is not a field of this request");
  };
}

/** limit/offset with their defaults applied. */
export const pageParams = (q: { limit?: number; offset?: number }) => ({
  limit: q.limit ?? 50,
  offset: q.offset ?? 0,
});

export const IdParams = t.Object({ id: uuid("Resource id") });

/**
 * An integer query parameter. Elysia converts query strings before checking them and loses the
 * parameter's name when a bound fails, so each carries its own field and reason (see known-errors.ts).
 */
export const queryInt = (name: string, min: number, max: number, fallback: number, description: string) =>
  t.Optional(
    t.Integer({
      minimum: min,
      maximum: max,
      default: fallback,
      description,
      error: () => ({ field: `query.${name}`, reason: `must be an integer from ${min} to ${max}` }),
    }),
  );

export const PageQuery = {
  limit: queryInt("limit", 1, 500, 50, "Page size (max 500)"),
  offset: queryInt("offset", 0, 1_000_000_000, 0, "Rows to skip"),
};

const paged = <T extends Parameters<typeof t.Array>[0]>(item: T, description: string) =>
  t.Object(
    {
      data: t.Array(item),
      total: int("Rows matching the filter, all pages together"),
      limit: int("Page size used"),
      offset: int("Rows skipped"),
    },
    { description },
  );

/** A model allow-list: exact model names or a prefix ending in `*`; null = no restriction. */
const allowedModels = (description: string) =>
  t.Nullable(t.Array(t.String({ minLength: 1, maxLength: 200 }), { maxItems: 100, description }));
const maxConcurrent = t.Nullable(
  t.Integer({ minimum: 1, maximum: 1_000_000, description: "Requests in flight at once; null = no cap" }),
);

// ── Keys ────────────────────────────────────────────────────────────────────────────────────────
const keyProps = {
  id: uuid("Key id"),
  name: t.String(),
  key_prefix: t.String({ description: "The first characters of the secret, for recognition" }),
  user_id: uuid("Owner"),
  team_id: uuid("The owner's team"),
  rate_limit: int("Requests per minute"),
  budget_monthly_cents: nullableInt("Monthly budget in cents; null = only the team's budget applies"),
  allowed_models: allowedModels("Models this key may use (its team's list applies too); null = all"),
  max_concurrent: maxConcurrent,
  status: t.Union([t.Literal("active"), t.Literal("expiring"), t.Literal("expired"), t.Literal("revoked")], {
    description: "expiring = rotated out, valid until expires_at",
  }),
  is_active: t.Boolean({ description: "false once revoked" }),
  expires_at: t.Nullable(timestamp("When a rotated-out key stops working")),
  replaced_by: t.Nullable(uuid("The key that replaced this one")),
  last_used_at: t.Nullable(timestamp("Last request (written in batches)")),
  created_at: timestamp("Creation time"),
};
export const KeyView = t.Object(keyProps, { description: "A virtual key (never its secret)" });
export const KeyList = paged(KeyView, "A page of keys");
export const KeyCreated = t.Object(
  { ...keyProps, api_key: t.String({ description: "The secret (sk-…). Shown once, never stored." }) },
  { description: "The new key and its secret" },
);
export const KeyRotated = t.Object(
  { ...keyProps, api_key: t.String({ description: "The new secret. Shown once." }), old_key: KeyView },
  { description: "The replacement key, its secret, and the old key (valid 24 h more)" },
);
const search = (what: string) =>
  t.Optional(t.String({ maxLength: 200, description: `Case-insensitive substring of ${what}` }));
const order = t.Optional(
  t.Union([t.Literal("oldest"), t.Literal("newest")], { description: "By creation time; default oldest" }),
);
export const KeyListQuery = t.Object({
  ...PageQuery,
  team_id: t.Optional(uuid("Only this team's keys")),
  user_id: t.Optional(uuid("Only this user's keys")),
  search: search("the key's name or prefix, or its owner's name or email"),
  status: t.Optional(
    t.Union([t.Literal("active"), t.Literal("revoked")], {
      description: "active = not revoked (expiring keys included); default both",
    }),
  ),
  order,
});
export const KeyCreateBody = t.Object(
  {
    user_id: t.Optional(uuid("Owner; defaults to the calling admin for a team admin's key")),
    name: t.String({ minLength: 1, maxLength: 100 }),
    rate_limit: t.Optional(int("Requests per minute (default 60)", { minimum: 1, maximum: MAX_RATE_LIMIT })),
    budget_monthly_cents: t.Optional(budgetInput("Monthly budget in cents; null = none of its own")),
    allowed_models: t.Optional(allowedModels('e.g. ["claude-*", "gpt-4o-mini"]; null = every model')),
    max_concurrent: t.Optional(maxConcurrent),
  },
  { additionalProperties: false },
);
export const KeyPatchBody = t.Object(
  {
    name: t.Optional(t.String({ minLength: 1, maxLength: 100 })),
    rate_limit: t.Optional(int("Requests per minute", { minimum: 1, maximum: MAX_RATE_LIMIT })),
    budget_monthly_cents: t.Optional(budgetInput("Monthly budget in cents; null = none of its own")),
    allowed_models: t.Optional(allowedModels("Replaces the list; null lifts the key's own restriction")),
    max_concurrent: t.Optional(maxConcurrent),
  },
  { additionalProperties: false, minProperties: 1 },
);

// ── Users and teams ─────────────────────────────────────────────────────────────────────────────
export const UserView = t.Object(
  {
    id: uuid("User id"),
    email: t.String(),
    name: t.String(),
    team_id: uuid("Team"),
    role: t.Union([t.Literal("admin"), t.Literal("member")]),
    is_active: t.Boolean(),
    created_at: timestamp("Creation time"),
  },
  { description: "A user" },
);
export const UserList = paged(UserView, "A page of users");
export const UserListQuery = t.Object({
  ...PageQuery,
  team_id: t.Optional(uuid("Only this team's users")),
  search: search("the user's name or email"),
  order,
});
export const UserCreateBody = t.Object(
  {
    email: t.String({ maxLength: 254 }),
    name: t.String({ minLength: 1, maxLength: 200 }),
    team_id: t.Optional(uuid("Team; defaults to the calling team admin's team")),
    role: t.Optional(t.Union([t.Literal("admin"), t.Literal("member")], { description: "Default member" })),
  },
  { additionalProperties: false },
);

export const UserPatchBody = t.Object(
  {
    name: t.Optional(t.String({ minLength: 1, maxLength: 200 })),
    role: t.Optional(t.Union([t.Literal("admin"), t.Literal("member")])),
    active: t.Optional(t.Boolean({ description: "false shuts every key of the user out (not revoked)" })),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const TeamPatchBody = t.Object(
  {
    name: t.Optional(t.String({ minLength: 1, maxLength: 200 })),
    budget_monthly_cents: t.Optional(
      budgetInput("Monthly budget in cents; null = unlimited. A team admin may only lower it"),
    ),
    allowed_models: t.Optional(
      allowedModels("Replaces the team's list; null lifts it (global administrator only)"),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const TeamView = t.Object(
  {
    id: uuid("Team id"),
    name: t.String(),
    plan: t.String(),
    budget_monthly_cents: nullableInt("Monthly budget in cents; null = unlimited"),
    allowed_models: allowedModels("Models the team's keys may use; null = all"),
    created_at: timestamp("Creation time"),
  },
  { description: "A team" },
);
export const TeamList = paged(TeamView, "A page of teams");
export const TeamCreateBody = t.Object(
  {
    name: t.String({ minLength: 1, maxLength: 200 }),
    plan: t.Optional(planId),
    budget_monthly_cents: t.Optional(budgetInput("Monthly budget in cents; null = unlimited")),
    allowed_models: t.Optional(allowedModels("Models the team's keys may use; null = all")),
  },
  { additionalProperties: false },
);
export const PlanChangeBody = t.Object({ plan: planId }, { additionalProperties: false });

export const PlanView = t.Object(
  {
    id: t.String(),
    name: t.String(),
    price_cents: t.Nullable(t.Integer({ description: "Monthly price; null = contact us" })),
    tokens_per_month: t.Nullable(t.Integer({ description: "null = unlimited" })),
    max_users: t.Nullable(t.Integer({ description: "null = unlimited" })),
    max_keys: t.Nullable(t.Integer({ description: "null = unlimited" })),
  },
  { description: "A plan" },
);
export const PlanList = t.Object({ data: t.Array(PlanView) });

export const ProviderList = t.Object({
  data: t.Array(
    t.Object({
      name: t.String(),
      configured: t.Boolean(),
      /** null when not configured (nothing to check). */
      reachable: t.Nullable(t.Boolean()),
      upstream_url: t.Nullable(t.String()),
      models: t.Array(t.String()),
      /** Several upstream keys or replicas, with their health in this process (empty with one). */
      deployments: t.Array(
        t.Object({
          name: t.String(),
          upstream_url: t.String(),
          /** Answers now (checked on this call). */
          reachable: t.Boolean(),
          weight: t.Number(),
          healthy: t.Boolean(),
          failures: t.Integer(),
          cooling_until: t.Nullable(t.String({ format: "date-time" })),
        }),
      ),
    }),
  ),
});

const progress = (description: string) =>
  t.Object(
    {
      used: t.Number(),
      limit: t.Nullable(t.Number({ description: "null = unlimited" })),
      fraction: t.Nullable(t.Number({ description: "used / limit; null = unlimited" })),
    },
    { description },
  );
export const AccountView = t.Object(
  {
    team: TeamView,
    plan: t.Nullable(PlanView),
    period: t.Object({ from: timestamp("Month start (UTC)"), to: timestamp("Next month start") }),
    tokens: progress("Input + output tokens this month vs the plan's quota"),
    spend_micros: progress("Spend this month in micro-dollars vs the team budget"),
    spend_cents: progress("The same in cents"),
    keys: progress("Active keys vs the plan's cap"),
    users: progress("Users vs the plan's cap"),
    requests: int("Requests this month"),
  },
  { description: "Account summary with progress" },
);

// ── Analytics ───────────────────────────────────────────────────────────────────────────────────
const range = {
  from: t.Optional(
    t.String({
      description: "Start, inclusive: YYYY-MM-DD (UTC) or an ISO 8601 date-time; default 30 days ago",
    }),
  ),
  to: t.Optional(
    t.String({
      description: "End, exclusive: an ISO date-time, or YYYY-MM-DD to include that whole day; default now",
    }),
  ),
  team_id: t.Optional(uuid("Only this team (a team admin always sees only their own)")),
  tag: t.Optional(
    t.String({ maxLength: 64, description: "Only requests carrying this tag (x-snodus-tags)" }),
  ),
  end_user: t.Optional(
    t.String({
      maxLength: 256,
      description: "Only requests of this end user (x-snodus-user, user, metadata.user_id)",
    }),
  ),
};
export const RangeQuery = t.Object(range);
export const RecentQuery = t.Object({
  ...range,
  limit: queryInt("limit", 1, 500, 50, "Rows (max 500)"),
  cursor: t.Optional(t.String({ description: "next_cursor of the previous page (same filters)" })),
  api_key_id: t.Optional(uuid("Only this key's requests")),
  user_id: t.Optional(uuid("Only this user's requests")),
  model: t.Optional(t.String({ maxLength: 200, description: "Exact model name" })),
  provider: t.Optional(t.String({ maxLength: 50, description: "Exact provider name" })),
  status: t.Optional(
    t.String({
      pattern: "^[1-5]([0-9]{2}|xx)$",
      description: "A status class (2xx, 4xx, 5xx …) or an exact status (429)",
      error: () => ({
        field: "query.status",
        reason: "must be a status class like 4xx or a status like 429",
      }),
    }),
  ),
  request_id: t.Optional(t.String({ maxLength: 200, description: "The x-snodus-request-id of one request" })),
});
