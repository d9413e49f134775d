// Who may call /admin/*: Basic auth for the global administrator, or an admin's virtual key confined to its team.
import { createHash, timingSafeEqual } from "node:crypto";
import { Elysia } from "elysia";
import type { Config } from "../../config/env.ts";
import { forbidden, GatewayError, rateLimited } from "../../errors.ts";
import { readAdminJson } from "../../http/body.ts";
import { clientAddress } from "../../http/client-ip.ts";
import type { Logger } from "../../log.ts";
import type { ProviderRegistry } from "../../providers/registry.ts";
import type { Store } from "../../store/types.ts";
import { authenticate, extractKey } from "../auth/authenticate.ts";
import type { KeyCache } from "../auth/key-cache.ts";
import { GLOBAL, type Scope } from "../auth/scope.ts";
import { withSession } from "../dashboard/session.ts";
import type { LimitStore } from "../limits/types.ts";

/** What the admin routes are built from; injected so tests can pass their own store and clock. */
export interface AdminDeps {
  store: Store;
  config: Config;
  /** The gateway's key cache: admin keys authenticate through it, and key changes invalidate it. */
  keys: KeyCache;
  /** Failed logins per address, across instances when limits live in Redis. */
  limits: LimitStore;
  now: () => number;
  /** For the one-time warning about an untrusted X-Forwarded-For. */
  log?: Logger;
  /** Which providers serve which models, and whether they answer (for /admin/providers). */
  providers: ProviderRegistry;
}

/**
 * Failed Basic logins allowed per (address, username), tier by tier: past a tier's `max` within its
 * window, logins for that pair are refused (429) until the window lets the oldest failure go. The wait
 * grows with the failures — a typo spree costs a minute, sustained guessing hours — instead of one
 * fixed 15-minute lockout. Sessions and admin keys are never throttled (see `scopeOfRequest`).
 */
export const LOGIN_TIERS = [
  { max: 5, windowMs: 60_000 },
  { max: 20, windowMs: 60 * 60_000 },
  { max: 100, windowMs: 24 * 60 * 60_000 },
] as const;
/** The first tier, which is what most people ever meet. */
export const LOGIN_FAILURES = LOGIN_TIERS[0].max;
export const LOGIN_WINDOW_MS = LOGIN_TIERS[0].windowMs;

const challenge = { "www-authenticate": 'Bearer realm="snodus-admin"' };
const unauthorized = (message: string) =>
  new GatewayError(401, "authentication_error", message, { code: "unauthorized", headers: challenge });

const digest = (s: string) => createHash("sha256").update(s).digest();

export class AdminAuth {
  readonly #deps: Pick<AdminDeps, "config" | "keys" | "limits" | "now" | "log">;

  constructor(deps: Pick<AdminDeps, "config" | "keys" | "limits" | "now" | "log">) {
    this.#deps = deps;
  }

  get config(): Config {
    return this.#deps.config;
  }

  /** The request's client address (see `clientIp`). */
  ipOf(server: PeerSource | null | undefined, request: Request): string {
    return clientIp(server, request, this.#deps.config, this.#deps.log);
  }

  /**
   * The scope a request acts in, or the 401/403/429 that refuses it. `fromSession`: the credentials
   * come from a valid session cookie, which proves the password was known at sign-in, so the
   * failed-login throttle does not apply (a stranger's guesses must not sign the admin out).
   */
  async scopeOf(headers: Headers, ip: string, fromSession = false): Promise<Scope> {
    const basic = /^Basic\s+(\S+)\s*$/i.exec(headers.get("authorization") ?? "");
    if (basic?.[1]) return this.#basic(basic[1], ip, fromSession);
    if (extractKey(headers)) {
      const { user, team } = await authenticate(headers, this.#deps.keys, this.#deps.now());
      if (user.role !== "admin") throw forbidden("This key's user is not an admin", "not_admin");
      return { kind: "team", teamId: team.id, userId: user.id };
    }
    throw unauthorized(
      "The admin API needs Basic auth (ADMIN_USERNAME:ADMIN_PASSWORD) or the virtual key of a user with role admin",
    );
  }

  /** As scopeOf, also accepting the dashboard's session cookie (with its CSRF header on writes). */
  scopeOfRequest(request: Request, ip: string): Promise<Scope> {
    const headers = withSession(this.#deps.config, request, this.#deps.now());
    return this.scopeOf(headers, ip, headers !== request.headers);
  }

  /** One gate per tier; the subject pairs the address with a digest of the username tried. */
  async #failures(op: "check" | "record", subject: string, now: number): Promise<number> {
    let retryAfter = 0;
    for (const [i, tier] of LOGIN_TIERS.entries()) {
      const gate = await this.#deps.limits.attempt({
        gate: i === 0 ? "admin-login" : `admin-login-${i}`,
        subject,
        max: tier.max,
        windowMs: tier.windowMs,
        now,
        op,
      });
      if (!gate.allowed) retryAfter = Math.max(retryAfter, gate.retryAfter);
    }
    return retryAfter;
  }

  async #basic(token: string, ip: string, fromSession: boolean): Promise<Scope> {
    const { config, now } = this.#deps;
    if (!config.adminPassword) throw unauthorized("Basic auth is off: ADMIN_PASSWORD is not set");
    const decoded = Buffer.from(token, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    const user = colon < 0 ? decoded : decoded.slice(0, colon);
    const pass = colon < 0 ? "" : decoded.slice(colon + 1);
    const subject = `${ip} ${digest(user).toString("base64url").slice(0, 22)}`;
    if (!fromSession) {
      const wait = await this.#failures("check", subject, now());
      if (wait > 0) throw rateLimited("Too many failed admin logins for this user from this address", wait);
    }
    // Compare digests so neither the length nor the first differing byte leaks through timing; both
    // comparisons always run.
    const userOk = timingSafeEqual(digest(user), digest(config.adminUsername));
    const passOk = timingSafeEqual(digest(pass), digest(config.adminPassword.reveal()));
    if (!(userOk && passOk)) {
      if (!fromSession) await this.#failures("record", subject, now());
      throw unauthorized("Invalid admin credentials");
    }
    return GLOBAL;
  }
}

/** Bun's view of the connection; null when the app is driven in-process (`app.handle`). */
interface PeerSource {
  requestIP(request: Request): { address: string } | null;
}

/** Gateways (by their config) that have already warned about an untrusted X-Forwarded-For. */
const warnedForwarded = new WeakSet<Config>();

/**
 * The client's address: the socket's, or X-Forwarded-For's behind SNODUS_TRUSTED_PROXIES
 * (../../http/client-ip.ts). The header from any other peer is ignored — with one warning per
 * process, because it usually means a load balancer that is not listed, and then every client
 * shares the balancer's throttles.
 */
export function clientIp(
  server: PeerSource | null | undefined,
  request: Request,
  config: Config,
  log?: Logger,
): string {
  const peer = server?.requestIP(request)?.address;
  const forwardedFor = request.headers.get("x-forwarded-for");
  const address = clientAddress(peer, forwardedFor, config.trustedProxies);
  if (log && peer && forwardedFor && address === peer && !warnedForwarded.has(config)) {
    warnedForwarded.add(config);
    log.warn(
      "X-Forwarded-For arrived from a peer that is not a trusted proxy and was ignored; if a load " +
        "balancer fronts Snodus, list it in SNODUS_TRUSTED_PROXIES, or every client shares its throttles",
      { peer },
    );
  }
  return address;
}

/**
 * The step every admin controller starts with: `scope` says who is asking. A `derive`, so it runs before
 * input validation (an unauthenticated caller learns nothing about the schemas: 401, not 422).
 * A request with a body is authenticated in the parse step instead, before a byte of the body is read,
 * and the body is read with the admin limits (src/http/body.ts); `derive` then reuses that scope.
 * Deliberately unnamed: Elysia de-duplicates named plugins, and a de-duplicated scoped hook would reach
 * only the first controller.
 */
export function adminAuth(auth: AdminAuth) {
  const authenticated = new WeakMap<Request, Scope>();
  return new Elysia()
    .onParse({ as: "scoped" }, async function adminBody({ request, server }) {
      authenticated.set(request, await auth.scopeOfRequest(request, auth.ipOf(server, request)));
      return readAdminJson(request);
    })
    .derive({ as: "scoped" }, async ({ request, server }) => ({
      scope: authenticated.get(request) ?? (await auth.scopeOfRequest(request, auth.ipOf(server, request))),
    }));
}
