// Reads a proxied request body once, as bytes, enforcing the size limit and reading the few fields we need.
import { badRequest } from "../../errors.ts";
import { MAX_PROXY_JSON_DEPTH, readBodyLimited, tooDeep } from "../../http/body.ts";

/** One decoder for every request: whole-buffer decoding keeps no state between calls. Invalid UTF-8 is a 400. */
const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * /v1 connections are exempt from the idle timeout while in flight (slow first tokens, silent
 * streams), so the body itself gets a deadline: a key holder trickling bytes cannot hold a slot forever.
 */
export const BODY_DEADLINE_MS = 120_000;

/** Larger bodies get 413; Claude Code's biggest requests are a few MB. */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

export interface ProxiedBody {
  /** Exactly the client's bytes; forwarded untouched unless the model is rewritten. */
  bytes: Uint8Array<ArrayBuffer>;
  /** The bytes decoded once, for routing and model rewriting. */
  text: string;
  json: Record<string, unknown>;
  model: string;
  stream: boolean;
  maxTokens: number | null;
}

export async function readJsonBody(request: Request): Promise<ProxiedBody> {
  const bytes = await readBodyLimited(request, MAX_BODY_BYTES, { deadlineMs: BODY_DEADLINE_MS });
  if (bytes.byteLength === 0) throw badRequest("Request body is empty; expected a JSON object");
  let json: unknown;
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    throw badRequest("The request body is not valid UTF-8", "invalid_utf8");
  }
  try {
    json = JSON.parse(text);
  } catch {
    throw badRequest("Request body is not valid JSON", "invalid_json");
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw badRequest("Request body must be a JSON object");
  }
  const body = json as Record<string, unknown>;
  if (typeof body.model !== "string" || body.model.trim() === "")
    throw badRequest("model: field required (a model name)");
  const maxTokens =
    typeof body.max_tokens === "number" && body.max_tokens > 0 ? Math.floor(body.max_tokens) : null;
  return { bytes, text, json: body, model: body.model, stream: body.stream === true, maxTokens };
}

/** Refuses bodies nested deeper than any real request (the translators and the router recurse). */
export function assertShallow(bytes: Uint8Array): void {
  if (tooDeep(bytes, MAX_PROXY_JSON_DEPTH))
    throw badRequest(
      `The request body nests JSON deeper than ${MAX_PROXY_JSON_DEPTH} levels`,
      "json_too_deep",
    );
}
