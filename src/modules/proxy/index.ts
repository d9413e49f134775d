// The /v1 routes: one front door per protocol over the shared pipeline, plus count_tokens, the model list and
// the key's own usage; /api is Ollama's.
import { Elysia } from "elysia";
import { messagesDoor } from "../../doors/anthropic-messages/door.ts";
import { embeddingsDoor } from "../../doors/embeddings/door.ts";
import { chatDoor } from "../../doors/openai-chat/door.ts";
import { responsesDoor } from "../../doors/openai-responses/door.ts";
import type { Door } from "../../doors/types.ts";
import { errorResponse, GatewayError } from "../../errors.ts";
import { authenticate } from "../auth/authenticate.ts";
import type { ProxyContext } from "./context.ts";
import { handleCountTokens } from "./count-tokens.ts";
import { keyInfo } from "./key-info.ts";
import { listModels, retrieveModel } from "./models.ts";
import { ollamaRoutes } from "./ollama.ts";
import { runPipeline } from "./pipeline.ts";
import { requestIdOf } from "./request-id.ts";
import { tracked } from "./tracked.ts";

// Proxy routes take the raw body: Elysia must not parse (and normalise away) fields we pass through.
const RAW = { parse: "none" } as const;

/** The doors behind the hot POST routes, also served as Bun-native routes (native-routes.ts). */
export const HOT_DOORS = {
  "/v1/messages": messagesDoor,
  "/v1/chat/completions": chatDoor,
  "/v1/responses": responsesDoor,
  "/v1/embeddings": embeddingsDoor,
} as const;

/** A door's request handler: the pipeline, counted in flight from the first byte. */
export function doorHandler(ctx: ProxyContext, door: Door) {
  return tracked(ctx, ({ request }) => runPipeline(ctx, door, request, requestIdOf(request)));
}

export function proxyRoutes(ctx: ProxyContext) {
  return (
    new Elysia({ name: "proxy" })
      .post("/v1/messages", doorHandler(ctx, HOT_DOORS["/v1/messages"]), RAW)
      .post("/v1/chat/completions", doorHandler(ctx, HOT_DOORS["/v1/chat/completions"]), RAW)
      .post("/v1/responses", doorHandler(ctx, HOT_DOORS["/v1/responses"]), RAW)
      .post("/v1/embeddings", doorHandler(ctx, HOT_DOORS["/v1/embeddings"]), RAW)
      .post(
        "/v1/messages/count_tokens",
        tracked(ctx, ({ request }) => handleCountTokens(ctx, request)),
        RAW,
      )
      // The caller's own key: limits and usage this month (OpenRouter's GET /api/v1/key, plus ours).
      .get("/v1/key", async ({ request }) => {
        const now = ctx.now();
        const info = await keyInfo(ctx, await authenticate(request.headers, ctx.keys, now), now);
        return Response.json(info, { headers: { "x-snodus-request-id": requestIdOf(request) } });
      })
      .get("/v1/models", async ({ request }) => {
        const identity = await authenticate(request.headers, ctx.keys, ctx.now());
        return listModels(ctx, request.headers, identity);
      })
      .get("/v1/models/*", async ({ request, params }) => {
        const identity = await authenticate(request.headers, ctx.keys, ctx.now());
        return retrieveModel(ctx, request.headers, identity, decodeURIComponent(params["*"]));
      })
      // Codex CLI tries a WebSocket on /v1/responses first; 426 makes it fall back to HTTP at once.
      .get("/v1/responses", ({ request }) => upgradeRequired(request))
      .use(ollamaRoutes(ctx))
  );
}

function upgradeRequired(request: Request): Response {
  const err = new GatewayError(
    426,
    "invalid_request_error",
    "This gateway serves /v1/responses over HTTP POST (streamed with SSE), not WebSocket",
    { code: "upgrade_required" },
  );
  const res = errorResponse("openai", err, requestIdOf(request));
  res.headers.set("upgrade", "HTTP/1.1");
  return res;
}
