// What an OpenAI model accepts: its output-token ceiling and whether it is a reasoning model.

/** Longest prefix first, so `gpt-4o-mini` is not taken for `gpt-4o`. */
const MAX_OUTPUT: ReadonlyArray<readonly [prefix: string, tokens: number]> = [
  ["gpt-5-chat", 16_384],
  ["gpt-5", 128_000],
  ["gpt-4.1", 32_768],
  ["gpt-4o-mini", 16_384],
  ["gpt-4o", 16_384],
  ["gpt-4-turbo", 4_096],
  ["gpt-4", 8_192],
  ["gpt-3.5-turbo", 4_096],
  ["o1-mini", 65_536],
  ["o1-preview", 32_768],
  ["o1", 100_000],
  ["o3", 100_000],
  ["o4-mini", 100_000],
];

const DEFAULT_MAX_OUTPUT = 16_384;

/** Fine-tunes (`ft:gpt-4o-mini:org::id`) behave like their base model. */
const baseName = (model: string): string => (model.startsWith("ft:") ? model.slice(3) : model);

/** The most output tokens the model may be asked for; asking for more is a 400 at OpenAI. */
export function openAIMaxOutputTokens(model: string): number {
  const name = baseName(model);
  for (const [prefix, tokens] of MAX_OUTPUT) if (name.startsWith(prefix)) return tokens;
  return DEFAULT_MAX_OUTPUT;
}

/**
 * o-series and gpt-5 reason before answering. They take `max_completion_tokens` (reasoning included)
 * and `reasoning_effort`, and reject `temperature`/`top_p` other than 1 and `stop`. gpt-5-chat is a
 * plain chat model.
 */
export function isOpenAIReasoningModel(model: string): boolean {
  const name = baseName(model);
  if (name.startsWith("gpt-5-chat")) return false;
  return /^(o\d|gpt-5)/.test(name);
}
