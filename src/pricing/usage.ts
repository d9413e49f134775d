// The gateway's provider-neutral token usage record, the unit every cost calculation starts from.

/**
 * Token counts for one request. Follows Anthropic's accounting: `inputTokens` excludes the
 * cache writes and cache reads, which are counted (and priced) separately. Adapters for
 * providers that report an inclusive prompt count (OpenAI) subtract the cached part.
 */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  /** Total cache writes, both TTLs. */
  cacheCreationInputTokens: number;
  /** The part of `cacheCreationInputTokens` written with the 1 h TTL (priced higher); 0 if unknown. */
  cacheCreation1hInputTokens: number;
  cacheReadInputTokens: number;
}

export const emptyUsage = (): Usage => ({
  inputTokens: 0,
  outputTokens: 0,
  cacheCreationInputTokens: 0,
  cacheCreation1hInputTokens: 0,
  cacheReadInputTokens: 0,
});
