import { describe, expect, test } from "bun:test";
import OpenAI from "openai";
import type { CreateEmbeddingResponse, EmbeddingCreateParams } from "openai/resources/embeddings";
import { TranslationError } from "../../providers/translate/content.ts";
import { serveBytes } from "../../providers/translate/testing.ts";
import {
  embeddingsUsage,
  encodingFormatOf,
  float32Base64,
  ollamaEmbedToOpenAI,
  ollamaEmbedUsage,
  openaiEmbeddingsToOllama,
} from "./embeddings.ts";

const OLLAMA_REPLY = {
  model: "nomic-embed-text",
  embeddings: [
    [0.1, -0.25, 3.5],
    [1, 0, -1],
  ],
  total_duration: 14143917,
  load_duration: 1019500,
  prompt_eval_count: 8,
};

describe("openaiEmbeddingsToOllama", () => {
  test("text inputs and dimensions pass; truncation is explicit", () => {
    const one: EmbeddingCreateParams = { model: "nomic-embed-text", input: "hello" };
    expect(openaiEmbeddingsToOllama(one)).toEqual({
      model: "nomic-embed-text",
      input: "hello",
      truncate: true,
    });
    const many: EmbeddingCreateParams = {
      model: "m",
      input: ["a", "b"],
      dimensions: 256,
      encoding_format: "base64",
      user: "u",
    };
    expect(openaiEmbeddingsToOllama(many)).toEqual({
      model: "m",
      input: ["a", "b"],
      truncate: true,
      dimensions: 256,
    });
  });

  test("token arrays and bad fields are TranslationErrors naming the field", () => {
    const fails = (body: unknown) => {
      expect(() => openaiEmbeddingsToOllama(body)).toThrow(TranslationError);
      try {
        openaiEmbeddingsToOllama(body);
      } catch (err) {
        return (err as Error).message;
      }
    };
    expect(fails({ model: "m", input: [1, 2, 3] })).toStartWith("input: token arrays");
    expect(fails({ model: "m", input: [[1, 2]] })).toStartWith("input: token arrays");
    expect(fails({ model: "m", input: [] })).toStartWith("input:");
    expect(fails({ model: "m" })).toStartWith("input:");
    expect(fails({ input: "x" })).toStartWith("model:");
    expect(fails({ model: "m", input: "x", dimensions: 0 })).toStartWith("dimensions:");
    expect(fails({ model: "m", input: "x", encoding_format: "int8" })).toStartWith("encoding_format:");
  });

  test("encoding_format defaults to float", () => {
    expect(encodingFormatOf({})).toBe("float");
    expect(encodingFormatOf({ encoding_format: "base64" })).toBe("base64");
  });
});

describe("ollamaEmbedToOpenAI", () => {
  test("floats, in OpenAI's list shape with usage", () => {
    const out: CreateEmbeddingResponse = ollamaEmbedToOpenAI(
      OLLAMA_REPLY,
      "nomic-embed-text",
      "float",
    ) as CreateEmbeddingResponse;
    expect(out).toEqual({
      object: "list",
      data: [
        { object: "embedding", index: 0, embedding: [0.1, -0.25, 3.5] },
        { object: "embedding", index: 1, embedding: [1, 0, -1] },
      ],
      model: "nomic-embed-text",
      usage: { prompt_tokens: 8, total_tokens: 8 },
    });
  });

  test("base64 is little-endian float32", () => {
    expect(float32Base64([1, -2])).toBe(Buffer.from([0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0]).toString("base64"));
    const out = ollamaEmbedToOpenAI(OLLAMA_REPLY, "m", "base64");
    const bytes = Buffer.from(out.data[0]?.embedding as string, "base64");
    const floats = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
    expect(Array.from(floats)).toEqual([Math.fround(0.1), -0.25, 3.5]);
  });

  test("the official SDK decodes our base64 vectors (it asks for base64 by default)", async () => {
    const body = new TextEncoder().encode(JSON.stringify(ollamaEmbedToOpenAI(OLLAMA_REPLY, "m", "base64")));
    const server = serveBytes(body, "application/json");
    try {
      const client = new OpenAI({ baseURL: server.url, apiKey: "x", maxRetries: 0 });
      const res = await client.embeddings.create({ model: "m", input: ["a", "b"] });
      expect(res.data.map((d) => d.embedding)).toEqual([
        [Math.fround(0.1), -0.25, 3.5],
        [1, 0, -1],
      ]);
    } finally {
      server.stop();
    }
  });

  test("an unrecognisable answer gives an empty list, not a crash", () => {
    expect(ollamaEmbedToOpenAI(null, "m", "float")).toEqual({
      object: "list",
      data: [],
      model: "m",
      usage: { prompt_tokens: 0, total_tokens: 0 },
    });
  });
});

describe("usage", () => {
  test("OpenAI passthrough and Ollama answers count input tokens only", () => {
    expect(
      embeddingsUsage({ object: "list", data: [], usage: { prompt_tokens: 12, total_tokens: 12 } }),
    ).toEqual({
      inputTokens: 12,
      outputTokens: 0,
      cacheCreationInputTokens: 0,
      cacheCreation1hInputTokens: 0,
      cacheReadInputTokens: 0,
    });
    expect(embeddingsUsage({}).inputTokens).toBe(0);
    expect(ollamaEmbedUsage(OLLAMA_REPLY).inputTokens).toBe(8);
    expect(ollamaEmbedUsage({ prompt_eval_count: -3 }).inputTokens).toBe(0);
  });
});
