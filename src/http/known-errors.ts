// Maps the errors services and Elysia raise to GatewayErrors, so the app's one onError renders them all.
import { type ErrorCode, GatewayError } from "../errors.ts";
import { ForbiddenError } from "../modules/auth/scope.ts";
import { PlanLimitError } from "../modules/plans/caps.ts";
import { ValidationError } from "../modules/users/service.ts";
import { StoreConflictError, StoreNotFoundError } from "../store/types.ts";
import { storeErrorResponse } from "./store-errors.ts";

const invalid = (status: 400 | 422, code: ErrorCode, message: string, field?: string) =>
  new GatewayError(status, "invalid_request_error", message, { code, field });

/** The GatewayError an error stands for, or null when it is unexpected (a bug: logged, generic 500). */
export function knownError(code: unknown, error: unknown): GatewayError | null {
  if (error instanceof GatewayError) return error;
  // Elysia wraps whatever a body parser throws (our 401/413/400 from src/http/body.ts) in a ParseError.
  if (code === "PARSE" && error instanceof Error && error.cause instanceof GatewayError) return error.cause;
  if (error instanceof StoreNotFoundError) {
    const entity = error.entity.charAt(0).toUpperCase() + error.entity.slice(1);
    return new GatewayError(404, "not_found_error", `${entity} ${error.id} not found`, { code: "not_found" });
  }
  if (error instanceof StoreConflictError)
    return new GatewayError(
      409,
      "invalid_request_error",
      `A record with this ${error.field} already exists`,
      {
        code: "conflict",
        field: error.field,
      },
    );
  if (error instanceof ValidationError) return invalid(422, "validation_error", error.message, error.field);
  if (error instanceof PlanLimitError)
    return new GatewayError(403, "permission_error", error.message, { code: "plan_limit_reached" });
  if (error instanceof ForbiddenError)
    return new GatewayError(403, "permission_error", error.message, { code: "forbidden" });
  const unavailable = storeErrorResponse(error);
  if (unavailable) return unavailable;
  if (code === "PARSE") return invalid(400, "invalid_json", "The request body is not valid JSON");
  if (code === "VALIDATION") return validationError(error);
  return null;
}

interface ElysiaValidation {
  type?: unknown;
  all?: unknown;
  /** A schema's own `error` option, when the failing schema has one. */
  customError?: unknown;
}

interface Finding {
  path?: unknown;
  value?: unknown;
  schema?: unknown;
  summary?: unknown;
  message?: unknown;
}

type Schema = Record<string, unknown>;

/** What a value must be, in words, from the JSON schema it failed ("an integer ≥ 1", "a UUID"). */
function expected(schema: Schema): string | null {
  const anyOf = Array.isArray(schema.anyOf) ? (schema.anyOf as Schema[]) : null;
  if (anyOf) {
    // Elysia's t.Integer also admits numeric strings; the contract is the integer.
    const real = anyOf.filter(
      (s) => !(s.type === "string" && (s.format === "integer" || s.format === "numeric")),
    );
    if (real.length && real.every((s) => "const" in s))
      return `one of ${real.map((s) => String(s.const)).join(", ")}`;
    const parts = real.map((s) => (s.type === "null" ? "null" : expected(s))).filter(Boolean);
    return parts.length ? parts.join(" or ") : null;
  }
  const bounds = (unit = "") =>
    [
      typeof schema.minimum === "number" ? `≥ ${schema.minimum}${unit}` : "",
      typeof schema.maximum === "number" ? `≤ ${schema.maximum}${unit}` : "",
    ]
      .filter(Boolean)
      .join(" and ");
  switch (schema.type) {
    case "integer":
    case "number": {
      const b = bounds();
      return `${schema.type === "integer" ? "an integer" : "a number"}${b ? ` ${b}` : ""}`;
    }
    case "string": {
      if (schema.format === "uuid") return "a UUID";
      if (schema.format === "date-time") return "an ISO 8601 date-time";
      const min = typeof schema.minLength === "number" ? schema.minLength : 0;
      const max = typeof schema.maxLength === "number" ? schema.maxLength : null;
      if (max !== null) return `a string of ${min}–${max} characters`;
      return min > 0 ? "a non-empty string" : "a string";
    }
    case "boolean":
      return "true or false";
    case "object":
      return typeof schema.minProperties === "number" ? "an object with at least one field" : null;
    default:
      return null;
  }
}

/**
 * Elysia's validation error carries TypeBox's findings; its message is a multi-line JSON dump. Name the
 * first failing field and why, e.g. `body.rate_limit must be an integer ≥ 1`.
 */
function validationError(error: unknown): GatewayError {
  const e = (error ?? {}) as ElysiaValidation;
  const custom = e.customError as { field?: unknown; reason?: unknown } | undefined;
  if (custom && typeof custom.field === "string" && typeof custom.reason === "string")
    return invalid(422, "validation_error", `${custom.field} ${custom.reason}`, custom.field);
  const on = typeof e.type === "string" ? e.type : "request";
  const first = (Array.isArray(e.all) ? e.all[0] : undefined) as Finding | undefined;
  const path = typeof first?.path === "string" ? first.path.replace(/^\//, "").replaceAll("/", ".") : "";
  const field = path ? `${on}.${path}` : on;
  const wanted = first?.schema && typeof first.schema === "object" ? expected(first.schema as Schema) : null;
  const reason =
    path && first?.value === undefined
      ? "is required"
      : wanted
        ? `must be ${wanted}`
        : String(first?.summary || first?.message || "is invalid");
  return invalid(422, "validation_error", `${field} ${reason}`, field);
}
