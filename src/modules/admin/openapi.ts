// The admin API's OpenAPI 3.1 document, generated from the route schemas by @elysiajs/openapi so it cannot drift.
import { toOpenAPISchema } from "@elysiajs/openapi";
import type { AnyElysia } from "elysia";
import { VERSION } from "../../version.ts";
import { PROXY_PATHS, PROXY_TAG } from "./proxy-openapi.ts";

/** Route prefixes the document covers; everything else in the app (/v1, the dashboard) stays out. */
const UNDOCUMENTED = /^(?!\/admin\/(keys|users|teams|plans|providers|analytics)(\/|$))/;

const DESCRIPTION = `Manage virtual keys, users, teams and plans, and read spend analytics; the \`gateway\` section lists
the /v1 front doors developers call.

**Authentication**: HTTP Basic with \`ADMIN_USERNAME:ADMIN_PASSWORD\` (the global administrator; off while
ADMIN_PASSWORD is unset), or the virtual key of a user with role \`admin\` as \`Authorization: Bearer sk-…\`
or \`x-api-key: sk-…\`. An admin key only ever sees its own team: another team's ids answer 404.

**Errors** always have the shape \`{"error":{"status":…,"code":…,"message":…}}\`, plus \`field\` for
invalid input and \`retry_after\` with 429.

**Money**: \`*_micros\` are integer micro-dollars; budgets are cents (1 cent = 10 000 µ$).`;

type Json = unknown;

/**
 * Elysia's `t.Integer` accepts numeric strings too, and says so as `anyOf: [{type: string, format:
 * integer}, {type: integer}]`. The document states the contract (integers) instead of that leniency.
 */
function simplify(node: Json): Json {
  if (Array.isArray(node)) return node.map(simplify);
  if (!node || typeof node !== "object") return node;
  const obj = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, simplify(v)])) as Record<
    string,
    Json
  >;
  // `nullable` is OpenAPI 3.0; in 3.1 a "null" type or branch already says it.
  if (Array.isArray(obj.type) && obj.type.includes("null")) delete obj.nullable;
  const anyOf = obj.anyOf;
  // `nullable` is OpenAPI 3.0; in 3.1 the {type: "null"} branch already says it.
  if (Array.isArray(anyOf) && anyOf.some((s) => (s as Record<string, Json>)?.type === "null"))
    delete obj.nullable;
  if (Array.isArray(anyOf)) {
    const kept = anyOf.filter((s) => {
      const o = s as Record<string, Json>;
      return !(o?.type === "string" && (o.format === "integer" || o.format === "numeric"));
    });
    if (kept.length !== anyOf.length) {
      const { anyOf: _drop, ...rest } = obj;
      if (kept.length === 1) return { ...rest, ...(kept[0] as Record<string, Json>) };
      return { ...rest, anyOf: kept };
    }
  }
  return obj;
}

/** Builds the document from the app's registered routes (called lazily, once every route exists). */
export function buildOpenApiDocument(app: AnyElysia) {
  const { paths, components } = toOpenAPISchema(app, { paths: [UNDOCUMENTED], staticFile: true });
  // The export answers CSV, which the generator (JSON or text/plain only) cannot know from a string schema.
  const csv = paths["/admin/analytics/export"]?.get?.responses?.["200"];
  if (csv && "content" in csv) csv.content = { "text/csv": { schema: { type: "string" } } };
  return simplify({
    openapi: "3.1.0",
    info: { title: "Snodus admin API", version: VERSION, description: DESCRIPTION },
    servers: [{ url: "/" }],
    tags: [
      { name: "keys", description: "Virtual API keys" },
      { name: "users", description: "Users" },
      { name: "teams", description: "Teams, plans and account summaries" },
      { name: "plans", description: "Available plans" },
      { name: "providers", description: "Upstream providers" },
      { name: "analytics", description: "Spend analytics and CSV export" },
      PROXY_TAG,
    ],
    security: [{ basicAuth: [] }, { bearerAuth: [] }, { apiKeyHeader: [] }],
    paths: { ...PROXY_PATHS, ...paths },
    components: {
      ...components,
      securitySchemes: {
        basicAuth: { type: "http", scheme: "basic", description: "ADMIN_USERNAME:ADMIN_PASSWORD" },
        bearerAuth: { type: "http", scheme: "bearer", description: "Virtual key of a user with role admin" },
        apiKeyHeader: { type: "apiKey", in: "header", name: "x-api-key" },
      },
    },
  });
}
