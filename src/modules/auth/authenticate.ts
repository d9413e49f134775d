// Turns a request's virtual key into an authorised identity, or the 401/403 the spec names.
import { forbidden, unauthorized } from "../../errors.ts";
import type { KeyIdentity } from "../../store/types.ts";
import { hashKey, looksLikeKey } from "../keys/secret.ts";
import type { KeyCache } from "./key-cache.ts";

/** `Authorization: Bearer sk-…` (preferred) or `x-api-key: sk-…`. */
export function extractKey(headers: Headers): string | null {
  const auth = headers.get("authorization");
  if (auth) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (m?.[1]) return m[1];
  }
  return headers.get("x-api-key")?.trim() || null;
}

export async function authenticate(headers: Headers, cache: KeyCache, now: number): Promise<KeyIdentity> {
  const secret = extractKey(headers);
  if (!secret) throw unauthorized("Missing API key: send Authorization: Bearer sk-… or x-api-key: sk-…");
  if (!looksLikeKey(secret)) throw unauthorized("Invalid API key");
  const found = cache.get(hashKey(secret));
  const identity = found instanceof Promise ? await found : found;
  if (!identity) throw unauthorized("Invalid API key");
  return authorize(identity, now);
}

/** The checks that can change while a key is cached: revocation, expiry, deactivation. */
export function authorize(identity: KeyIdentity, now: number): KeyIdentity {
  const { key, user } = identity;
  if (!key.isActive) throw forbidden("This API key has been revoked", "key_revoked");
  if (key.expiresAt && key.expiresAt.getTime() <= now)
    throw forbidden("This API key has expired", "key_expired");
  if (!user.isActive) throw forbidden("The user owning this API key is inactive", "user_inactive");
  return identity;
}
