// The spec's four plans; seeded (upserted) into the `plans` table at every start.
import type { Plan } from "./types.ts";

export const PLANS: readonly Plan[] = [
  { id: "free", name: "Free", priceCents: 0, tokensPerMonth: 100_000, maxUsers: 1, maxKeys: 1 },
  { id: "basic", name: "Basic", priceCents: 1900, tokensPerMonth: 1_000_000, maxUsers: 1, maxKeys: 3 },
  { id: "pro", name: "Pro", priceCents: 4900, tokensPerMonth: 5_000_000, maxUsers: 5, maxKeys: 10 },
  // Enterprise is "contact us": no list price and no caps.
  {
    id: "enterprise",
    name: "Enterprise",
    priceCents: null,
    tokensPerMonth: null,
    maxUsers: null,
    maxKeys: null,
  },
];

export const PLAN_IDS = PLANS.map((p) => p.id);
