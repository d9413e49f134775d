// A local Ollama behind /v1/messages: Anthropic requests go to /api/chat, NDJSON answers come back as SSE.
import { badRequest } from "../../../errors.ts";
import { anthropicToOllamaRequest } from "../../../providers/ollama/from-anthropic.ts";
import { createOllamaToAnthropicStream } from "../../../providers/ollama/stream-to-anthropic.ts";
import { ollamaToAnthropicMessage, ollamaUsage } from "../../../providers/ollama/to-anthropic.ts";
import type { OllamaChatResponse } from "../../../providers/ollama/types.ts";
import { translatedAdapter } from "./translated.ts";

export const ollamaAdapter = translatedAdapter({
  name: "ollama",
  request(ctx, body, model) {
    const base = ctx.config.ollamaBaseUrl;
    if (!base)
      throw badRequest("No configured provider serves local models: set OLLAMA_BASE_URL on the gateway");
    return {
      url: `${base}/api/chat`,
      headers: new Headers({ "content-type": "application/json" }),
      body: JSON.stringify(anthropicToOllamaRequest(body, { model })),
    };
  },
  toMessage(json, model) {
    const reply = json as OllamaChatResponse;
    return { message: ollamaToAnthropicMessage(reply, { model }), usage: ollamaUsage(reply ?? {}) };
  },
  createStream: (model, inputTokenEstimate) => createOllamaToAnthropicStream({ model, inputTokenEstimate }),
});
