// Upstream (OpenAI, Ollama) error replies re-shaped as Anthropic errors for clients that spoke Anthropic.

import type { ErrorKind } from "../../errors.ts";

export interface AnthropicErrorBody {
  type: "error";
  error: { type: ErrorKind; message: string };
}

/** Anthropic's error type for an HTTP status, as Anthropic itself pairs them. */
export function anthropicErrorKindForStatus(status: number): ErrorKind {
  switch (status) {
    case 400:
    case 422:
      return "invalid_request_error";
    case 401:
      return "authentication_error";
    case 402:
      return "billing_error";
    case 403:
      return "permission_error";
    case 404:
      return "not_found_error";
    case 408:
    case 504:
      return "timeout_error";
    case 413:
      return "request_too_large";
    case 429:
      return "rate_limit_error";
    case 503:
    case 529:
      return "overloaded_error";
    default:
      return status >= 500 ? "api_error" : "invalid_request_error";
  }
}

/** Anthropic's error type for the `type` of an OpenAI error object (e.g. one sent mid-stream). */
export function anthropicErrorKindForOpenAIType(type: string | undefined): ErrorKind {
  switch (type) {
    case "invalid_request_error":
      return "invalid_request_error";
    case "authentication_error":
      return "authentication_error";
    case "permission_error":
      return "permission_error";
    case "insufficient_quota":
      return "billing_error";
    case "rate_limit_exceeded":
    case "rate_limit_error":
    case "requests":
    case "tokens":
      return "rate_limit_error";
    default:
      return "api_error";
  }
}

/** The human-readable message of an OpenAI (`{error:{message}}`) or Ollama (`{error:"…"}`) error body. */
export function upstreamErrorMessage(body: unknown): string | null {
  if (typeof body !== "object" || body === null) return null;
  const error = (body as { error?: unknown }).error;
  if (typeof error === "string") return error;
  if (typeof error === "object" && error !== null) {
    const message = (error as { message?: unknown }).message;
    if (typeof message === "string") return message;
  }
  const message = (body as { message?: unknown }).message;
  return typeof message === "string" ? message : null;
}

/**
 * An upstream error reply in Anthropic's shape, keeping the upstream's status and message so the
 * client sees what went wrong (the message is the provider's, never a gateway secret).
 */
export function anthropicErrorFromUpstream(
  status: number,
  body: unknown,
  provider: string,
): AnthropicErrorBody {
  const message = upstreamErrorMessage(body) ?? `${provider} answered with status ${status}`;
  return { type: "error", error: { type: anthropicErrorKindForStatus(status), message } };
}
