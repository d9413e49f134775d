// SNODUS_CONFIG: the operator's file (TOML or JSON) declaring OpenAI-compatible upstreams, validated field by field.
import { readFileSync } from "node:fs";
import type { Price } from "../pricing/prices.ts";
import { Secret } from "./secret.ts";

/** An OpenAI-compatible upstream (vLLM, LM Studio, llama.cpp, OpenRouter, Groq, …) as the gateway uses it. */
export interface ConfiguredProvider {
  name: string;
  /** Up to and including the API's version segment (`https://openrouter.ai/api/v1`); `/chat/completions` is appended. */
  baseUrl: string;
  apiKey: Secret | null;
  /** Exact model names it serves (listed in /v1/models and /api/tags). */
  models: string[];
  /** Any model starting with one of these is its; a prefix ending in `/` is removed before the upstream sees the name. */
  modelPrefixes: string[];
  /** The client's model name → the upstream's. */
  modelMap: Record<string, string>;
  /** µ$ per million tokens, by exact model name; `defaultPrice` for the rest it serves. */
  prices: Record<string, Price>;
  defaultPrice: Price | null;
  /** Costs nothing (a self-hosted server): admission and the spend row price it at zero. */
  free: boolean;
  /** Whether it also speaks OpenAI's Responses API (`/responses`), so Responses clients pass through. */
  responses: boolean;
  /** The output cap admission reserves when a client names none. */
  maxOutputTokens: number;
}

/** One of several upstream keys or replicas of a provider (built-in or configured), chosen per attempt by weight. */
export interface DeploymentConfig {
  provider: string;
  name: string;
  /** null: the provider's own base URL. */
  baseUrl: string | null;
  /** null: the provider's own key. */
  apiKey: Secret | null;
  weight: number;
}

export interface ConfigFile {
  providers: ConfiguredProvider[];
  deployments: DeploymentConfig[];
}

/** Names the built-in providers use; a configured one may not take them. */
const BUILTIN = ["anthropic", "openai", "ollama"];
const RESERVED = new Set([...BUILTIN, "snodus"]);
const DEPLOYMENT_FIELDS = new Set(["provider", "name", "base_url", "api_key", "api_key_env", "weight"]);
const FIELDS = new Set([
  "name",
  "base_url",
  "api_key",
  "api_key_env",
  "models",
  "model_prefixes",
  "model_map",
  "prices",
  "free",
  "responses",
  "max_output_tokens",
]);
const DEFAULT_MAX_OUTPUT = 16_384;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Reads the file named by SNODUS_CONFIG once, at start. Every mistake is one line in `problems`
 * naming the file and the field (`providers[1].base_url: …`), so an operator fixes them all at once.
 */
export function loadConfigFile(
  path: string | undefined,
  env: Record<string, string | undefined>,
  problems: string[],
): ConfigFile {
  const none: ConfigFile = { providers: [], deployments: [] };
  if (path === undefined) return none;
  const where = `SNODUS_CONFIG (${path})`;
  let raw: unknown;
  try {
    const text = readFileSync(path, "utf8");
    if (/\.toml$/i.test(path)) raw = Bun.TOML.parse(text);
    else if (/\.json$/i.test(path)) raw = JSON.parse(text);
    else {
      problems.push(`${where}: must be a .toml or .json file`);
      return none;
    }
  } catch (err) {
    const code = (err as { code?: string }).code;
    problems.push(
      code === "ENOENT"
        ? `${where}: file not found`
        : `${where}: cannot be parsed: ${(err as Error).message}`,
    );
    return none;
  }
  const problem = (field: string, message: string) => problems.push(`${where}: ${field}: ${message}`);
  const providers = parseProviders(raw, env, problem);
  const known = new Set([...BUILTIN, ...providers.map((p) => p.name)]);
  const deployments = isObject(raw) ? parseDeployments(raw.deployments, env, known, problem) : [];
  return { providers, deployments };
}

/** The `providers` list of an already parsed file. */
export function parseProviders(
  raw: unknown,
  env: Record<string, string | undefined>,
  problem: (field: string, message: string) => void,
): ConfiguredProvider[] {
  if (!isObject(raw)) {
    problem("(file)", "must be a table / object");
    return [];
  }
  for (const key of Object.keys(raw))
    if (key !== "providers" && key !== "deployments")
      problem(key, "unknown field (expected providers, deployments)");
  if (raw.providers === undefined) return [];
  if (!Array.isArray(raw.providers)) {
    problem("providers", "must be a list ([[providers]] in TOML)");
    return [];
  }
  const out: ConfiguredProvider[] = [];
  const names = new Set<string>();
  raw.providers.forEach((entry, i) => {
    const at = `providers[${i}]`;
    const p = parseProvider(entry, at, env, problem);
    if (!p) return;
    if (names.has(p.name)) problem(`${at}.name`, `"${p.name}" is declared twice`);
    names.add(p.name);
    out.push(p);
  });
  return out;
}

function parseProvider(
  entry: unknown,
  at: string,
  env: Record<string, string | undefined>,
  problem: (field: string, message: string) => void,
): ConfiguredProvider | null {
  if (!isObject(entry)) {
    problem(at, "must be a table / object");
    return null;
  }
  let ok = true;
  const bad = (field: string, message: string) => {
    ok = false;
    problem(`${at}.${field}`, message);
  };
  for (const key of Object.keys(entry)) if (!FIELDS.has(key)) bad(key, "unknown field");

  const name = entry.name;
  if (typeof name !== "string" || !/^[a-z0-9][a-z0-9_-]{0,39}$/.test(name))
    bad("name", "must be 1-40 lower-case letters, digits, - or _");
  else if (RESERVED.has(name)) bad("name", `"${name}" is a built-in provider's name`);

  let baseUrl = "";
  if (typeof entry.base_url !== "string") bad("base_url", "is required (an http:// or https:// URL)");
  else baseUrl = httpUrl(entry.base_url, bad);
  const apiKey = keyOf(entry, env, bad);

  const strings = (field: string): string[] => {
    const v = entry[field];
    if (v === undefined) return [];
    if (!Array.isArray(v) || !v.every((s) => typeof s === "string" && s !== "")) {
      bad(field, "must be a list of non-empty strings");
      return [];
    }
    return v as string[];
  };
  const models = strings("models");
  const modelPrefixes = strings("model_prefixes");
  if (models.length === 0 && modelPrefixes.length === 0) bad("models", "give models and/or model_prefixes");

  const modelMap: Record<string, string> = {};
  if (entry.model_map !== undefined) {
    if (!isObject(entry.model_map)) bad("model_map", "must be a table of client name = upstream name");
    else
      for (const [k, v] of Object.entries(entry.model_map)) {
        if (typeof v !== "string" || v === "") bad(`model_map.${k}`, "must be a non-empty string");
        else modelMap[k] = v;
      }
  }

  const prices: Record<string, Price> = {};
  let defaultPrice: Price | null = null;
  if (entry.prices !== undefined) {
    if (!isObject(entry.prices)) bad("prices", "must be a table of model = { input, output }");
    else
      for (const [model, v] of Object.entries(entry.prices)) {
        const price = parsePrice(v, `prices.${model}`, bad);
        if (price && model === "default") defaultPrice = price;
        else if (price) prices[model] = price;
      }
  }

  const flag = (field: string): boolean => {
    const v = entry[field];
    if (v === undefined) return false;
    if (typeof v !== "boolean") bad(field, "must be true or false");
    return v === true;
  };
  const free = flag("free");
  const responses = flag("responses");
  let maxOutputTokens = DEFAULT_MAX_OUTPUT;
  if (entry.max_output_tokens !== undefined) {
    const v = entry.max_output_tokens;
    if (typeof v !== "number" || !Number.isInteger(v) || v < 1)
      bad("max_output_tokens", "must be a positive integer");
    else maxOutputTokens = v;
  }
  if (!ok) return null;
  return {
    name: name as string,
    baseUrl,
    apiKey,
    models,
    modelPrefixes,
    modelMap,
    prices,
    defaultPrice,
    free,
    responses,
    maxOutputTokens,
  };
}

/** `[[deployments]]`: several keys or replicas for a provider named in `known`. */
export function parseDeployments(
  raw: unknown,
  env: Record<string, string | undefined>,
  known: ReadonlySet<string>,
  problem: (field: string, message: string) => void,
): DeploymentConfig[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    problem("deployments", "must be a list ([[deployments]] in TOML)");
    return [];
  }
  const out: DeploymentConfig[] = [];
  const seen = new Set<string>();
  raw.forEach((entry, i) => {
    const at = `deployments[${i}]`;
    if (!isObject(entry)) {
      problem(at, "must be a table / object");
      return;
    }
    let ok = true;
    const bad = (field: string, message: string) => {
      ok = false;
      problem(`${at}.${field}`, message);
    };
    for (const key of Object.keys(entry)) if (!DEPLOYMENT_FIELDS.has(key)) bad(key, "unknown field");
    const provider = entry.provider;
    if (typeof provider !== "string" || !known.has(provider))
      bad("provider", `must name a provider (${[...known].join(", ")})`);
    const name = entry.name;
    if (typeof name !== "string" || !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/.test(name))
      bad("name", "must be 1-40 letters, digits, - _ or .");
    else if (seen.has(`${provider}/${name}`)) bad("name", `"${name}" is declared twice for ${provider}`);
    seen.add(`${provider}/${name}`);
    const baseUrl = entry.base_url === undefined ? null : httpUrl(entry.base_url, bad);
    const apiKey = keyOf(entry, env, bad);
    let weight = 1;
    if (entry.weight !== undefined) {
      if (typeof entry.weight !== "number" || !(entry.weight > 0)) bad("weight", "must be a positive number");
      else weight = entry.weight;
    }
    if (ok) out.push({ provider: provider as string, name: name as string, baseUrl, apiKey, weight });
  });
  return out;
}

function httpUrl(v: unknown, bad: (field: string, message: string) => void): string {
  try {
    if (typeof v !== "string") throw new Error("not a string");
    const u = new URL(v);
    if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error("not http");
    return v.replace(/\/+$/, "");
  } catch {
    bad("base_url", `must be an http:// or https:// URL (got ${JSON.stringify(v)})`);
    return "";
  }
}

function keyOf(
  entry: Json,
  env: Record<string, string | undefined>,
  bad: (field: string, message: string) => void,
): Secret | null {
  if (entry.api_key !== undefined && entry.api_key_env !== undefined) {
    bad("api_key", "give api_key or api_key_env, not both");
    return null;
  }
  if (entry.api_key !== undefined) {
    if (typeof entry.api_key === "string" && entry.api_key !== "") return new Secret(entry.api_key);
    bad("api_key", "must be a non-empty string");
    return null;
  }
  if (entry.api_key_env === undefined) return null;
  if (typeof entry.api_key_env !== "string") {
    bad("api_key_env", "must be the name of an environment variable");
    return null;
  }
  const v = env[entry.api_key_env]?.trim();
  if (v) return new Secret(v);
  bad("api_key_env", `${entry.api_key_env} is not set`);
  return null;
}

/** `{ input, output, cache_read? }` in USD per million tokens → µ$ rates. */
function parsePrice(v: unknown, field: string, bad: (field: string, message: string) => void): Price | null {
  const usd = (x: unknown) => typeof x === "number" && Number.isFinite(x) && x >= 0;
  if (!isObject(v) || !usd(v.input) || !usd(v.output) || (v.cache_read !== undefined && !usd(v.cache_read))) {
    bad(field, "must be { input = USD, output = USD } per million tokens (cache_read optional)");
    return null;
  }
  const micros = (x: number) => Math.round(x * 1_000_000);
  const input = micros(v.input as number);
  // OpenAI-compatible APIs report no cache writes; cache reads cost the input price unless told otherwise.
  return {
    input,
    output: micros(v.output as number),
    cacheWrite5m: input,
    cacheWrite1h: input,
    cacheRead: v.cache_read === undefined ? input : micros(v.cache_read as number),
  };
}

/** Whether a configured provider serves a model (exact name, then prefix). */
export const servesModel = (p: ConfiguredProvider, model: string): boolean =>
  p.models.includes(model) || p.modelPrefixes.some((prefix) => model.startsWith(prefix));

/** The configured price of a model, from the first provider that serves it; undefined means "the price table". */
export function configuredPrice(providers: readonly ConfiguredProvider[], model: string): Price | undefined {
  const p = providers.find((c) => servesModel(c, model));
  if (!p) return undefined;
  return p.prices[model] ?? p.defaultPrice ?? undefined;
}
