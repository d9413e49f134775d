// Request tags and end-user attribution: read from headers (or the body's own user field), bounded, kept on the spend row.
import { badRequest } from "../../errors.ts";

/** At most this many tags per request, each at most MAX_TAG_LENGTH characters of TAG_CHARS. */
export const MAX_TAGS = 10;
export const MAX_TAG_LENGTH = 64;
/** An end-user id is at most this long (OpenAI's `user`, Anthropic's `metadata.user_id`, `x-snodus-user`). */
export const MAX_END_USER_LENGTH = 256;
/** Tags are identifiers: no commas (the separator), spaces or quotes, so filters and CSV stay simple. */
export const TAG_PATTERN = /^[A-Za-z0-9._:/-]+$/;

export interface Attribution {
  /** Comma-separated, as stored; null when the request had none. */
  tags: string | null;
  endUser: string | null;
}

/** Validates one tag (also used for the analytics `tag=` filter); returns the reason it is refused, or null. */
export function tagProblem(tag: string): string | null {
  if (tag.length > MAX_TAG_LENGTH) return `tags are at most ${MAX_TAG_LENGTH} characters`;
  if (!TAG_PATTERN.test(tag))
    return `tag "${tag.slice(0, MAX_TAG_LENGTH)}" may only use letters, digits and . _ : / -`;
  return null;
}

/**
 * `x-snodus-tags: a,b` and `x-snodus-user: id`; without the header, the body's OpenAI `user` or
 * Anthropic `metadata.user_id`. Too many or too long values are the client's mistake: 400.
 */
export function attribution(headers: Headers, body: unknown): Attribution {
  const rawTags = headers.get("x-snodus-tags");
  let tags: string | null = null;
  if (rawTags !== null) {
    const list = [
      ...new Set(
        rawTags
          .split(",")
          .map((t) => t.trim())
          .filter(Boolean),
      ),
    ];
    if (list.length > MAX_TAGS)
      throw badRequest(`x-snodus-tags: at most ${MAX_TAGS} tags (got ${list.length})`);
    for (const tag of list) {
      const problem = tagProblem(tag);
      if (problem) throw badRequest(`x-snodus-tags: ${problem}`);
    }
    tags = list.length ? list.join(",") : null;
  }
  const endUser = headers.get("x-snodus-user")?.trim() || bodyUser(body);
  if (endUser && endUser.length > MAX_END_USER_LENGTH)
    throw badRequest(`The end-user id is at most ${MAX_END_USER_LENGTH} characters (got ${endUser.length})`);
  return { tags, endUser: endUser || null };
}

function bodyUser(body: unknown): string | null {
  if (!body || typeof body !== "object") return null;
  const b = body as { user?: unknown; metadata?: { user_id?: unknown } };
  if (typeof b.user === "string") return b.user.trim() || null;
  const id = b.metadata && typeof b.metadata === "object" ? b.metadata.user_id : undefined;
  return typeof id === "string" ? id.trim() || null : null;
}
