import { expect, test } from "bun:test";
import { parseOllamaTags } from "./tags.ts";

test("model names from /api/tags, in order, without duplicates; nonsense gives []", () => {
  const json = {
    models: [
      {
        name: "llama3.2:latest",
        model: "llama3.2:latest",
        modified_at: "2025-05-04T17:37:44.706015396-07:00",
        size: 2019393189,
        digest: "a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72",
        details: { format: "gguf", family: "llama", parameter_size: "3.2B", quantization_level: "Q4_K_M" },
      },
      { model: "qwen3:8b" },
      { name: "llama3.2:latest" },
      { name: 42 },
      null,
    ],
  };
  expect(parseOllamaTags(json)).toEqual(["llama3.2:latest", "qwen3:8b"]);
  expect(parseOllamaTags({ models: [] })).toEqual([]);
  expect(parseOllamaTags("oops")).toEqual([]);
  expect(parseOllamaTags(null)).toEqual([]);
});
