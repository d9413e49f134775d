// Configuration: defaults, parsing, one message per bad value, secrets never printed.
import { expect, test } from "bun:test";
import { parseDatabaseUrl } from "../src/config/database-url.ts";
import { ConfigError, loadConfig } from "../src/config/env.ts";

test("defaults match the spec and DESIGN.md", () => {
  const c = loadConfig({});
  expect(c.database).toEqual({ kind: "sqlite", path: "snodus.db" });
  expect(c.addr).toEqual({ hostname: "0.0.0.0", port: 8080 });
  expect(c.adminUsername).toBe("admin");
  expect(c.adminPassword).toBeNull();
  expect(c.anthropicUpstreamUrl).toBe("https://api.anthropic.com");
  expect(c.openaiUpstreamUrl).toBe("https://api.openai.com");
  expect([c.routerEnabled, c.featureSignup, c.featurePlans, c.featureLanding]).toEqual([
    false,
    false,
    false,
    false,
  ]);
  expect(c.redisUrl).toBeNull();
});

test("DATABASE_URL forms", () => {
  expect(parseDatabaseUrl("postgres://u@h:5432/db")).toEqual({
    kind: "postgres",
    url: "postgres://u@h:5432/db",
  });
  expect(parseDatabaseUrl("postgresql://h/db").kind).toBe("postgres");
  expect(parseDatabaseUrl("sqlite:data/x.db")).toEqual({ kind: "sqlite", path: "data/x.db" });
  expect(parseDatabaseUrl("sqlite:///abs/x.db")).toEqual({ kind: "sqlite", path: "/abs/x.db" });
  expect(parseDatabaseUrl("file:x.db")).toEqual({ kind: "sqlite", path: "x.db" });
  expect(parseDatabaseUrl("./x.db")).toEqual({ kind: "sqlite", path: "./x.db" });
  expect(() => parseDatabaseUrl("mysql://h/db")).toThrow(
    "DATABASE_URL must start with sqlite: / file path or postgres://",
  );
});

test("every bad value is reported, each in one line", () => {
  try {
    loadConfig({
      SNODUS_ADDR: "localhost",
      SNODUS_FEATURES_PLANS: "sure",
      ANTHROPIC_UPSTREAM_URL: "ftp://x",
      REDIS_URL: "localhost:6379",
      SNODUS_UPSTREAM_TIMEOUT_MS: "-1",
      SNODUS_TRUSTED_PROXIES: "10.0.0.0/8,lb.internal",
    });
    throw new Error("expected a ConfigError");
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems;
    expect(problems).toHaveLength(6);
    expect(problems.join("\n")).toContain("SNODUS_TRUSTED_PROXIES must be IP addresses or CIDR ranges");
    expect(problems.join("\n")).toContain("SNODUS_FEATURES_PLANS must be true or false");
    expect(problems.join("\n")).toContain("REDIS_URL must start with redis://");
  }
});

test("addresses, flags and URLs parse", () => {
  const c = loadConfig({
    SNODUS_ADDR: "127.0.0.1:0",
    SNODUS_ROUTER_ENABLED: "TRUE",
    ANTHROPIC_UPSTREAM_URL: "http://127.0.0.1:9999/",
    OLLAMA_BASE_URL: "http://localhost:11434",
  });
  expect(c.addr).toEqual({ hostname: "127.0.0.1", port: 0 });
  expect(c.routerEnabled).toBe(true);
  expect(c.anthropicUpstreamUrl).toBe("http://127.0.0.1:9999");
  expect(c.ollamaBaseUrl).toBe("http://localhost:11434");
  expect(loadConfig({ SNODUS_ADDR: "[::1]:8081" }).addr).toEqual({ hostname: "::1", port: 8081 });
});

test("secrets never print", () => {
  const c = loadConfig({ ANTHROPIC_API_KEY: "sk-ant-very-secret", ADMIN_PASSWORD: "hunter2" });
  const printed = `${JSON.stringify(c)} ${String(c.anthropicApiKey)} ${Bun.inspect(c)}`;
  expect(printed).not.toContain("sk-ant-very-secret");
  expect(printed).not.toContain("hunter2");
  expect(c.anthropicApiKey?.reveal()).toBe("sk-ant-very-secret");
});

test("router tiers and fallback chains", () => {
  const c = loadConfig({
    SNODUS_ROUTER_CHEAP_MODEL: "gpt-4o-mini",
    SNODUS_FALLBACKS: "claude-opus-4-5=claude-sonnet-4-5, gpt-4.1 ; gpt-4o=gpt-4o-mini",
  });
  expect(c.routerTiers).toEqual({ cheap: "gpt-4o-mini", middle: null, top: null });
  expect([...c.fallbacks]).toEqual([
    ["claude-opus-4-5", ["claude-sonnet-4-5", "gpt-4.1"]],
    ["gpt-4o", ["gpt-4o-mini"]],
  ]);
  expect(() => loadConfig({ SNODUS_FALLBACKS: "nonsense" })).toThrow("SNODUS_FALLBACKS must look like");
});

test("SNODUS_ROUTER_METHOD: rules by default, score on request, anything else refused", () => {
  expect(loadConfig({}).routerMethod).toBe("rules");
  expect(loadConfig({ SNODUS_ROUTER_METHOD: "score" }).routerMethod).toBe("score");
  expect(loadConfig({ SNODUS_ROUTER_METHOD: "Score" }).routerMethod).toBe("score");
  expect(() => loadConfig({ SNODUS_ROUTER_METHOD: "llm" })).toThrow(
    'SNODUS_ROUTER_METHOD must be rules or score (got "llm")',
  );
});
