// Random identifiers in Anthropic's style (`msg_…`, `toolu_…`) for replies the gateway assembles itself.

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** `prefix` + `length` random base62 characters (a slight modulo bias is irrelevant for identifiers). */
export function randomId(prefix: string, length = 24): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = prefix;
  for (const b of bytes) out += ALPHABET[b % 62];
  return out;
}

export const newMessageId = (): string => randomId("msg_01");

/** For tool calls whose provider gives none (Ollama); the client echoes it back in its tool_result. */
export const newToolUseId = (): string => randomId("toolu_01");
