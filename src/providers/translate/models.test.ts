import { describe, expect, test } from "bun:test";
import {
  estimateInputTokens,
  isAnthropicModel,
  isOllamaFamily,
  isOpenAIModel,
  upstreamModelName,
} from "./models.ts";

describe("model families", () => {
  test("OpenAI", () => {
    for (const m of ["gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-5", "gpt-5-mini", "o1", "o3-mini", "o4-mini"]) {
      expect(isOpenAIModel(m)).toBe(true);
    }
    expect(isOpenAIModel("chatgpt-4o-latest")).toBe(true);
    expect(isOpenAIModel("ft:gpt-4o-mini:acme::abc123")).toBe(true);
    for (const m of ["gpt-oss:20b", "claude-sonnet-4-5", "llama3.2", "ollama/o3", "omni"]) {
      expect(isOpenAIModel(m)).toBe(false);
    }
  });

  test("Anthropic", () => {
    expect(isAnthropicModel("claude-sonnet-4-5")).toBe(true);
    expect(isAnthropicModel("anthropic/claude-opus-4-5")).toBe(true);
    expect(isAnthropicModel("gpt-4o")).toBe(false);
    expect(isAnthropicModel("my-claude")).toBe(false);
  });

  test("Ollama families and name:tag", () => {
    for (const m of [
      "llama3.2",
      "Llama3.1:8b",
      "qwen2.5-coder",
      "mistral",
      "mixtral:8x7b",
      "phi4",
      "gemma3",
    ]) {
      expect(isOllamaFamily(m)).toBe(true);
    }
    for (const m of ["deepseek-r1:14b", "gpt-oss:20b", "codellama", "my-custom:latest", "ollama/anything"]) {
      expect(isOllamaFamily(m)).toBe(true);
    }
    expect(isOllamaFamily("gpt-4o")).toBe(false);
    expect(isOllamaFamily("claude-haiku-4-5")).toBe(false);
  });

  test("routing prefixes are removed before a name goes upstream", () => {
    expect(upstreamModelName("anthropic/claude-opus-4-5")).toBe("claude-opus-4-5");
    expect(upstreamModelName("ollama/llama3.2:latest")).toBe("llama3.2:latest");
    expect(upstreamModelName("gpt-4o")).toBe("gpt-4o");
  });
});

describe("estimateInputTokens", () => {
  test("about four characters per token over system, messages and tools", () => {
    const text = "x".repeat(4000);
    const estimate = estimateInputTokens({
      system: "s".repeat(400),
      messages: [{ role: "user", content: text }],
    });
    expect(estimate).toBeGreaterThanOrEqual(1100);
    expect(estimate).toBeLessThan(1200);
    const messages = [{ role: "user" as const, content: text }];
    const tools = [{ name: "t", description: "d".repeat(800), input_schema: { type: "object" } }];
    const toolsCost = estimateInputTokens({ messages, tools }) - estimateInputTokens({ messages });
    expect(toolsCost).toBeGreaterThanOrEqual(200);
    expect(toolsCost).toBeLessThan(220);
  });

  test("a base64 image counts a flat 1 600 tokens, not its size", () => {
    const data = "A".repeat(4_000_000);
    const estimate = estimateInputTokens({
      messages: [
        {
          role: "user",
          content: [
            { type: "image", source: { type: "base64", media_type: "image/png", data } },
            { type: "text", text: "What is this?" },
          ],
        },
      ],
    });
    expect(estimate).toBeGreaterThan(1600);
    expect(estimate).toBeLessThan(1700);
  });
});
