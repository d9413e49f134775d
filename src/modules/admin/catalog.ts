// /admin/plans and /admin/providers: what this gateway offers, the same for every admin.
import { Elysia } from "elysia";
import { listProviders } from "../../providers/catalog.ts";
import { type AdminAuth, type AdminDeps, adminAuth } from "./auth.ts";
import { NO_QUERY } from "./query.ts";
import { PlanList, ProviderList, READ_ERRORS } from "./schemas.ts";
import { planView } from "./views.ts";

export function catalogRoutes(deps: AdminDeps, auth: AdminAuth) {
  return new Elysia({ prefix: "/admin" })
    .use(adminAuth(auth))
    .get("/plans", async () => ({ data: (await deps.store.plans.list()).map(planView) }), {
      ...NO_QUERY,
      response: { 200: PlanList, ...READ_ERRORS },
      detail: { tags: ["plans"], summary: "List available plans" },
    })
    .get(
      "/providers",
      () => ({
        data: listProviders(deps.config).map((p) => ({
          name: p.name,
          configured: p.configured,
          upstream_url: p.upstreamUrl,
          models: p.models,
        })),
      }),
      {
        ...NO_QUERY,
        response: { 200: ProviderList, ...READ_ERRORS },
        detail: { tags: ["providers"], summary: "List registered providers and their models" },
      },
    );
}
