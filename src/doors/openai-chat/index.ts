// The Chat Completions door's public surface: what the pipeline calls for a translated model.

export { anthropicMessageToChatCompletion, type ChatCompletionJson, chatUsageJson } from "./reply.ts";
export { chatIncludeUsage, chatRequestToAnthropic } from "./request.ts";
export { type ChatStreamTranslator, createAnthropicToChatStream } from "./stream.ts";
