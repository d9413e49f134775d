// GET /: the landing page when SNODUS_FEATURES_LANDING is on, otherwise a plain-text 200.
import { Elysia } from "elysia";
import type { Config } from "../../config/env.ts";
import { landingPage } from "./page.ts";

export function landingRoutes(config: Config) {
  return new Elysia({ name: "landing" }).get("/", ({ request }) => {
    if (!config.featureLanding)
      return new Response("Snodus AI gateway\n", {
        headers: { "content-type": "text/plain; charset=utf-8" },
      });
    return new Response(landingPage(new URL(request.url).origin, config.featureSignup), {
      headers: { "content-type": "text/html; charset=utf-8" },
    });
  });
}
