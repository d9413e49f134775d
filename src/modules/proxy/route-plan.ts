// Which models a request will try, in order: the router's choice for "auto", then fallbacks.

import type { DoorRequest } from "../../doors/types.ts";
import { badRequest } from "../../errors.ts";
import { latestUserText, route } from "../router/rules.ts";
import type { Routing } from "./attempt.ts";
import type { ProxyContext } from "./context.ts";

export interface RoutePlan {
  /** The first is the model to try; the rest are the fallback chain. */
  candidates: string[];
  routing: Routing | null;
}

export function planRoute(ctx: ProxyContext, request: DoorRequest): RoutePlan {
  let model = request.model;
  let routing: Routing | null = null;
  if (model === "auto") {
    if (!ctx.config.routerEnabled) {
      throw badRequest('model "auto" needs the smart router: set SNODUS_ROUTER_ENABLED=true on the gateway');
    }
    if (!request.pivot) throw badRequest('model "auto" routes conversations; name the model to use here');
    const decision = route(latestUserText(request.pivot().messages));
    const target = ctx.providers.tiers()[decision.tier];
    if (!target) {
      throw badRequest(
        `The router chose the ${decision.tier} tier but no model serves it: set SNODUS_ROUTER_${decision.tier.toUpperCase()}_MODEL`,
      );
    }
    model = target;
    routing = { routedFrom: "auto", method: "rules", reason: `${decision.tier} tier: ${decision.reason}` };
  }
  const chain = ctx.config.fallbacks.get(model) ?? [];
  return { candidates: [...new Set([model, ...chain])], routing };
}
