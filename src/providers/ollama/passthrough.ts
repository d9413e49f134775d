// Ollama clients talking to a local Ollama: /api/chat, /api/generate and /api/embed bytes pass through, usage read on the way.

import { upstreamRequestHeaders } from "../../http/headers.ts";
import { rewriteModel } from "../../modules/proxy/rewrite-model.ts";
import { emptyUsage } from "../../pricing/usage.ts";
import { LineSplitter } from "../translate/lines.ts";
import { upstreamModelName } from "../translate/models.ts";
import type { PassthroughMeter, PassthroughRoute } from "../types.ts";
import { ollamaUsage } from "./to-anthropic.ts";

const encoder = new TextEncoder();

/**
 * Reads an NDJSON stream: every line is passed on unchanged, the `done` line carries the counts, and
 * a `{"error": …}` line is Ollama's own in-band error.
 */
export function createOllamaPassthroughMeter(): PassthroughMeter {
  const lines = new LineSplitter();
  let usage = emptyUsage();
  let done = false;
  let error = false;
  const onLine = (line: string): void => {
    if (line.trim() === "") return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      return;
    }
    if (typeof json !== "object" || json === null) return;
    const o = json as { done?: unknown; error?: unknown; prompt_eval_count?: number; eval_count?: number };
    if (typeof o.error === "string") error = true;
    if (o.done === true) {
      done = true;
      usage = ollamaUsage(o);
    }
  };
  return {
    push(chunk) {
      lines.push(chunk, onLine);
      return chunk;
    },
    end() {
      lines.end(onLine);
      return new Uint8Array(0);
    },
    get usage() {
      return usage;
    },
    endedCleanly: () => done,
    sawError: () => error,
  };
}

export const ollamaPassthrough: PassthroughRoute = {
  // The door's paths are Ollama's own: /api/chat, /api/generate, /api/embed.
  path: (clientPath) => clientPath,
  headers(_target, incoming) {
    const headers = upstreamRequestHeaders(incoming);
    for (const name of [...headers.keys()]) if (name.startsWith("anthropic-")) headers.delete(name);
    headers.set("content-type", "application/json");
    return headers;
  },
  body: (json, bytes, text, model) => {
    const name = upstreamModelName(model);
    return { bytes: name === json.model ? bytes : rewriteModel(text, json, name), injected: false };
  },
  // /api/chat and /api/generate report prompt_eval_count and eval_count; /api/embed the first only.
  usage: (json) => ollamaUsage((json ?? {}) as { prompt_eval_count?: number; eval_count?: number }),
  meter: () => createOllamaPassthroughMeter(),
  failureTail: (_kind, message) => encoder.encode(`${JSON.stringify({ error: message })}\n`),
};
