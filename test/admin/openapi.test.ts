// The OpenAPI document is valid 3.x, lists every admin route, and the Swagger UI page loads nothing from outside.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type AdminFixture, adminFixture } from "./fixture.ts";

const SPEC_ROUTES = [
  "GET /admin/keys",
  "POST /admin/keys",
  "PATCH /admin/keys/{id}",
  "POST /admin/keys/{id}/rotate",
  "DELETE /admin/keys/{id}",
  "GET /admin/users",
  "POST /admin/users",
  "GET /admin/teams",
  "POST /admin/teams",
  "PATCH /admin/teams/{id}/plan",
  "GET /admin/teams/{id}/account",
  "GET /admin/plans",
  "GET /admin/providers",
  "GET /admin/analytics/daily",
  "GET /admin/analytics/models",
  "GET /admin/analytics/users",
  "GET /admin/analytics/recent",
  "GET /admin/analytics/providers",
  "GET /admin/analytics/routing",
  "GET /admin/analytics/export",
];
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

type Json = Record<string, unknown>;

/** Every `$ref` in the document, with where it was found. */
function refs(node: unknown, at = "#", out: [string, string][] = []): [string, string][] {
  if (Array.isArray(node)) for (const [i, v] of node.entries()) refs(v, `${at}/${i}`, out);
  else if (node && typeof node === "object")
    for (const [k, v] of Object.entries(node)) {
      if (k === "$ref" && typeof v === "string") out.push([at, v]);
      else refs(v, `${at}/${k}`, out);
    }
  return out;
}

function resolvePointer(doc: unknown, ref: string): unknown {
  if (!ref.startsWith("#/")) return undefined;
  let node: unknown = doc;
  for (const raw of ref.slice(2).split("/")) {
    const key = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    node = node && typeof node === "object" ? (node as Json)[key] : undefined;
  }
  return node;
}

describe("admin OpenAPI document and Swagger UI", () => {
  let fx: AdminFixture;
  let doc: Json;
  beforeAll(async () => {
    fx = await adminFixture("sqlite");
    const res = await fx.call("GET", "/admin/openapi.json", { auth: null });
    expect(res.status).toBe(200);
    doc = res.json;
  });
  afterAll(async () => fx.close());

  test("is an OpenAPI 3.x document with info, security schemes and paths", () => {
    expect(String(doc.openapi)).toMatch(/^3\.[01]\.\d+$/);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    const components = doc.components as Json;
    expect(Object.keys(components.securitySchemes as Json)).toEqual([
      "basicAuth",
      "bearerAuth",
      "apiKeyHeader",
    ]);
    expect(Object.keys(doc.paths as Json).length).toBeGreaterThan(0);
  });

  test("every operation has responses (a 2xx and the admin error shape), described path parameters", () => {
    for (const [path, item] of Object.entries(doc.paths as Record<string, Json>)) {
      expect(path).not.toContain(":");
      const params = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      for (const [method, op] of Object.entries(item)) {
        if (!METHODS.includes(method)) continue;
        const operation = op as Json;
        const responses = operation.responses as Record<string, Json> | undefined;
        expect([method, path, responses && Object.keys(responses).length > 0]).toEqual([method, path, true]);
        const statuses = Object.keys(responses ?? {});
        expect(statuses.some((s) => s.startsWith("2"))).toBe(true);
        for (const r of Object.values(responses ?? {})) expect(typeof r.description).toBe("string");
        if (statuses.includes("401")) {
          const schema = ((responses?.["401"]?.content as Json)?.["application/json"] as Json)
            ?.schema as Json;
          expect(Object.keys(schema.properties as Json)).toEqual(["error"]);
        }
        const declared = ((operation.parameters as Json[] | undefined) ?? [])
          .filter((p) => p.in === "path")
          .map((p) => p.name);
        expect(declared.sort()).toEqual([...params].sort());
      }
    }
  });

  test("the gateway's front doors are described too", () => {
    const paths = doc.paths as Record<string, Json>;
    for (const path of [
      "/v1/messages",
      "/v1/chat/completions",
      "/v1/responses",
      "/v1/embeddings",
      "/v1/models",
    ])
      expect([path, path in paths]).toEqual([path, true]);
  });

  test("every $ref resolves", () => {
    for (const [at, ref] of refs(doc))
      expect([at, ref, resolvePointer(doc, ref) !== undefined]).toEqual([at, ref, true]);
  });

  test("lists every admin route of the spec, and every documented-prefix route the app serves", () => {
    const listed = new Set<string>();
    for (const [path, item] of Object.entries(doc.paths as Record<string, Json>))
      for (const method of Object.keys(item))
        if (METHODS.includes(method)) listed.add(`${method.toUpperCase()} ${path}`);
    for (const route of SPEC_ROUTES) expect([route, listed.has(route)]).toEqual([route, true]);
    const served = fx.gateway.app.routes
      .filter((r) => /^\/admin\/(keys|users|teams|plans|providers|analytics)(\/|$)/.test(r.path))
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, "{$1}")}`);
    for (const route of served) expect([route, listed.has(route)]).toEqual([route, true]);
  });

  test("the docs page is served from this process: every script and stylesheet is local and answers", async () => {
    const page = await fx.call("GET", "/admin/docs", { auth: null });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(page.text).toContain("/admin/openapi.json");
    expect(page.text).not.toMatch(/(src|href)="(https?:)?\/\//);
    const assets = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string);
    for (const asset of assets) {
      expect(asset.startsWith("/")).toBe(true);
      expect([asset, (await fx.call("GET", asset, { auth: null })).status]).toEqual([asset, 200]);
    }
  });
});
