// /admin/ serves the embedded bundle with strict headers; the session cookie is HttpOnly, SameSite=Strict,
// and useless to a forged cross-site request; the embedded copy of web/ is current.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync } from "node:fs";
import { GENERATED, renderDashboardModule } from "../../scripts/build-dashboard.ts";
import { loadConfig } from "../../src/config/env.ts";
import {
  issueSession,
  SESSION_COOKIE,
  SESSION_TTL_MS,
  sessionAuthorization,
} from "../../src/modules/dashboard/session.ts";
import { createKey } from "../../src/modules/keys/service.ts";
import { startTestGateway, type TestGateway } from "../helpers/gateway.ts";

setDefaultTimeout(30_000);

const PASSWORD = "serving-test-password";
const basic = `Basic ${btoa(`admin:${PASSWORD}`)}`;
let gw: TestGateway;

beforeAll(async () => {
  gw = await startTestGateway("sqlite", { ADMIN_PASSWORD: PASSWORD });
});
afterAll(() => gw?.close());

const at = (path: string, init: RequestInit = {}) =>
  fetch(`${gw.url}${path}`, { redirect: "manual", ...init });
const json = { "content-type": "application/json" };
const csrf = { "x-snodus-csrf": "1" };

async function signIn(body: Record<string, string>): Promise<string> {
  const res = await at("/admin/session", {
    method: "POST",
    headers: { ...json, ...csrf },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  const cookie = res.headers.get("set-cookie") ?? "";
  return cookie.split(";")[0] ?? "";
}

test("src/modules/dashboard/assets.gen.ts is the current bundle of web/ (run `npm run web:build`)", async () => {
  expect(readFileSync(GENERATED, "utf8")).toBe(await renderDashboardModule());
});

describe("the page", () => {
  test("/admin redirects to /admin/, which is the app shell with a strict CSP", async () => {
    const redirect = await at("/admin");
    expect(redirect.status).toBe(308);
    expect(redirect.headers.get("location")).toBe("/admin/");
    const page = await at("/admin/");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    const csp = page.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers.get("x-frame-options")).toBe("DENY");
    const html = await page.text();
    // Nothing is loaded from anywhere else: the dashboard works offline.
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).toContain('<div id="app">');
  });

  test("its assets are served, cacheable forever, gzipped on request; unknown ones are 404", async () => {
    const html = await (await at("/admin/")).text();
    const assets = [...html.matchAll(/(?:src|href)="(assets\/[^"]+)"/g)].map((m) => m[1] ?? "");
    expect(assets).toHaveLength(2);
    for (const asset of assets) {
      const res = await at(`/admin/${asset}`, { headers: { "accept-encoding": "gzip" } });
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toContain("immutable");
      expect(res.headers.get("content-type")).toMatch(asset.endsWith(".js") ? /javascript/ : /text\/css/);
      expect((await res.text()).length).toBeGreaterThan(1000);
    }
    expect((await at("/admin/assets/nope.js")).status).toBe(404);
  });
});

describe("the session", () => {
  test("signed out, /admin/session answers null (not an error)", async () => {
    const res = await at("/admin/session");
    expect(res.status).toBe(200);
    expect(await res.json()).toBeNull();
  });

  test("sign-in sets an HttpOnly, SameSite=Strict cookie scoped to /admin, which the admin API accepts", async () => {
    const res = await at("/admin/session", {
      method: "POST",
      headers: { ...json, ...csrf },
      body: JSON.stringify({ username: "admin", password: PASSWORD }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ kind: "global", username: "admin" });
    const setCookie = res.headers.get("set-cookie") ?? "";
    expect(setCookie).toContain("HttpOnly");
    expect(setCookie).toContain("SameSite=Strict");
    expect(setCookie).toContain("Path=/admin");
    // The password itself is never in the cookie.
    expect(setCookie).not.toContain(PASSWORD);
    expect(setCookie).not.toContain(btoa(`admin:${PASSWORD}`));
    const cookie = setCookie.split(";")[0] ?? "";
    expect((await at("/admin/keys", { headers: { cookie } })).status).toBe(200);
  });

  test("wrong credentials and missing CSRF headers are refused", async () => {
    const wrong = await at("/admin/session", {
      method: "POST",
      headers: { ...json, ...csrf },
      body: JSON.stringify({ username: "admin", password: "nope" }),
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("set-cookie")).toBeNull();
    const forged = await at("/admin/session", {
      method: "POST",
      headers: json,
      body: JSON.stringify({ username: "admin", password: PASSWORD }),
    });
    expect(forged.status).toBe(403);
  });

  test("a state-changing call authenticated by the cookie needs x-snodus-csrf; curl with a header does not", async () => {
    const cookie = await signIn({ username: "admin", password: PASSWORD });
    const body = JSON.stringify({ user_id: gw.user.id, name: "csrf-check" });
    const forged = await at("/admin/keys", { method: "POST", headers: { ...json, cookie }, body });
    expect(forged.status).toBe(403);
    expect(((await forged.json()) as { error: { code: string } }).error.code).toBe("csrf");
    const fromDashboard = await at("/admin/keys", {
      method: "POST",
      headers: { ...json, ...csrf, cookie },
      body,
    });
    expect(fromDashboard.status).toBe(201);
    const fromCurl = await at("/admin/keys", {
      method: "POST",
      headers: { ...json, authorization: basic },
      body,
    });
    expect(fromCurl.status).toBe(201);
  });

  test("sign-out clears the cookie", async () => {
    const res = await at("/admin/session", { method: "DELETE", headers: csrf });
    expect(res.status).toBe(200);
    expect(res.headers.get("set-cookie")).toContain("Max-Age=0");
  });

  test("an admin key signs in as a team admin; revoking the key ends the session", async () => {
    const admin = await gw.server.store.users.create({
      email: "boss@example.com",
      name: "Boss",
      teamId: gw.team.id,
      role: "admin",
    });
    const key = await createKey(gw.server.store, { userId: admin.id, name: "boss" });
    const cookie = await signIn({ key: key.secret });
    const me = await (await at("/admin/session", { headers: { cookie } })).json();
    expect(me).toMatchObject({ kind: "team", team: { id: gw.team.id }, user: { id: admin.id } });
    const revoke = await at(`/admin/keys/${key.key.id}`, {
      method: "DELETE",
      headers: { authorization: basic },
    });
    expect(revoke.status).toBe(200);
    const after = await at("/admin/session", { headers: { cookie } });
    expect(await after.json()).toBeNull();
    expect(after.headers.get("set-cookie")).toContain("Max-Age=0");
    expect((await at("/admin/keys", { headers: { cookie } })).status).toBe(403);
  });

  test("tokens expire, cannot be extended or forged, and die with a password change", () => {
    const config = loadConfig({ ADMIN_PASSWORD: PASSWORD });
    const now = Date.UTC(2026, 0, 1);
    const token = issueSession(config, { kind: "basic", username: "admin" }, now);
    const headers = (t: string) => new Headers({ cookie: `other=1; ${SESSION_COOKIE}=${t}` });
    expect(sessionAuthorization(config, headers(token), now + 1000)).toBe(basic);
    expect(sessionAuthorization(config, headers(token), now + SESSION_TTL_MS)).toBeNull();
    const [kind, , mac] = token.split(".");
    const extended = `${kind}.${(now + 10 * SESSION_TTL_MS).toString(36)}.${mac}`;
    expect(sessionAuthorization(config, headers(extended), now + SESSION_TTL_MS + 1)).toBeNull();
    const changed = loadConfig({ ADMIN_PASSWORD: "a-new-password" });
    expect(sessionAuthorization(changed, headers(token), now + 1000)).toBeNull();
    expect(sessionAuthorization(config, headers("g.zzzz.forged"), now)).toBeNull();
  });
});
