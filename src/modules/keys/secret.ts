// Virtual key secrets: `sk-` + 40 base62 characters from a CSPRNG; only their SHA-256 is stored.
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const SECRET_LENGTH = 40;

export interface GeneratedKey {
  secret: string;
  hash: string;
  prefix: string;
}

export function generateKey(): GeneratedKey {
  // Rejection sampling keeps every character uniformly likely (256 is not a multiple of 62).
  const chars: string[] = [];
  while (chars.length < SECRET_LENGTH) {
    for (const byte of crypto.getRandomValues(new Uint8Array(64))) {
      if (byte < 248 && chars.length < SECRET_LENGTH) chars.push(ALPHABET[byte % 62] as string);
    }
  }
  const secret = `sk-${chars.join("")}`;
  return { secret, hash: hashKey(secret), prefix: displayPrefix(secret) };
}

export function hashKey(secret: string): string {
  return new Bun.CryptoHasher("sha256").update(secret).digest("hex");
}

/** Enough of the key to recognise it in a list, far too little to guess the rest. */
export function displayPrefix(secret: string): string {
  return `${secret.slice(0, 10)}…`;
}

/** A cheap syntactic check so malformed bearer tokens never reach the cache or store. */
export function looksLikeKey(value: string): boolean {
  return value.startsWith("sk-") && value.length >= 20 && value.length <= 200;
}
