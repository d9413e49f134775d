// Ollama's model catalogue endpoints in the gateway's terms: /api/tags entries and /api/show details.

import { createHash } from "node:crypto";

/** The Ollama API level this door implements: clients gate features (tools, embed) on the version they see. */
export const OLLAMA_API_VERSION = "0.12.6";

/** A fixed date: the gateway does not know when a model was pulled, and clients only display it. */
const MODIFIED_AT = "2025-01-01T00:00:00Z";

export interface CatalogEntry {
  id: string;
  /** Which provider serves it (`anthropic`, `openai`, `ollama`, a configured one, or `snodus` for auto). */
  owner: string;
}

const isEmbeddingModel = (id: string) => /embed|minilm|bge-|e5-/i.test(id);

function details(e: CatalogEntry) {
  return {
    parent_model: "",
    format: "",
    family: e.owner,
    families: [e.owner],
    parameter_size: "",
    quantization_level: "",
  };
}

/** One /api/tags entry. Size and digest describe local weights; remote models have none, so size is 0. */
export function tagEntry(e: CatalogEntry) {
  return {
    name: e.id,
    model: e.id,
    modified_at: MODIFIED_AT,
    size: 0,
    digest: createHash("sha256").update(e.id).digest("hex"),
    details: details(e),
  };
}

/** /api/show: what a client reads to decide whether a model chats, calls tools or embeds. */
export function showEntry(e: CatalogEntry) {
  return {
    modelfile: "",
    parameters: "",
    template: "",
    details: details(e),
    model_info: { "general.architecture": e.owner },
    capabilities: isEmbeddingModel(e.id) ? ["embedding"] : ["completion", "tools"],
    modified_at: MODIFIED_AT,
  };
}
