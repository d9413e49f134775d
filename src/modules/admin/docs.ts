// GET /admin/docs (Swagger UI, served from this process — no CDN) and GET /admin/openapi.json.
import { Elysia } from "elysia";
import swaggerCssPath from "swagger-ui-dist/swagger-ui.css" with { type: "file" };
// Swagger UI ships inside the executable: `type: "file"` embeds the files under --compile (no CDN, no node_modules).
import swaggerBundlePath from "swagger-ui-dist/swagger-ui-bundle.js" with { type: "file" };
import { notFound } from "../../errors.ts";
import { buildOpenApiDocument } from "./openapi.ts";

const SPEC_URL = "/admin/openapi.json";

const SWAGGER_FILES = new Map<string, { path: string; type: string }>([
  ["swagger-ui.css", { path: swaggerCssPath, type: "text/css" }],
  ["swagger-ui-bundle.js", { path: swaggerBundlePath, type: "text/javascript" }],
]);

const swaggerPage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Snodus admin API</title>
<link rel="stylesheet" href="/admin/docs/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/admin/docs/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({ url: "${SPEC_URL}", dom_id: "#swagger-ui", deepLinking: true });</script>
</body>
</html>`;

const html = (body: string) =>
  new Response(body, {
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-cache" },
  });

export function docsRoutes() {
  let document: unknown = null;
  const app = new Elysia({ name: "admin-docs" });
  return app
    .get("/admin/docs", () => html(swaggerPage), { detail: { hide: true } })
    .get(
      "/admin/docs/:file",
      ({ params }) => {
        const file = SWAGGER_FILES.get(params.file);
        if (!file) throw notFound(`No docs asset ${params.file}`);
        return new Response(Bun.file(file.path), {
          headers: {
            "content-type": `${file.type}; charset=utf-8`,
            "cache-control": "public, max-age=86400",
          },
        });
      },
      { detail: { hide: true } },
    )
    .get(
      SPEC_URL,
      () => {
        // Built on first request, when every route of the app has been registered.
        document ??= buildOpenApiDocument(app);
        return document;
      },
      { detail: { hide: true } },
    );
}
