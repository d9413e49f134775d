// The dashboard's sign-in cookie: HttpOnly, SameSite=Strict, scoped to /admin, and stateless so every
// gateway instance behind a load balancer accepts it without a shared session store.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Config } from "../../config/env.ts";
import { forbidden } from "../../errors.ts";
import { looksLikeKey } from "../keys/secret.ts";

export const SESSION_COOKIE = "snodus_session";
/** A browser session lasts a working day; signing in again is cheap. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
/** State-changing calls authenticated by the cookie must carry this header (see `csrfSafe`). */
export const CSRF_HEADER = "x-snodus-csrf";

/**
 * What the cookie holds:
 * - the global admin: `g.<expiry>.<HMAC>`, keyed by ADMIN_USERNAME/ADMIN_PASSWORD — the password never
 *   leaves the server, and changing it signs every browser out;
 * - an admin key: `k.<expiry>.<secret>` — the key itself, because the only server-side secret tied to it
 *   is its hash, which sits in the database, and a session forgeable from a database read would turn
 *   read access into admin access. Revoking or rotating the key ends the session at once.
 * Either way the cookie is HttpOnly, so page scripts never see it after sign-in.
 */
export type SessionCredential = { kind: "basic"; username: string } | { kind: "key"; secret: string };

export function issueSession(config: Config, credential: SessionCredential, now: number): string {
  const expiry = (now + SESSION_TTL_MS).toString(36);
  if (credential.kind === "key") return `k.${expiry}.${credential.secret}`;
  const password = config.adminPassword;
  if (!password) throw new Error("Basic sign-in needs ADMIN_PASSWORD");
  return `g.${expiry}.${mac(config.adminUsername, password.reveal(), expiry)}`;
}

/**
 * The `Authorization` header value a valid session cookie stands for, or null. The admin API then
 * authenticates it exactly like a header sent by curl, so there is one set of rules for both.
 */
export function sessionAuthorization(config: Config, headers: Headers, now: number): string | null {
  const token = readCookie(headers.get("cookie"), SESSION_COOKIE);
  if (!token) return null;
  const [kind, expiry, rest] = splitToken(token);
  if (!kind || !expiry || !rest) return null;
  const expiresAt = Number.parseInt(expiry, 36);
  if (!Number.isFinite(expiresAt) || expiresAt <= now) return null;
  if (kind === "k") return looksLikeKey(rest) ? `Bearer ${rest}` : null;
  if (kind !== "g" || !config.adminPassword) return null;
  const password = config.adminPassword.reveal();
  const expected = Buffer.from(mac(config.adminUsername, password, expiry));
  const given = Buffer.from(rest);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return `Basic ${Buffer.from(`${config.adminUsername}:${password}`).toString("base64")}`;
}

/**
 * Cross-site request forgery guard for cookie-authenticated calls. SameSite=Strict already keeps the
 * cookie off cross-site requests; the custom header also stops sibling subdomains (same site, other
 * origin), because a foreign page cannot add a header without a CORS preflight we never approve.
 */
export function csrfSafe(method: string, headers: Headers): boolean {
  if (method === "GET" || method === "HEAD" || method === "OPTIONS") return true;
  return headers.get(CSRF_HEADER) === "1";
}

/**
 * The headers the admin API authenticates: the request's own when it carries credentials (curl, scripts —
 * never sent by a browser on its own, so no forgery risk), else those the session cookie stands for.
 */
export function withSession(config: Config, request: Request, now: number): Headers {
  const headers = request.headers;
  if (headers.get("authorization") || headers.get("x-api-key")) return headers;
  const authorization = sessionAuthorization(config, headers, now);
  if (!authorization) return headers;
  if (!csrfSafe(request.method, headers))
    throw forbidden(
      `Admin calls that change state from the dashboard need the ${CSRF_HEADER}: 1 header`,
      "csrf",
    );
  const copy = new Headers(headers);
  copy.set("authorization", authorization);
  return copy;
}

export function sessionCookie(token: string, secure: boolean): string {
  return cookie(token, Math.floor(SESSION_TTL_MS / 1000), secure);
}

export function clearedSessionCookie(secure: boolean): string {
  return cookie("", 0, secure);
}

function cookie(value: string, maxAge: number, secure: boolean): string {
  const attrs = [
    `${SESSION_COOKIE}=${value}`,
    "Path=/admin",
    "HttpOnly",
    "SameSite=Strict",
    `Max-Age=${maxAge}`,
  ];
  if (secure) attrs.push("Secure");
  return attrs.join("; ");
}

function mac(username: string, password: string, expiry: string): string {
  // The key binds the credentials; the message binds the expiry, so a token cannot be extended.
  const key = createHmac("sha256", "snodus-dashboard-session").update(`${username}\0${password}`).digest();
  return createHmac("sha256", key).update(`g.${expiry}`).digest("base64url");
}

/** `g.<expiry>.<mac>` or `k.<expiry>.<secret>`; the secret may itself contain dots in theory, so split twice. */
function splitToken(token: string): [string?, string?, string?] {
  const a = token.indexOf(".");
  const b = token.indexOf(".", a + 1);
  if (a < 0 || b < 0) return [];
  return [token.slice(0, a), token.slice(a + 1, b), token.slice(b + 1)];
}

export function readCookie(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || null;
  }
  return null;
}
