// OpenAI API imitation: routes (chat, Responses, embeddings, models), the API-key check, GET /v1/models[/{id}].

import { openaiEmbeddings } from "./embeddings.ts";
import { chatCompletions } from "./openai-chat.ts";
import { errorFromBehavior, openaiError } from "./openai-errors.ts";
import { responses } from "./openai-responses.ts";
import { delay, type Handler, type HandlerContext } from "./shared.ts";

export { openaiError } from "./openai-errors.ts";

const MODELS: Array<[id: string, created: number, ownedBy: string]> = [
  ["gpt-4o", 1715367049, "system"],
  ["gpt-4o-mini", 1721172741, "system"],
  ["gpt-4.1", 1744316542, "system"],
  ["o3-mini", 1737146383, "system"],
  ["text-embedding-3-small", 1705948997, "system"],
  ["text-embedding-3-large", 1705953180, "system"],
  ["text-embedding-ada-002", 1671217299, "openai-internal"],
];

const MODEL_OBJECTS = new Map(
  MODELS.map(([id, created, owned_by]) => [id, JSON.stringify({ id, object: "model", created, owned_by })]),
);

const MODELS_BODY = `{"object":"list","data":[${[...MODEL_OBJECTS.values()].join(",")}]}`;

async function models(ctx: HandlerContext): Promise<Response> {
  const b = ctx.behavior("");
  await delay(b.latencyMs);
  if (b.status !== undefined && b.status >= 400) return errorFromBehavior(b, b.status, ctx);
  return new Response(MODELS_BODY, {
    headers: { "content-type": "application/json", "x-request-id": `req_${ctx.nextId()}` },
  });
}

/** GET /v1/models/{id}: the SDKs' `models.retrieve`. Ids are matched exactly, as the API does. */
async function model(ctx: HandlerContext, id: string): Promise<Response> {
  const b = ctx.behavior(id);
  await delay(b.latencyMs);
  if (b.status !== undefined && b.status >= 400) return errorFromBehavior(b, b.status, ctx);
  const body = MODEL_OBJECTS.get(id);
  if (body === undefined) {
    return openaiError(404, ctx, {
      message: `The model '${id}' does not exist`,
      param: "model",
      code: "model_not_found",
    });
  }
  return new Response(body, {
    headers: { "content-type": "application/json", "x-request-id": `req_${ctx.nextId()}` },
  });
}

const POST_ROUTES: Record<string, Handler> = {
  "/v1/chat/completions": chatCompletions,
  "/v1/responses": responses,
  "/v1/embeddings": openaiEmbeddings,
};

/** Model ids such as "ft:gpt-4o:org" arrive percent-encoded; a malformed escape stays as sent. */
function decodePath(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function invalidUrl(ctx: HandlerContext): Response {
  return openaiError(404, ctx, { message: `Invalid URL (${ctx.method} ${ctx.path})`, code: null });
}

export function handleOpenAI(ctx: HandlerContext): Response | Promise<Response> {
  const { method, path } = ctx;
  const post = POST_ROUTES[path];
  const modelId = path.startsWith("/v1/models/") ? decodePath(path.slice("/v1/models/".length)) : "";
  const known = post !== undefined || path === "/v1/models" || modelId !== "";
  // The API checks the path before the key: an unknown URL is a 404 even without credentials.
  if (!known) return invalidUrl(ctx);
  if (!ctx.headers.has("authorization")) {
    return openaiError(401, ctx, {
      message:
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
      code: null,
    });
  }
  if (method === "POST" && post) return post(ctx);
  if (method === "GET" && path === "/v1/models") return models(ctx);
  if (method === "GET" && modelId !== "") return model(ctx, modelId);
  return invalidUrl(ctx);
}
