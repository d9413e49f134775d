// OpenAI behind /v1/messages: Anthropic requests become Chat Completions, answers come back as Anthropic.
import { badRequest } from "../../../errors.ts";
import { anthropicToOpenAIRequest } from "../../../providers/openai/from-anthropic.ts";
import { createOpenAIToAnthropicStream } from "../../../providers/openai/stream-to-anthropic.ts";
import { openAIToAnthropicMessage, openAIUsage } from "../../../providers/openai/to-anthropic.ts";
import type { OpenAIChatCompletion } from "../../../providers/openai/types.ts";
import { translatedAdapter } from "./translated.ts";

export const openaiAdapter = translatedAdapter({
  name: "openai",
  request(ctx, body, model) {
    const key = ctx.config.openaiApiKey;
    if (!key)
      throw badRequest("No configured provider serves OpenAI models: set OPENAI_API_KEY on the gateway");
    return {
      url: `${ctx.config.openaiUpstreamUrl}/v1/chat/completions`,
      headers: new Headers({ "content-type": "application/json", authorization: `Bearer ${key.reveal()}` }),
      body: JSON.stringify(anthropicToOpenAIRequest(body, { model })),
    };
  },
  toMessage(json, model) {
    const completion = json as OpenAIChatCompletion;
    return {
      message: openAIToAnthropicMessage(completion, { model }),
      usage: openAIUsage(completion?.usage),
    };
  },
  createStream: (model, inputTokenEstimate) => createOpenAIToAnthropicStream({ model, inputTokenEstimate }),
});
