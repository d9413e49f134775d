// One error model for the gateway, rendered in the shape of the protocol the client spoke.

/** The protocols whose error envelopes we render. */
export type Protocol = "anthropic" | "openai" | "ollama" | "admin";

/** Anthropic's error `type` names; OpenAI and admin shapes are derived from them. */
export type ErrorKind =
  | "invalid_request_error"
  | "authentication_error"
  | "billing_error"
  | "permission_error"
  | "not_found_error"
  | "request_too_large"
  | "rate_limit_error"
  | "api_error"
  | "timeout_error"
  | "overloaded_error";

/**
 * The closed set of machine-readable codes clients and the dashboard may match on. Adding one is a
 * compile-time change everywhere it is matched (web/api.ts shares this type).
 */
export type ErrorCode =
  | "budget_exceeded"
  | "rate_limit_exceeded"
  | "concurrency_limit_exceeded"
  | "model_not_allowed"
  | "plan_limit_reached"
  | "key_revoked"
  | "key_expired"
  | "user_inactive"
  | "not_admin"
  | "unauthorized"
  | "forbidden"
  | "csrf"
  | "not_found"
  | "conflict"
  | "invalid_json"
  | "invalid_utf8"
  | "invalid_string"
  | "json_too_deep"
  | "request_timeout"
  | "store_unavailable"
  | "validation_error"
  | "upgrade_required";

/** What the admin error shape's `code` holds: a specific code, or the error's kind when it has none. */
export type AdminErrorCode = ErrorCode | ErrorKind;

/** An error the gateway itself raises. Handlers throw it; one renderer turns it into a response. */
export class GatewayError extends Error {
  constructor(
    readonly status: number,
    readonly kind: ErrorKind,
    message: string,
    readonly extra: {
      retryAfter?: number;
      code?: ErrorCode;
      headers?: Record<string, string>;
      /** The input field at fault (admin validation errors), so forms can point at it. */
      field?: string;
    } = {},
  ) {
    super(message);
    this.name = "GatewayError";
  }
}

export const badRequest = (message: string, code?: ErrorCode) =>
  new GatewayError(400, "invalid_request_error", message, { code });
export const unauthorized = (message: string) => new GatewayError(401, "authentication_error", message);
export const budgetExceeded = (message: string, headers?: Record<string, string>) =>
  new GatewayError(402, "billing_error", message, { code: "budget_exceeded", headers });
export const forbidden = (message: string, code?: ErrorCode, headers?: Record<string, string>) =>
  new GatewayError(403, "permission_error", message, { code, headers });
export const notFound = (message: string) => new GatewayError(404, "not_found_error", message);
export const tooLarge = (message: string) => new GatewayError(413, "request_too_large", message);
export const rateLimited = (message: string, retryAfter: number, headers: Record<string, string> = {}) =>
  new GatewayError(429, "rate_limit_error", message, { retryAfter, code: "rate_limit_exceeded", headers });
/** The gateway's own database does not answer: try again shortly (a client's retry logic knows 503). */
export const storeUnavailable = (retryAfter: number) =>
  new GatewayError(503, "api_error", "The gateway's database is unavailable; retry shortly", {
    retryAfter,
    code: "store_unavailable",
  });
export const upstreamUnavailable = (message: string) => new GatewayError(502, "api_error", message);
export const upstreamTimeout = (message: string) => new GatewayError(504, "timeout_error", message);

// OpenAI's `type` values for the same situations.
const OPENAI_TYPE: Record<ErrorKind, string> = {
  invalid_request_error: "invalid_request_error",
  authentication_error: "invalid_request_error",
  billing_error: "insufficient_quota",
  permission_error: "permission_error",
  not_found_error: "invalid_request_error",
  request_too_large: "invalid_request_error",
  rate_limit_error: "rate_limit_exceeded",
  api_error: "api_error",
  timeout_error: "timeout",
  overloaded_error: "server_error",
};

/** The JSON body for an error in the given protocol's shape. */
export function errorBody(
  protocol: Protocol,
  err: GatewayError,
  requestId?: string,
): Record<string, unknown> {
  const retry = err.extra.retryAfter === undefined ? {} : { retry_after: err.extra.retryAfter };
  if (protocol === "anthropic") {
    return {
      type: "error",
      error: { type: err.kind, message: err.message, ...retry },
      ...(requestId ? { request_id: requestId } : {}),
      ...retry,
    };
  }
  if (protocol === "openai") {
    return {
      error: {
        message: err.message,
        type: OPENAI_TYPE[err.kind],
        param: null,
        code: err.extra.code ?? null,
        ...retry,
      },
      ...retry,
    };
  }
  // Ollama's clients read one string; the status says the rest.
  if (protocol === "ollama") return { error: err.message };
  const field = err.extra.field === undefined ? {} : { field: err.extra.field };
  return {
    error: { status: err.status, code: err.extra.code ?? err.kind, message: err.message, ...field, ...retry },
  };
}

const NOT_RETRYABLE = new Set([401, 402, 403]);

/** A complete Response for a gateway error, with Retry-After and request-id headers where they apply. */
export function errorResponse(protocol: Protocol, err: GatewayError, requestId?: string): Response {
  const headers: Record<string, string> = { "content-type": "application/json", ...err.extra.headers };
  if (requestId) {
    // `request-id` is what Anthropic's clients read; ours names the spend row, as on every /v1 response.
    headers["request-id"] = requestId;
    headers["x-snodus-request-id"] = requestId;
  }
  if (err.extra.retryAfter !== undefined) headers["retry-after"] = String(err.extra.retryAfter);
  // The SDKs and Claude Code retry on their own unless told not to; a bad key or a spent budget
  // will not get better by retrying. 429 and 5xx keep their retry hints.
  if (NOT_RETRYABLE.has(err.status)) headers["x-should-retry"] = "false";
  return new Response(JSON.stringify(errorBody(protocol, err, requestId)), { status: err.status, headers });
}

const OPENAI_PATHS = ["/v1/chat/completions", "/v1/responses", "/v1/embeddings"];

/** Which envelope a path's clients expect. */
export function protocolForPath(path: string): Protocol {
  if (OPENAI_PATHS.some((p) => path.startsWith(p))) return "openai";
  if (path.startsWith("/v1/")) return "anthropic";
  if (path.startsWith("/api/")) return "ollama";
  return "admin";
}

/** Request ids are time-ordered so they sort with the spend log. */
export const newRequestId = () => `req_${Bun.randomUUIDv7().replaceAll("-", "")}`;
