// The admin API: one controller per resource, each behind the same admin authentication, plus its docs.
import { Elysia } from "elysia";
import { dashboardRoutes } from "../dashboard/index.ts";
import { analyticsRoutes } from "./analytics.ts";
import { AdminAuth, type AdminDeps } from "./auth.ts";
import { catalogRoutes } from "./catalog.ts";
import { dashboardDataRoutes } from "./dashboard-data.ts";
import { docsRoutes } from "./docs.ts";
import { exportRoutes } from "./export.ts";
import { keysRoutes } from "./keys.ts";
import { teamsRoutes } from "./teams.ts";
import { usersRoutes } from "./users.ts";

export type { AdminDeps } from "./auth.ts";

export function adminRoutes(deps: AdminDeps) {
  // One authenticator for every controller, so failed-login throttling counts across all of them.
  const auth = new AdminAuth(deps);
  return new Elysia({ name: "admin" })
    .use(docsRoutes())
    .use(keysRoutes(deps, auth))
    .use(usersRoutes(deps, auth))
    .use(teamsRoutes(deps, auth))
    .use(catalogRoutes(deps, auth))
    .use(analyticsRoutes(deps, auth))
    .use(exportRoutes(deps, auth))
    .use(dashboardDataRoutes(deps, auth))
    .use(dashboardRoutes(deps, auth));
}
