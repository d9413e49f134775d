// Per-request behaviour of the mock upstream: the MockBehavior type, x-mock parsing, presets, merging.

export type Protocol = "anthropic" | "openai" | "ollama";

/** Token counts in Anthropic's vocabulary; the OpenAI and Ollama modules translate them. */
export interface MockUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation?: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
}

export interface MockToolUse {
  name: string;
  input: Record<string, unknown>;
  id?: string;
}

/** One entry of Ollama's GET /api/tags. */
export interface OllamaModelInfo {
  name: string;
  model: string;
  modified_at: string;
  size: number;
  digest: string;
  details: {
    parent_model: string;
    format: string;
    family: string;
    families: string[];
    parameter_size: string;
    quantization_level: string;
  };
}

/** What a test can ask of the mock, per request (x-mock header) or for all requests (setDefault). */
export interface MockBehavior {
  /** Reply text, streamed in ~3 deltas. With toolUse it is only sent when set explicitly. */
  text?: string;
  /** Merged field by field over the defaults (input 12, output 8, caches 0). */
  usage?: Partial<MockUsage>;
  /** Delay before the response headers. */
  latencyMs?: number;
  /** Delay between stream events. */
  chunkDelayMs?: number;
  /** Answer with this HTTP status (>= 400) and the provider's error body. */
  status?: number;
  errorType?: string;
  errorMessage?: string;
  /**
   * Fail after the first delta (true) or after N events: Anthropic error event, Ollama error line,
   * Responses `response.failed` (see failEvent), Chat Completions reset. errorType is the error's code.
   */
  failMidStream?: boolean | number;
  /**
   * Reset the connection after the first delta (true) or after N events, with no error event.
   * On non-streaming requests either flag sends half of the JSON body, then resets the connection.
   */
  abortMidStream?: boolean | number;
  toolUse?: MockToolUse;
  /**
   * Answer `toolUse` only until the conversation ends with a tool result (Anthropic tool_result,
   * OpenAI role "tool" or function_call_output, Ollama role "tool"); then reply with text. One
   * header then drives a whole agent loop, e.g. Codex calling a tool and finishing its turn.
   */
  toolUseUntilResult?: boolean;
  stopReason?: string;
  /** GET /api/tags listing: names (details are made up) or full entries. */
  ollamaModels?: Array<string | OllamaModelInfo>;
  /** Responses API: a reasoning item with this summary text comes before the message. */
  reasoning?: string;
  /** Part of output_tokens reported as reasoning tokens (OpenAI chat and Responses); clamped to it. */
  reasoningTokens?: number;
  /**
   * Responses API failMidStream: `response.failed` (default, status "failed" with response.error) or a
   * bare `error` event (what the API sends for rate limits and quota once the stream is open).
   */
  failEvent?: FailEvent;
  /** Length of embedding vectors when the request names no `dimensions` (default: the model's own). */
  embeddingDimensions?: number;
}

export type FailEvent = "response.failed" | "error";

/** A behaviour with every default applied; what the protocol modules work from. */
export interface ResolvedBehavior {
  text: string;
  /** Whether `text` was asked for, which decides if a tool_use reply also carries a text block. */
  textExplicit: boolean;
  usage: Required<MockUsage>;
  latencyMs: number;
  chunkDelayMs: number;
  status?: number;
  errorType?: string;
  errorMessage?: string;
  failMidStream?: boolean | number;
  abortMidStream?: boolean | number;
  toolUse?: MockToolUse;
  toolUseUntilResult: boolean;
  stopReason?: string;
  ollamaModels: OllamaModelInfo[];
  reasoning?: string;
  reasoningTokens: number;
  failEvent: FailEvent;
  embeddingDimensions?: number;
}

export const DEFAULT_TEXT = "Hello from the mock upstream.";

const DEFAULT_USAGE: MockUsage = {
  input_tokens: 12,
  output_tokens: 8,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
};

export const DEFAULT_OLLAMA_MODELS: OllamaModelInfo[] = [
  {
    name: "llama3.2:latest",
    model: "llama3.2:latest",
    modified_at: "2025-01-15T10:12:44.123456789Z",
    size: 2019393189,
    digest: "a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72",
    details: {
      parent_model: "",
      format: "gguf",
      family: "llama",
      families: ["llama"],
      parameter_size: "3.2B",
      quantization_level: "Q4_K_M",
    },
  },
  {
    name: "qwen2.5:7b",
    model: "qwen2.5:7b",
    modified_at: "2025-01-10T08:30:00.000000000Z",
    size: 4683087332,
    digest: "845dbda0ea48ed749caafd9e6037047aa19acfcfd82e704d7ca97d631a0b697e",
    details: {
      parent_model: "",
      format: "gguf",
      family: "qwen2",
      families: ["qwen2"],
      parameter_size: "7.6B",
      quantization_level: "Q4_K_M",
    },
  },
];

/** Thrown for a malformed x-mock header; the server answers 400 in the protocol's error shape. */
export class MockHeaderError extends Error {}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function num(o: Record<string, unknown>, key: string): number | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
    throw new MockHeaderError(`x-mock: ${key} must be a non-negative number`);
  }
  return v;
}

function str(o: Record<string, unknown>, key: string): string | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== "string") throw new MockHeaderError(`x-mock: ${key} must be a string`);
  return v;
}

function bool(o: Record<string, unknown>, key: string): boolean | undefined {
  const v = o[key];
  if (v === undefined || typeof v === "boolean") return v;
  throw new MockHeaderError(`x-mock: ${key} must be a boolean`);
}

function flag(o: Record<string, unknown>, key: string): boolean | number | undefined {
  const v = o[key];
  if (v === undefined || typeof v === "boolean") return v;
  if (typeof v === "number" && Number.isFinite(v) && v >= 0) return v;
  throw new MockHeaderError(`x-mock: ${key} must be a boolean or a number of events`);
}

function parseUsage(v: unknown): Partial<MockUsage> | undefined {
  if (v === undefined) return undefined;
  if (!isObject(v)) throw new MockHeaderError("x-mock: usage must be an object");
  const out: Partial<MockUsage> = {};
  for (const key of [
    "input_tokens",
    "output_tokens",
    "cache_creation_input_tokens",
    "cache_read_input_tokens",
  ] as const) {
    const n = num(v, key);
    if (n !== undefined) out[key] = n;
  }
  const cc = v.cache_creation;
  if (cc !== undefined) {
    if (!isObject(cc)) throw new MockHeaderError("x-mock: usage.cache_creation must be an object");
    out.cache_creation = {
      ephemeral_5m_input_tokens: num(cc, "ephemeral_5m_input_tokens") ?? 0,
      ephemeral_1h_input_tokens: num(cc, "ephemeral_1h_input_tokens") ?? 0,
    };
  }
  return out;
}

function parseToolUse(v: unknown): MockToolUse | undefined {
  if (v === undefined) return undefined;
  if (!isObject(v) || typeof v.name !== "string" || !isObject(v.input)) {
    throw new MockHeaderError("x-mock: toolUse must be { name: string, input: object, id?: string }");
  }
  const id = str(v, "id");
  return id === undefined ? { name: v.name, input: v.input } : { name: v.name, input: v.input, id };
}

function parseOllamaModels(v: unknown): Array<string | OllamaModelInfo> | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) throw new MockHeaderError("x-mock: ollamaModels must be an array");
  return v.map((m: unknown): string | OllamaModelInfo => {
    if (typeof m === "string") return m;
    if (isObject(m) && typeof m.name === "string") return expandOllamaModel(m.name, m);
    throw new MockHeaderError("x-mock: ollamaModels entries must be names or objects with a name");
  });
}

function parseFailEvent(v: unknown): FailEvent | undefined {
  if (v === undefined || v === "response.failed" || v === "error") return v;
  throw new MockHeaderError('x-mock: failEvent must be "response.failed" or "error"');
}

/**
 * The x-mock header value for a behaviour. Header values must be Latin-1 (fetch rejects anything
 * else), so every non-ASCII character is sent as a JSON \u escape; `text: "🌍"` then just works.
 */
export function mockHeader(b: MockBehavior): string {
  return JSON.stringify(b).replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** Validates an x-mock header value (JSON) into a partial behaviour. */
export function parseMockHeader(value: string): MockBehavior {
  let raw: unknown;
  try {
    raw = JSON.parse(value);
  } catch {
    throw new MockHeaderError("x-mock header is not valid JSON");
  }
  if (!isObject(raw)) throw new MockHeaderError("x-mock header must be a JSON object");
  const b: MockBehavior = {
    text: str(raw, "text"),
    usage: parseUsage(raw.usage),
    latencyMs: num(raw, "latencyMs"),
    chunkDelayMs: num(raw, "chunkDelayMs"),
    status: num(raw, "status"),
    errorType: str(raw, "errorType"),
    errorMessage: str(raw, "errorMessage"),
    failMidStream: flag(raw, "failMidStream"),
    abortMidStream: flag(raw, "abortMidStream"),
    toolUse: parseToolUse(raw.toolUse),
    toolUseUntilResult: bool(raw, "toolUseUntilResult"),
    stopReason: str(raw, "stopReason"),
    ollamaModels: parseOllamaModels(raw.ollamaModels),
    reasoning: str(raw, "reasoning"),
    reasoningTokens: num(raw, "reasoningTokens"),
    failEvent: parseFailEvent(raw.failEvent),
    embeddingDimensions: num(raw, "embeddingDimensions"),
  };
  return stripUndefined(b);
}

function stripUndefined(b: MockBehavior): MockBehavior {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(b)) if (v !== undefined) out[k] = v;
  return out as MockBehavior;
}

/** Fills in a plausible /api/tags entry for a bare model name, keeping whatever fields were given. */
function expandOllamaModel(name: string, given: Record<string, unknown> = {}): OllamaModelInfo {
  const family = name.split(/[:.\d]/)[0] || name;
  const details = isObject(given.details) ? given.details : {};
  return {
    name,
    model: typeof given.model === "string" ? given.model : name,
    modified_at: typeof given.modified_at === "string" ? given.modified_at : "2025-01-01T00:00:00Z",
    size: typeof given.size === "number" ? given.size : 1_000_000_000,
    digest:
      typeof given.digest === "string"
        ? given.digest
        : new Bun.CryptoHasher("sha256").update(name).digest("hex"),
    details: {
      parent_model: typeof details.parent_model === "string" ? details.parent_model : "",
      format: typeof details.format === "string" ? details.format : "gguf",
      family: typeof details.family === "string" ? details.family : family,
      families: Array.isArray(details.families)
        ? details.families.filter((f): f is string => typeof f === "string")
        : [family],
      parameter_size: typeof details.parameter_size === "string" ? details.parameter_size : "7B",
      quantization_level:
        typeof details.quantization_level === "string" ? details.quantization_level : "Q4_K_M",
    },
  };
}

/** The status a provider uses for "busy, try again": what mock-flaky fails with. */
const OVERLOADED_STATUS: Record<Protocol, number> = { anthropic: 529, openai: 503, ollama: 503 };

/**
 * Presets keyed on the model name, so a test can trigger them without custom headers:
 * - `mock-slow`: 250 ms before headers, 50 ms between events.
 * - `mock-error` (or `mock-error-429` etc.): that status, 500 by default.
 * - `mock-flaky`: the 1st, 3rd, 5th… request for that exact model name fails with the provider's
 *   overloaded status (Anthropic 529, OpenAI/Ollama 503); the others succeed. Deterministic on purpose.
 */
export function presetFor(
  protocol: Protocol,
  model: string,
  flakyFails: () => boolean,
): MockBehavior | undefined {
  if (!model.includes("mock-")) return undefined;
  if (model.includes("mock-slow")) return { latencyMs: 250, chunkDelayMs: 50 };
  const err = /mock-error(?:-(\d{3}))?/.exec(model);
  if (err) return { status: err[1] ? Number(err[1]) : 500 };
  if (model.includes("mock-flaky")) return flakyFails() ? { status: OVERLOADED_STATUS[protocol] } : {};
  return undefined;
}

/** Applies layers in order (later wins); usage merges field by field. */
export function resolveBehavior(layers: Array<MockBehavior | undefined>): ResolvedBehavior {
  let text: string | undefined;
  let usage: Partial<MockUsage> = DEFAULT_USAGE;
  let ollamaModels: Array<string | OllamaModelInfo> | undefined;
  const r: ResolvedBehavior = {
    text: DEFAULT_TEXT,
    textExplicit: false,
    usage: {
      ...DEFAULT_USAGE,
      cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
    },
    latencyMs: 0,
    chunkDelayMs: 0,
    ollamaModels: DEFAULT_OLLAMA_MODELS,
    reasoningTokens: 0,
    failEvent: "response.failed",
    toolUseUntilResult: false,
  };
  for (const l of layers) {
    if (!l) continue;
    if (l.text !== undefined) text = l.text;
    if (l.usage) usage = { ...usage, ...l.usage };
    if (l.ollamaModels) ollamaModels = l.ollamaModels;
    if (l.latencyMs !== undefined) r.latencyMs = l.latencyMs;
    if (l.chunkDelayMs !== undefined) r.chunkDelayMs = l.chunkDelayMs;
    if (l.status !== undefined) r.status = l.status;
    if (l.errorType !== undefined) r.errorType = l.errorType;
    if (l.errorMessage !== undefined) r.errorMessage = l.errorMessage;
    if (l.failMidStream !== undefined) r.failMidStream = l.failMidStream;
    if (l.abortMidStream !== undefined) r.abortMidStream = l.abortMidStream;
    if (l.toolUse !== undefined) r.toolUse = l.toolUse;
    if (l.toolUseUntilResult !== undefined) r.toolUseUntilResult = l.toolUseUntilResult;
    if (l.stopReason !== undefined) r.stopReason = l.stopReason;
    if (l.reasoning !== undefined) r.reasoning = l.reasoning;
    if (l.reasoningTokens !== undefined) r.reasoningTokens = l.reasoningTokens;
    if (l.failEvent !== undefined) r.failEvent = l.failEvent;
    if (l.embeddingDimensions !== undefined) r.embeddingDimensions = l.embeddingDimensions;
  }
  if (text !== undefined) {
    r.text = text;
    r.textExplicit = true;
  }
  const creation = usage.cache_creation_input_tokens ?? 0;
  r.usage = {
    input_tokens: usage.input_tokens ?? DEFAULT_USAGE.input_tokens,
    output_tokens: usage.output_tokens ?? DEFAULT_USAGE.output_tokens,
    cache_creation_input_tokens: creation,
    cache_read_input_tokens: usage.cache_read_input_tokens ?? 0,
    // Anthropic splits cache writes by TTL; without a split, all of it is the default 5-minute kind.
    cache_creation: usage.cache_creation ?? {
      ephemeral_5m_input_tokens: creation,
      ephemeral_1h_input_tokens: 0,
    },
  };
  r.reasoningTokens = Math.min(r.reasoningTokens, r.usage.output_tokens);
  if (ollamaModels)
    r.ollamaModels = ollamaModels.map((m) => (typeof m === "string" ? expandOllamaModel(m) : m));
  return r;
}
