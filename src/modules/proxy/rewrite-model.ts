// Rewrites only the top-level "model" of a JSON body, keeping every other byte as the client sent it.

const encoder = new TextEncoder();
const MODEL_FIELD = /("model"\s*:\s*)"(?:[^"\\]|\\.)*"/;

/**
 * The first `"model": "…"` string is usually the top-level one; the parse check catches the rare body
 * where a nested object (say, a tool input) names a model first, and then the body is re-serialised.
 */
export function rewriteModel(
  text: string,
  json: Record<string, unknown>,
  model: string,
): Uint8Array<ArrayBuffer> {
  if (json.model === model) return encoder.encode(text);
  const replaced = text.replace(MODEL_FIELD, (_m, prefix: string) => `${prefix}${JSON.stringify(model)}`);
  try {
    const parsed = JSON.parse(replaced) as { model?: unknown };
    if (parsed.model === model) return encoder.encode(replaced);
  } catch {
    // fall through to re-serialising
  }
  return encoder.encode(JSON.stringify({ ...json, model }));
}
