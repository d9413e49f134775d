// The /v1 front doors in the OpenAPI document: written here, since their routes take raw bodies by design.

type Json = Record<string, unknown>;

/** Proxy bodies are the providers' own formats and pass through untouched: any JSON object is accepted. */
const ANY_OBJECT = { type: "object", additionalProperties: true };

const jsonBody = (description: string) => ({
  required: true,
  description,
  content: { "application/json": { schema: ANY_OBJECT } },
});

const answer = (description: string, stream: boolean) => ({
  description,
  content: {
    "application/json": { schema: ANY_OBJECT },
    ...(stream ? { "text/event-stream": { schema: { type: "string" } } } : {}),
  },
});

const ERRORS = {
  "4XX": {
    description:
      "401 missing/invalid key, 402 budget exceeded, 403 revoked/expired key or plan limit, 404 no provider " +
      "serves the model, 413 body over 32 MB, 429 rate limit (retry_after, Retry-After): in the door's own error shape",
  },
  "5XX": {
    description: "502 upstream error, 503 shutting down, 504 upstream timeout: in the door's own error shape",
  },
};

const op = (summary: string, description: string, body: string | null, stream: boolean): Json => ({
  tags: ["gateway"],
  summary,
  description,
  security: [{ bearerAuth: [] }, { apiKeyHeader: [] }],
  ...(body ? { requestBody: jsonBody(body) } : {}),
  responses: { 200: answer("The provider's answer in the door's protocol", stream), ...ERRORS },
});

export const PROXY_TAG = {
  name: "gateway",
  description:
    "The front doors developers call with a virtual key (`Authorization: Bearer sk-…` or `x-api-key`). " +
    'Same-protocol pairs pass bytes through unchanged; everything else is translated. `model: "auto"` is routed ' +
    "when the router is on; SNODUS_FALLBACKS chains apply on every door.",
};

export const PROXY_PATHS: Record<string, Json> = {
  "/v1/messages": {
    post: op(
      "Anthropic Messages, for every model",
      "Claude models pass through byte for byte; OpenAI and Ollama models are translated both ways, streaming included.",
      "An Anthropic Messages request",
      true,
    ),
  },
  "/v1/messages/count_tokens": {
    post: op(
      "Count input tokens",
      "Forwarded to Anthropic for Claude models; counted locally (o200k_base) for every other model. Not billed.",
      "An Anthropic count_tokens request",
      false,
    ),
  },
  "/v1/chat/completions": {
    post: op(
      "OpenAI Chat Completions, for every model",
      "OpenAI models pass through; Claude and Ollama models are translated (tools, streaming, include_usage).",
      "An OpenAI Chat Completions request",
      true,
    ),
  },
  "/v1/responses": {
    post: op(
      "OpenAI Responses API, for every model",
      "What Codex CLI speaks. OpenAI models pass through; Claude and Ollama models are translated with the Responses " +
        "event types. previous_response_id works for OpenAI models only (400 otherwise). A WebSocket upgrade gets 426.",
      "An OpenAI Responses request",
      true,
    ),
  },
  "/v1/embeddings": {
    post: op(
      "OpenAI embeddings",
      "OpenAI models pass through; Ollama models go to /api/embed. Billed on input tokens.",
      "An OpenAI embeddings request",
      false,
    ),
  },
  "/v1/models": {
    get: op(
      "List models",
      "Anthropic's list shape when the request carries anthropic-version, OpenAI's otherwise.",
      null,
      false,
    ),
  },
  "/v1/models/{id}": {
    get: {
      ...op(
        "Retrieve a model",
        "In the asking SDK's shape; 404 for a model no provider serves.",
        null,
        false,
      ),
      parameters: [
        { name: "id", in: "path", required: true, schema: { type: "string" }, description: "Model id" },
      ],
    },
  },
};
