// The /api routes: Ollama's API over the shared pipeline (chat, generate, embed) and its catalogue (tags, show, version).
import { Elysia } from "elysia";
import { OLLAMA_API_VERSION, showEntry, tagEntry } from "../../doors/ollama/catalog.ts";
import { ollamaChatDoor, ollamaEmbedDoor, ollamaGenerateDoor } from "../../doors/ollama/door.ts";
import { badRequest, notFound } from "../../errors.ts";
import { authenticate } from "../auth/authenticate.ts";
import type { ProxyContext } from "./context.ts";
import { entries } from "./models.ts";
import { runPipeline } from "./pipeline.ts";
import { readJsonBody } from "./request-body.ts";
import { requestIdOf } from "./request-id.ts";
import { tracked } from "./tracked.ts";

const RAW = { parse: "none" } as const;

export function ollamaRoutes(ctx: ProxyContext) {
  const authed = (request: Request) => authenticate(request.headers, ctx.keys, ctx.now());
  return (
    new Elysia({ name: "proxy-ollama" })
      .post(
        "/api/chat",
        tracked(ctx, ({ request }) => runPipeline(ctx, ollamaChatDoor, request, requestIdOf(request))),
        RAW,
      )
      .post(
        "/api/generate",
        tracked(ctx, ({ request }) => runPipeline(ctx, ollamaGenerateDoor, request, requestIdOf(request))),
        RAW,
      )
      .post(
        "/api/embed",
        tracked(ctx, ({ request }) => runPipeline(ctx, ollamaEmbedDoor, request, requestIdOf(request))),
        RAW,
      )
      // Every model the gateway serves, whichever provider: to an Ollama client they are all local.
      .get("/api/tags", async ({ request }) => {
        return { models: entries(ctx, await authed(request)).map(tagEntry) };
      })
      .post(
        "/api/show",
        async ({ request }) => {
          const identity = await authed(request);
          const { json } = await readJsonBody(request);
          // `name` is the field's name before Ollama 0.5; clients still send it.
          const id = typeof json.model === "string" ? json.model : json.name;
          if (typeof id !== "string" || id === "") throw badRequest("model is required");
          const found = entries(ctx, identity).find((e) => e.id === id);
          if (!found) throw notFound(`model '${id}' not found`);
          return showEntry(found);
        },
        RAW,
      )
      .get("/api/version", async ({ request }) => {
        await authed(request);
        return { version: OLLAMA_API_VERSION };
      })
  );
}
