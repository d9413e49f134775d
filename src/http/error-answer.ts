// Renders any error a request raised as the answer in its client's protocol: the app's onError and the
// Bun-native /v1 routes share it, so both paths answer a failure byte for byte alike.
import { errorResponse, GatewayError, notFound, protocolForPath } from "../errors.ts";
import type { Logger } from "../log.ts";
import { requestIdOf } from "../modules/proxy/request-id.ts";
import { knownError } from "./known-errors.ts";

/** `code` is Elysia's error code ("NOT_FOUND", "PARSE", …) or "UNKNOWN" outside Elysia. */
export function errorAnswer(
  log: Logger,
  code: unknown,
  error: unknown,
  request: Request,
  path: string,
): Response {
  const protocol = protocolForPath(path);
  const requestId = requestIdOf(request);
  // GatewayErrors, the services' typed errors (404/409/422/403) and Elysia's PARSE/VALIDATION.
  const known = knownError(code, error);
  if (known) return errorResponse(protocol, known, requestId);
  if (code === "NOT_FOUND")
    return errorResponse(protocol, notFound(`No route for ${request.method} ${path}`), requestId);
  // Anything else is a bug: log it once with the request id; the client gets a generic 500.
  log.error("unhandled error", { requestId, path, err: error instanceof Error ? error : String(error) });
  return errorResponse(protocol, new GatewayError(500, "api_error", "Internal gateway error"), requestId);
}
