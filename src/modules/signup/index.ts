// POST /signup (SNODUS_FEATURES_SIGNUP): creates a team, its admin and an API key; at most 5 per hour per IP.
import { Elysia, t } from "elysia";
import type { Config } from "../../config/env.ts";
import { rateLimited } from "../../errors.ts";
import { readAdminJson } from "../../http/body.ts";
import type { Logger } from "../../log.ts";
import type { Store } from "../../store/types.ts";
import { clientIp } from "../admin/auth.ts";
import { rejectUnknown } from "../admin/schemas.ts";
import type { LimitStore } from "../limits/types.ts";
import { signup } from "./service.ts";

export const SIGNUPS_PER_HOUR = 5;

export interface SignupDeps {
  store: Store;
  config: Config;
  /** Counts signups per address, across instances when limits live in Redis. */
  limits: LimitStore;
  now: () => number;
  log?: Logger;
}

const SignupBody = t.Object({
  email: t.String({ maxLength: 254 }),
  name: t.String({ maxLength: 200 }),
  company: t.String({ maxLength: 200 }),
  plan: t.Optional(t.String({ description: "free, basic or pro (default free)" })),
});

/** Off → no route at all, so /signup answers 404 like any unknown path. */
export function signupRoutes(deps: SignupDeps) {
  const app = new Elysia({ name: "signup" });
  if (!deps.config.featureSignup) return app;
  // Every attempt counts, failed ones too: otherwise the 409s could be used to probe which emails exist.
  return app.post(
    "/signup",
    async ({ body, request, server, set }) => {
      const gate = await deps.limits.attempt({
        gate: "signup",
        subject: clientIp(server, request, deps.config, deps.log),
        max: SIGNUPS_PER_HOUR,
        windowMs: 60 * 60_000,
        now: deps.now(),
        op: "take",
      });
      if (!gate.allowed)
        throw rateLimited("Too many signups from this address; try again later", gate.retryAfter);
      const { team, user, key, secret } = await signup(deps.store, body);
      set.status = 201;
      return {
        api_key: secret,
        warning: "Save your API key: it will not be shown again.",
        team: { id: team.id, name: team.name, plan: team.plan },
        user: { id: user.id, email: user.email, name: user.name, role: user.role },
        key: { id: key.id, name: key.name, key_prefix: key.keyPrefix, rate_limit: key.rateLimit },
      };
    },
    {
      body: SignupBody,
      parse: ({ request }) => readAdminJson(request),
      transform: rejectUnknown(SignupBody),
    },
  );
}
