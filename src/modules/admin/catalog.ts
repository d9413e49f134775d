// /admin/plans and /admin/providers: what this gateway offers, the same for every admin.
import { Elysia } from "elysia";
import { type AdminAuth, type AdminDeps, adminAuth } from "./auth.ts";
import { NO_QUERY } from "./query.ts";
import { PlanList, ProviderList, READ_ERRORS } from "./schemas.ts";
import { planView, providerView } from "./views.ts";

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
      // Reachability is checked at each call: an operator asking wants to know now.
      async () => ({
        data: (await deps.providers.status()).map(providerView),
      }),
      {
        ...NO_QUERY,
        response: { 200: ProviderList, ...READ_ERRORS },
        detail: { tags: ["providers"], summary: "List registered providers and their models" },
      },
    );
}
