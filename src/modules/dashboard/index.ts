// GET /admin/ (the dashboard page and its bundled assets, embedded in the executable) and /admin/session
// (sign in, who am I, sign out) — the page itself needs no credentials; everything it shows does.
import { Elysia, t } from "elysia";
import { forbidden, GatewayError, notFound } from "../../errors.ts";
import { readAdminJson } from "../../http/body.ts";
import type { AdminAuth, AdminDeps } from "../admin/auth.ts";
import type { Scope } from "../auth/scope.ts";
import { DASHBOARD_ASSETS, DASHBOARD_HTML } from "./assets.gen.ts";
import {
  CSRF_HEADER,
  clearedSessionCookie,
  csrfSafe,
  issueSession,
  SESSION_COOKIE,
  sessionCookie,
} from "./session.ts";

/**
 * Only our own bundle may run, style or fetch; no framing (clickjacking); nothing else is loaded, which is
 * also what makes the dashboard work offline.
 */
const PAGE_HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "cache-control": "no-cache",
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

const SignInBody = t.Object(
  {
    username: t.Optional(t.String({ maxLength: 200 })),
    password: t.Optional(t.String({ maxLength: 1000 })),
    key: t.Optional(t.String({ maxLength: 200, description: "An admin virtual key (sk-…)" })),
  },
  { additionalProperties: false, description: "Either username and password, or key" },
);

const Principal = t.Union([
  t.Object({ kind: t.Literal("global"), username: t.String() }),
  t.Object({
    kind: t.Literal("team"),
    team: t.Object({ id: t.String(), name: t.String() }),
    user: t.Object({ id: t.String(), name: t.String(), email: t.String() }),
  }),
]);

const tags = ["dashboard"];

// Compressed once, on first request: the script shrinks about fourfold, which matters on a phone.
const gzipCache = new Map<string, Uint8Array<ArrayBuffer>>();
function gzipped(name: string, body: string): Uint8Array<ArrayBuffer> {
  let out = gzipCache.get(name);
  if (!out) {
    out = Bun.gzipSync(body);
    gzipCache.set(name, out);
  }
  return out;
}

export function dashboardRoutes(deps: AdminDeps, auth: AdminAuth) {
  const { config, store, now } = deps;

  async function principal(scope: Scope) {
    if (scope.kind === "global") return { kind: "global" as const, username: config.adminUsername };
    const [team, user] = await Promise.all([store.teams.get(scope.teamId), store.users.get(scope.userId)]);
    return {
      kind: "team" as const,
      team: { id: scope.teamId, name: team?.name ?? "" },
      user: { id: scope.userId, name: user?.name ?? "", email: user?.email ?? "" },
    };
  }

  // Behind a TLS-terminating proxy the request arrives over http; the cookie is Secure either way.
  const secure = (request: Request) =>
    request.url.startsWith("https:") || request.headers.get("x-forwarded-proto") === "https";

  const page = new Elysia()
    .get(
      "/admin/",
      ({ request, redirect }) =>
        // Elysia matches /admin and /admin/ alike; the page's relative asset URLs need the slash.
        new URL(request.url).pathname === "/admin"
          ? redirect("/admin/", 308)
          : new Response(DASHBOARD_HTML, { headers: PAGE_HEADERS }),
      { detail: { hide: true } },
    )
    .get(
      "/admin/assets/:file",
      ({ params, request }) => {
        const asset = DASHBOARD_ASSETS[params.file];
        if (!asset) throw notFound(`No dashboard asset ${params.file}`);
        const headers: Record<string, string> = {
          "content-type": asset.contentType,
          // Names are content hashes: a changed file is a new URL.
          "cache-control": "public, max-age=31536000, immutable",
          "x-content-type-options": "nosniff",
          vary: "accept-encoding",
        };
        if (!/\bgzip\b/.test(request.headers.get("accept-encoding") ?? ""))
          return new Response(asset.body, { headers });
        headers["content-encoding"] = "gzip";
        return new Response(gzipped(params.file, asset.body), { headers });
      },
      { detail: { hide: true } },
    );

  const signIn = new Elysia({ prefix: "/admin/session" })
    .post(
      "",
      async ({ body, request, server, set }) => {
        // A forged sign-in would put the victim's browser in the attacker's account.
        if (!csrfSafe("POST", request.headers))
          throw forbidden(`Sign-in needs the ${CSRF_HEADER}: 1 header`, "csrf");
        const credential = body.key?.trim()
          ? ({ kind: "key", secret: body.key.trim() } as const)
          : ({ kind: "basic", username: body.username ?? "" } as const);
        const authorization =
          credential.kind === "key"
            ? `Bearer ${credential.secret}`
            : `Basic ${Buffer.from(`${credential.username}:${body.password ?? ""}`).toString("base64")}`;
        // The admin API's own rules decide (admin role, revoked keys, failed-login throttling).
        const scope = await auth.scopeOf(new Headers({ authorization }), auth.ipOf(server, request));
        set.headers["set-cookie"] = sessionCookie(issueSession(config, credential, now()), secure(request));
        set.headers["cache-control"] = "no-store";
        return principal(scope);
      },
      {
        // The CSRF check needs no body, so a forged sign-in is refused before one is read.
        parse: ({ request }) => {
          if (!csrfSafe("POST", request.headers))
            throw forbidden(`Sign-in needs the ${CSRF_HEADER}: 1 header`, "csrf");
          return readAdminJson(request);
        },
        body: SignInBody,
        response: { 200: Principal },
        detail: { tags, summary: "Dashboard sign-in: sets an HttpOnly session cookie" },
      },
    )
    .delete(
      "",
      ({ request, set }) => {
        if (!csrfSafe("DELETE", request.headers))
          throw forbidden(`Sign-out needs the ${CSRF_HEADER}: 1 header`, "csrf");
        set.headers["set-cookie"] = clearedSessionCookie(secure(request));
        return null;
      },
      { detail: { tags, summary: "Dashboard sign-out: clears the session cookie" } },
    );

  // Not signed in is an ordinary answer here (null), not an error: the page asks this on every load.
  const whoAmI = new Elysia({ prefix: "/admin/session" }).get(
    "",
    async ({ request, server, set }) => {
      set.headers["cache-control"] = "no-store";
      try {
        return await principal(await auth.scopeOfRequest(request, auth.ipOf(server, request)));
      } catch (err) {
        if (!(err instanceof GatewayError) || (err.status !== 401 && err.status !== 403)) throw err;
        // A revoked key or a changed password: drop the dead cookie too.
        if (request.headers.get("cookie")?.includes(SESSION_COOKIE))
          set.headers["set-cookie"] = clearedSessionCookie(secure(request));
        return null;
      }
    },
    {
      response: { 200: t.Nullable(Principal) },
      detail: { tags, summary: "Who the session (or credentials) act for; null when signed out" },
    },
  );

  return new Elysia({ name: "dashboard" }).use(page).use(signIn).use(whoAmI);
}
