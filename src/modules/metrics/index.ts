// GET /metrics in Prometheus' text format: behind SNODUS_METRICS_TOKEN on the main listener, or on SNODUS_METRICS_ADDR.
import { timingSafeEqual } from "node:crypto";
import { Elysia } from "elysia";
import type { Secret } from "../../config/secret.ts";
import type { Metrics } from "./metrics.ts";

function bearerMatches(header: string | null, token: Secret): boolean {
  const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (!m?.[1]) return false;
  const given = Buffer.from(m[1]);
  const want = Buffer.from(token.reveal());
  return given.length === want.length && timingSafeEqual(given, want);
}

/**
 * The scrape answer. With a token configured the scraper must send it; without one, only a listener of
 * its own (`open`) serves metrics, so the public port never exposes them by accident.
 */
export async function metricsResponse(
  metrics: Metrics,
  request: Request,
  token: Secret | null,
  open: boolean,
): Promise<Response> {
  if (!token && !open) return new Response("Not found\n", { status: 404 });
  if (token && !bearerMatches(request.headers.get("authorization"), token))
    return new Response("Unauthorized\n", { status: 401, headers: { "www-authenticate": "Bearer" } });
  return new Response(await metrics.render(), { headers: { "content-type": metrics.contentType } });
}

export function metricsRoutes(metrics: Metrics, token: Secret | null) {
  return new Elysia({ name: "metrics" }).get("/metrics", ({ request }) =>
    metricsResponse(metrics, request, token, false),
  );
}

/** SNODUS_METRICS_ADDR: a listener that answers only /metrics (e.g. bound to a private interface). */
export function serveMetrics(
  metrics: Metrics,
  addr: { hostname: string; port: number },
  token: Secret | null,
) {
  return Bun.serve({
    hostname: addr.hostname,
    port: addr.port,
    fetch: (request) =>
      new URL(request.url).pathname === "/metrics"
        ? metricsResponse(metrics, request, token, true)
        : new Response("Not found\n", { status: 404 }),
  });
}
