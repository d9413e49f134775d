// Reads a proxied request body once, as bytes, enforcing the size limit and reading the few fields we need.
import { badRequest, tooLarge } from "../../errors.ts";

/** One decoder for every request: whole-buffer decoding keeps no state between calls. */
const decoder = new TextDecoder();

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
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (declared > MAX_BODY_BYTES) throw tooLarge(`Request body exceeds ${MAX_BODY_BYTES} bytes`);
  const bytes = new Uint8Array(await request.arrayBuffer());
  if (bytes.byteLength > MAX_BODY_BYTES) throw tooLarge(`Request body exceeds ${MAX_BODY_BYTES} bytes`);
  if (bytes.byteLength === 0) throw badRequest("Request body is empty; expected a JSON object");
  let json: unknown;
  const text = decoder.decode(bytes);
  try {
    json = JSON.parse(text);
  } catch {
    throw badRequest("Request body is not valid JSON");
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
