// Who may call /admin/*: Basic auth for the global administrator, or an admin's virtual key confined to its team.
import { createHash, timingSafeEqual } from "node:crypto";
import { Elysia } from "elysia";
import type { Config } from "../../config/env.ts";
import { forbidden, GatewayError, rateLimited } from "../../errors.ts";
import { clientAddress } from "../../http/client-ip.ts";
import type { ProviderRegistry } from "../../providers/registry.ts";
import type { Store } from "../../store/types.ts";
import { authenticate, extractKey } from "../auth/authenticate.ts";
import type { KeyCache } from "../auth/key-cache.ts";
import { GLOBAL, type Scope } from "../auth/scope.ts";
import { withSession } from "../dashboard/session.ts";
import type { AttemptRequest, LimitStore } from "../limits/types.ts";

/** What the admin routes are built from; injected so tests can pass their own store and clock. */
export interface AdminDeps {
  store: Store;
  config: Config;
  /** The gateway's key cache: admin keys authenticate through it, and key changes invalidate it. */
  keys: KeyCache;
  /** Failed logins per address, across instances when limits live in Redis. */
  limits: LimitStore;
  now: () => number;
  /** Which providers serve which models, and whether they answer (for /admin/providers). */
  providers: ProviderRegistry;
}

/** Failed Basic logins one address may make per window before even correct ones are refused. */
export const LOGIN_FAILURES = 10;
export const LOGIN_WINDOW_MS = 15 * 60_000;

const challenge = { "www-authenticate": 'Bearer realm="snodus-admin"' };
const unauthorized = (message: string) =>
  new GatewayError(401, "authentication_error", message, { code: "unauthorized", headers: challenge });

const digest = (s: string) => createHash("sha256").update(s).digest();

export class AdminAuth {
  readonly #deps: Pick<AdminDeps, "config" | "keys" | "limits" | "now">;

  constructor(deps: Pick<AdminDeps, "config" | "keys" | "limits" | "now">) {
    this.#deps = deps;
  }

  get config(): Config {
    return this.#deps.config;
  }

  /** The scope a request acts in, or the 401/403/429 that refuses it. */
  async scopeOf(headers: Headers, ip: string): Promise<Scope> {
    const basic = /^Basic\s+(\S+)\s*$/i.exec(headers.get("authorization") ?? "");
    if (basic?.[1]) return this.#basic(basic[1], ip);
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
    return this.scopeOf(withSession(this.#deps.config, request, this.#deps.now()), ip);
  }

  #failures(op: AttemptRequest["op"], ip: string, now: number) {
    return this.#deps.limits.attempt({
      gate: "admin-login",
      subject: ip,
      max: LOGIN_FAILURES,
      windowMs: LOGIN_WINDOW_MS,
      now,
      op,
    });
  }

  async #basic(token: string, ip: string): Promise<Scope> {
    const { config, now } = this.#deps;
    if (!config.adminPassword) throw unauthorized("Basic auth is off: ADMIN_PASSWORD is not set");
    const gate = await this.#failures("check", ip, now());
    if (!gate.allowed) throw rateLimited("Too many failed admin logins from this address", gate.retryAfter);
    const decoded = Buffer.from(token, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    const user = colon < 0 ? decoded : decoded.slice(0, colon);
    const pass = colon < 0 ? "" : decoded.slice(colon + 1);
    // Compare digests so neither the length nor the first differing byte leaks through timing; both
    // comparisons always run.
    const userOk = timingSafeEqual(digest(user), digest(config.adminUsername));
    const passOk = timingSafeEqual(digest(pass), digest(config.adminPassword.reveal()));
    if (!(userOk && passOk)) {
      await this.#failures("record", ip, now());
      throw unauthorized("Invalid admin credentials");
    }
    return GLOBAL;
  }
}

/** Bun's view of the connection; null when the app is driven in-process (`app.handle`). */
interface PeerSource {
  requestIP(request: Request): { address: string } | null;
}

/** The client's address: the socket's, or X-Forwarded-For's behind SNODUS_TRUSTED_PROXIES (../../http/client-ip.ts). */
export function clientIp(server: PeerSource | null | undefined, request: Request, config: Config): string {
  return clientAddress(
    server?.requestIP(request)?.address,
    request.headers.get("x-forwarded-for"),
    config.trustedProxies,
  );
}

/**
 * The step every admin controller starts with: `scope` says who is asking. A `derive`, so it runs before
 * input validation (an unauthenticated caller learns nothing about the schemas: 401, not 422).
 * Deliberately unnamed: Elysia de-duplicates named plugins, and a de-duplicated scoped hook would reach
 * only the first controller.
 */
export function adminAuth(auth: AdminAuth) {
  return new Elysia().derive({ as: "scoped" }, async ({ request, server }) => ({
    scope: await auth.scopeOfRequest(request, clientIp(server, request, auth.config)),
  }));
}
