// Liveness and readiness: GET /health reports version and store status; HEAD probes Claude Code sends.
import { Elysia } from "elysia";
import type { Store } from "../../store/types.ts";
import { VERSION } from "../../version.ts";

export interface HealthDeps {
  store: Store;
  /** Extra components (e.g. redis) report themselves here as "ok" or "degraded: …". */
  components?: () => Record<string, string>;
}

export function healthRoutes(deps: HealthDeps) {
  return new Elysia({ name: "health" })
    .get("/health", async ({ set }) => {
      let store = "ok";
      try {
        await deps.store.ping();
      } catch {
        store = "unreachable";
      }
      const components = deps.components?.() ?? {};
      const degraded = Object.values(components).some((v) => v !== "ok");
      set.status = store === "ok" ? 200 : 503;
      set.headers["cache-control"] = "no-store";
      return {
        status: store !== "ok" ? "unavailable" : degraded ? "degraded" : "ok",
        version: VERSION,
        store: { dialect: deps.store.dialect, status: store },
        ...components,
      };
    })
    .head("/", () => new Response(null, { status: 200 }))
    .head("/api/hello", () => new Response(null, { status: 200 }))
    .get("/api/hello", () => ({ ok: true }));
}
