// The Responses door's public surface: translation for Claude/Ollama models, metering for OpenAI ones.

export { anthropicMessageToResponse } from "./reply.ts";
export { PreviousResponseError, responsesRequestToAnthropic } from "./request.ts";
export { createAnthropicToResponsesStream, type ResponsesStreamTranslator } from "./stream.ts";
export { createResponsesStreamMeter, type ResponsesStreamMeter, responsesUsage } from "./usage.ts";
