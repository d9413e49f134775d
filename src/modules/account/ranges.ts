// The documented ranges of every number an admin sets, checked in the services so the CLI and the API agree.
import { ValidationError } from "../users/service.ts";

/**
 * $1 billion a month. In µ$ that is 10^15, still exact as a JavaScript number (and far inside Postgres'
 * bigint), which the budget arithmetic relies on.
 */
export const MAX_BUDGET_CENTS = 100_000_000_000;

/** Requests per minute; the column is a 32-bit integer and nobody needs more than ~16 000 a second. */
export const MAX_RATE_LIMIT = 1_000_000;

/** A monthly budget in cents: null (none), or an integer from 0 to MAX_BUDGET_CENTS. */
export function validBudgetCents<T extends number | null | undefined>(value: T): T {
  if (value === null || value === undefined) return value;
  if (!Number.isInteger(value) || value < 0 || value > MAX_BUDGET_CENTS)
    throw new ValidationError(
      "budget_monthly_cents",
      `must be an integer from 0 to ${MAX_BUDGET_CENTS}, or null`,
    );
  return value;
}

/** A rate limit in requests per minute: an integer from 1 to MAX_RATE_LIMIT. */
export function validRateLimit<T extends number | undefined>(value: T): T {
  if (value === undefined) return value;
  if (!Number.isInteger(value) || value < 1 || value > MAX_RATE_LIMIT)
    throw new ValidationError("rate_limit", `must be an integer from 1 to ${MAX_RATE_LIMIT}`);
  return value;
}
