import { describe, expect, test } from "bun:test";
import { configuredPrice, parseDeployments, parseProviders } from "../../config/providers-file.ts";
import { openAICompatible, upstreamName } from "./index.ts";

const parse = (raw: unknown, env: Record<string, string> = {}) => {
  const problems: string[] = [];
  const providers = parseProviders(raw, env, (field, message) => problems.push(`${field}: ${message}`));
  return { providers, problems };
};

const one = {
  name: "groq",
  base_url: "https://api.groq.example/openai/v1/",
  api_key_env: "GROQ_KEY",
  models: ["fast"],
  model_prefixes: ["groq/", "deepseek-"],
  model_map: { fast: "llama-3.1-8b-instant" },
  prices: { default: { input: 0.5, output: 1 }, fast: { input: 0.05, output: 0.08, cache_read: 0.01 } },
};

describe("configured OpenAI-compatible providers", () => {
  test("a valid entry: trailing slash trimmed, key from the environment, prices in µ$", () => {
    const { providers, problems } = parse({ providers: [one] }, { GROQ_KEY: "gsk-1" });
    expect(problems).toEqual([]);
    const p = providers[0];
    expect(p?.baseUrl).toBe("https://api.groq.example/openai/v1");
    expect(p?.apiKey?.reveal()).toBe("gsk-1");
    expect(p?.prices.fast).toEqual({
      input: 50_000,
      output: 80_000,
      cacheWrite5m: 50_000,
      cacheWrite1h: 50_000,
      cacheRead: 10_000,
    });
    expect(configuredPrice(providers, "groq/anything")?.input).toBe(500_000);
    expect(configuredPrice(providers, "claude-sonnet-4-5")).toBeUndefined();
  });

  test("names upstream: the map, then a `/` prefix removed, else unchanged", () => {
    const p = parse({ providers: [one] }, { GROQ_KEY: "k" }).providers[0];
    if (!p) throw new Error("no provider");
    expect(upstreamName(p, "fast")).toBe("llama-3.1-8b-instant");
    expect(upstreamName(p, "groq/mixtral")).toBe("mixtral");
    expect(upstreamName(p, "deepseek-chat")).toBe("deepseek-chat");
    const d = openAICompatible(p);
    expect(d.servesFamily("groq/x")).toBe(true);
    expect(d.servesFamily("gpt-4o")).toBe(false);
    expect(d.passthrough["openai-responses"]).toBeUndefined();
    expect(d.passthrough["openai-chat"]?.path("/v1/chat/completions")).toBe("/chat/completions");
  });

  test("every mistake is one line naming the field", () => {
    const { problems } = parse(
      {
        providers: [
          { ...one, name: "openai", api_key: "x" },
          { name: "Bad Name" },
          { ...one, name: "dup" },
          { ...one, name: "dup" },
        ],
        extra: 1,
      },
      { GROQ_KEY: "k" },
    );
    expect(problems).toEqual([
      "extra: unknown field (expected providers, deployments)",
      'providers[0].name: "openai" is a built-in provider\'s name',
      "providers[0].api_key: give api_key or api_key_env, not both",
      "providers[1].name: must be 1-40 lower-case letters, digits, - or _",
      "providers[1].base_url: is required (an http:// or https:// URL)",
      "providers[1].models: give models and/or model_prefixes",
      'providers[3].name: "dup" is declared twice',
    ]);
  });
});

test("deployments: defaults, and one line per mistake", () => {
  const problems: string[] = [];
  const out = parseDeployments(
    [
      { provider: "anthropic", name: "a", weight: 3 },
      { provider: "vllm", name: "gpu-2", base_url: "http://gpu-2:8000/v1/", api_key_env: "GPU_KEY" },
      { provider: "nobody", name: "a", weight: 0, colour: "red" },
      { provider: "anthropic", name: "a" },
    ],
    { GPU_KEY: "k" },
    new Set(["anthropic", "vllm"]),
    (field, message) => problems.push(`${field}: ${message}`),
  );
  expect(out.map((d) => [d.provider, d.name, d.baseUrl, d.apiKey?.reveal() ?? null, d.weight])).toEqual([
    ["anthropic", "a", null, null, 3],
    ["vllm", "gpu-2", "http://gpu-2:8000/v1", "k", 1],
  ]);
  expect(problems).toEqual([
    "deployments[2].colour: unknown field",
    "deployments[2].provider: must name a provider (anthropic, vllm)",
    "deployments[2].weight: must be a positive number",
    'deployments[3].name: "a" is declared twice for anthropic',
  ]);
});
