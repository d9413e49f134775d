// Model names from Ollama's `GET /api/tags` reply.

/** Each installed model's name (`llama3.2:latest`), in Ollama's order, without duplicates; [] if unreadable. */
export function parseOllamaTags(json: unknown): string[] {
  const models =
    typeof json === "object" && json !== null ? (json as { models?: unknown }).models : undefined;
  if (!Array.isArray(models)) return [];
  const names = new Set<string>();
  for (const m of models) {
    if (typeof m !== "object" || m === null) continue;
    const { name, model } = m as { name?: unknown; model?: unknown };
    const value = typeof name === "string" && name !== "" ? name : model;
    if (typeof value === "string" && value !== "") names.add(value);
  }
  return [...names];
}
