// Which models a request will try, in order: the router's choice for "auto", then fallbacks — all allowed.

import type { DoorRequest } from "../../doors/types.ts";
import { badRequest, forbidden } from "../../errors.ts";
import type { KeyIdentity } from "../../store/types.ts";
import { describeAllowed, modelAllowed, restricted } from "../models/allow-list.ts";
import { createRouter, type Router } from "../router/index.ts";
import type { Tier } from "../router/rules.ts";
import type { Routing } from "./attempt.ts";
import type { ProxyContext } from "./context.ts";

export interface RoutePlan {
  /** The first is the model to try; the rest are the fallback chain. */
  candidates: string[];
  routing: Routing | null;
  /** Fallbacks dropped because the key may not use them (logged; never served). */
  skipped: string[];
}

/** Cheapest to most capable: "nearest" tier means fewest steps along this line. */
const TIER_ORDER: Tier[] = ["cheap", "middle", "top"];

// One router per app, so its stickiness memory lives as long as the app and no longer.
const routers = new WeakMap<ProxyContext, Router>();
function routerOf(ctx: ProxyContext): Router {
  const known = routers.get(ctx);
  if (known) return known;
  const router = createRouter({ now: ctx.now });
  routers.set(ctx, router);
  return router;
}

export function planRoute(ctx: ProxyContext, request: DoorRequest, identity: KeyIdentity): RoutePlan {
  let model = request.model;
  let routing: Routing | null = null;
  if (model === "auto") {
    if (!ctx.config.routerEnabled) {
      throw badRequest('model "auto" needs the smart router: set SNODUS_ROUTER_ENABLED=true on the gateway');
    }
    if (!request.pivot) throw badRequest('model "auto" routes conversations; name the model to use here');
    // The router reads the conversation in the pivot's shape, whichever door it came through; its
    // stickiness is per key, so two clients with the same prompt do not share a conversation.
    const decision = routerOf(ctx).decide(request.pivot(), ctx.config.routerMethod, identity.key.id);
    const tiers = ctx.providers.tiers();
    if (!tiers[decision.tier]) {
      throw badRequest(
        `The router chose the ${decision.tier} tier but no model serves it: set SNODUS_ROUTER_${decision.tier.toUpperCase()}_MODEL`,
      );
    }
    const tier = nearestAllowedTier(decision.tier, tiers, identity);
    if (!tier) {
      throw forbidden(
        `model "auto": none of the router's models (${TIER_ORDER.map((t) => tiers[t])
          .filter(Boolean)
          .join(", ")}) is allowed for this API key (${describeAllowed(identity)})`,
        "model_not_allowed",
      );
    }
    model = tiers[tier] as string;
    // Reasons start with their tier ("top tier: …"); a moved decision names where it went and why.
    const prefix = `${decision.tier} tier: `;
    const why = decision.reason.startsWith(prefix) ? decision.reason.slice(prefix.length) : decision.reason;
    const reason =
      tier === decision.tier
        ? decision.reason
        : `${tier} tier: ${why} (${decision.tier} tier not allowed for this key)`;
    routing = { routedFrom: "auto", method: decision.method, reason };
  } else if (!modelAllowed(identity, model)) {
    throw forbidden(
      `Model "${model}" is not allowed for this API key (allowed models: ${describeAllowed(identity)})`,
      "model_not_allowed",
    );
  }
  const chain = ctx.config.fallbacks.get(model) ?? [];
  const skipped = restricted(identity) ? chain.filter((m) => !modelAllowed(identity, m)) : [];
  const candidates = [...new Set([model, ...chain.filter((m) => !skipped.includes(m))])];
  return { candidates, routing, skipped };
}

/** The chosen tier if its model is allowed, else the closest allowed one (the more capable on a tie). */
function nearestAllowedTier(
  chosen: Tier,
  tiers: Record<Tier, string | null>,
  identity: KeyIdentity,
): Tier | null {
  const at = TIER_ORDER.indexOf(chosen);
  for (let step = 0; step < TIER_ORDER.length; step++) {
    for (const i of [at + step, at - step]) {
      const tier = TIER_ORDER[i];
      const m = tier ? tiers[tier] : null;
      if (tier && m && modelAllowed(identity, m)) return tier;
    }
  }
  return null;
}
