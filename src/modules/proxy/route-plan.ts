// Which models a request will try, in order: the router's choice for "auto", then fallbacks.

import type { DoorRequest } from "../../doors/types.ts";
import { badRequest } from "../../errors.ts";
import { createRouter, type Router } from "../router/index.ts";
import type { Routing } from "./attempt.ts";
import type { ProxyContext } from "./context.ts";

export interface RoutePlan {
  /** The first is the model to try; the rest are the fallback chain. */
  candidates: string[];
  routing: Routing | null;
}

// One router per app, so its stickiness memory lives as long as the app and no longer.
const routers = new WeakMap<ProxyContext, Router>();
function routerOf(ctx: ProxyContext): Router {
  const known = routers.get(ctx);
  if (known) return known;
  const router = createRouter({ now: ctx.now });
  routers.set(ctx, router);
  return router;
}

export function planRoute(ctx: ProxyContext, request: DoorRequest, partition?: string): RoutePlan {
  let model = request.model;
  let routing: Routing | null = null;
  if (model === "auto") {
    if (!ctx.config.routerEnabled) {
      throw badRequest('model "auto" needs the smart router: set SNODUS_ROUTER_ENABLED=true on the gateway');
    }
    if (!request.pivot) throw badRequest('model "auto" routes conversations; name the model to use here');
    // The router reads the conversation in the pivot's shape, whichever door it came through.
    const decision = routerOf(ctx).decide(request.pivot(), ctx.config.routerMethod, partition);
    const target = ctx.providers.tiers()[decision.tier];
    if (!target) {
      throw badRequest(
        `The router chose the ${decision.tier} tier but no model serves it: set SNODUS_ROUTER_${decision.tier.toUpperCase()}_MODEL`,
      );
    }
    model = target;
    routing = { routedFrom: "auto", method: decision.method, reason: decision.reason };
  }
  const chain = ctx.config.fallbacks.get(model) ?? [];
  return { candidates: [...new Set([model, ...chain])], routing };
}
