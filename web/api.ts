// The dashboard's only door to the server: same-origin fetches with the session cookie and the CSRF header.
import type { AdminErrorCode } from "../src/errors.ts";
import type { Principal } from "./types.ts";

/** Every state-changing admin call carries this header; a cross-site form or image cannot set it. */
export const CSRF_HEADER = "x-snodus-csrf";

/** The server's closed set of codes, plus the two the dashboard itself can tell: unreadable and unreachable. */
export type ApiErrorCode = AdminErrorCode | "error" | "network_error";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** "error" when the body was not the admin error shape (a proxy's HTML page, a network error). */
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

type Listener = () => void;
const signedOutListeners = new Set<Listener>();

/** The app listens here to drop back to the sign-in form when the session expires mid-use. */
export function onSignedOut(listener: Listener): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

const SESSION_ENDED = new Set<ApiErrorCode>(["key_revoked", "key_expired", "user_inactive", "not_admin"]);

export type Query = Record<string, string | number | undefined | null>;

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query))
    if (v !== undefined && v !== null && v !== "") params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/** Calls an admin route and returns its JSON; throws ApiError with the admin error's message. */
export async function request<T>(
  method: "GET" | "POST" | "PATCH" | "DELETE",
  path: string,
  body?: unknown,
  signal?: AbortSignal,
): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json", [CSRF_HEADER]: "1" };
  if (body !== undefined) headers["content-type"] = "application/json";
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
      signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    throw new ApiError(0, "network_error", "Cannot reach the gateway. Check your connection and retry.");
  }
  const text = await res.text();
  const json: unknown = text ? safeJson(text) : null;
  if (!res.ok) {
    const err = errorOf(json);
    // The session is gone when the cookie stops working (401) or its key was revoked, expired or demoted
    // (403 with those codes) — except on the sign-in call itself, whose form shows the reason.
    const ended = res.status === 401 || (res.status === 403 && SESSION_ENDED.has(err.code));
    if (ended && path !== "/admin/session") for (const l of signedOutListeners) l();
    throw new ApiError(res.status, err.code, err.message || `${res.status} ${res.statusText}`);
  }
  return json as T;
}

export const get = <T>(path: string, query?: Query, signal?: AbortSignal) =>
  request<T>("GET", withQuery(path, query), undefined, signal);

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The admin error shape is `{ error: { status, code, message } }`. */
function errorOf(json: unknown): { code: AdminErrorCode | "error"; message: string } {
  if (json && typeof json === "object" && "error" in json) {
    const e = (json as { error: unknown }).error;
    if (e && typeof e === "object") {
      const { code, message } = e as { code?: unknown; message?: unknown };
      return {
        // The server only sends codes of the closed set; anything else is treated as unknown.
        code: typeof code === "string" ? (code as AdminErrorCode) : "error",
        message: typeof message === "string" ? message : "",
      };
    }
  }
  return { code: "error", message: "" };
}

export const session = {
  /** null when signed out. */
  current: () => get<Principal | null>("/admin/session"),
  signIn: (credentials: { username: string; password: string } | { key: string }) =>
    request<Principal>("POST", "/admin/session", credentials),
  signOut: () => request<null>("DELETE", "/admin/session"),
};
