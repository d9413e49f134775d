import { describe, expect, test } from "bun:test";
import { TranslationError } from "../../providers/translate/content.ts";
import { ollamaEmbedToOpenAI, openAIListToOllamaEmbed } from "./embed.ts";
import {
  ollamaChatToAnthropic,
  ollamaGenerateToAnthropic,
  ollamaMaxTokens,
  ollamaStreams,
} from "./request.ts";

const PNG = "iVBORw0KGgoAAAANSUhEUg";

describe("Ollama /api/chat → Anthropic", () => {
  test("system turns join the system prompt; images get their media type; options map", () => {
    const out = ollamaChatToAnthropic({
      model: "claude-x",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "What is this?", images: [PNG, "/9j/4AAQ"] },
      ],
      options: { num_predict: 100, temperature: 1.5, top_p: 0.9, top_k: 40, stop: ["END", " "] },
    });
    expect(out).toEqual({
      model: "claude-x",
      system: "Be brief.",
      messages: [
        {
          role: "user",
          content: [
            { type: "image", source: { type: "base64", media_type: "image/png", data: PNG } },
            { type: "image", source: { type: "base64", media_type: "image/jpeg", data: "/9j/4AAQ" } },
            { type: "text", text: "What is this?" },
          ],
        },
      ],
      stream: true,
      max_tokens: 100,
      temperature: 1,
      top_p: 0.9,
      top_k: 40,
      stop_sequences: ["END"],
    });
  });

  test("tool calls get ids and their results are paired by tool name, in one user turn", () => {
    const out = ollamaChatToAnthropic({
      model: "m",
      stream: false,
      tools: [
        { type: "function", function: { name: "weather", parameters: { type: "object", properties: {} } } },
      ],
      messages: [
        { role: "user", content: "Paris and Oslo?" },
        {
          role: "assistant",
          content: "",
          tool_calls: [
            { function: { name: "weather", arguments: { city: "Paris" } } },
            { function: { name: "time", arguments: '{"city":"Oslo"}' } },
          ],
        },
        { role: "tool", content: "12:00", tool_name: "time" },
        { role: "tool", content: "sunny", tool_name: "weather" },
        { role: "user", content: "Thanks" },
      ],
    });
    expect(out.stream).toBe(false);
    expect(out.tools).toEqual([{ name: "weather", input_schema: { type: "object", properties: {} } }]);
    expect(out.messages.slice(1)).toEqual([
      {
        role: "assistant",
        content: [
          { type: "tool_use", id: "call_1_0", name: "weather", input: { city: "Paris" } },
          { type: "tool_use", id: "call_1_1", name: "time", input: { city: "Oslo" } },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "call_1_1", content: "12:00" },
          { type: "tool_result", tool_use_id: "call_1_0", content: "sunny" },
          { type: "text", text: "Thanks" },
        ],
      },
    ]);
  });

  test('format "json" becomes an instruction, a schema structured output', () => {
    const json = ollamaChatToAnthropic({
      model: "m",
      messages: [{ role: "user", content: "x" }],
      format: "json",
    });
    expect(typeof json.system).toBe("string");
    const schema = { type: "object", properties: { a: { type: "string" } } };
    const structured = ollamaChatToAnthropic({
      model: "m",
      messages: [{ role: "user", content: "x" }],
      format: schema,
    });
    expect(structured.output_config).toEqual({ format: { type: "json_schema", schema } });
  });

  test("input it cannot carry is a TranslationError naming the field", () => {
    const bad = (body: unknown, field: string) => {
      expect(() => ollamaChatToAnthropic(body)).toThrow(TranslationError);
      expect(() => ollamaChatToAnthropic(body)).toThrow(field);
    };
    bad({ messages: [] }, "model");
    bad({ model: "m" }, "messages");
    bad({ model: "m", messages: [{ role: "robot", content: "x" }] }, "messages[0].role");
    bad({ model: "m", messages: [{ role: "tool", content: "x" }] }, "messages[0]");
    bad({ model: "m", messages: [{ role: "user", content: 3 }] }, "messages[0].content");
    bad({ model: "m", messages: [], options: { temperature: "hot" } }, "options.temperature");
    bad({ model: "m", messages: [], format: 7 }, "format");
  });

  test("streaming is the default; num_predict -1 means no cap", () => {
    expect(ollamaStreams({})).toBe(true);
    expect(ollamaStreams({ stream: false })).toBe(false);
    expect(ollamaMaxTokens({ options: { num_predict: -1 } })).toBeNull();
    expect(ollamaMaxTokens({ options: { num_predict: 64 } })).toBe(64);
  });
});

describe("Ollama /api/generate → Anthropic", () => {
  test("prompt, system and images as one user turn", () => {
    expect(
      ollamaGenerateToAnthropic({ model: "m", prompt: "Hi", system: "S", images: [PNG], stream: false }),
    ).toEqual({
      model: "m",
      system: "S",
      stream: false,
      messages: [
        {
          role: "user",
          content: [
            { type: "image", source: { type: "base64", media_type: "image/png", data: PNG } },
            { type: "text", text: "Hi" },
          ],
        },
      ],
    });
  });

  test("fill-in-the-middle is refused off local models", () => {
    expect(() => ollamaGenerateToAnthropic({ model: "m", prompt: "a", suffix: "b" })).toThrow("suffix");
  });
});

describe("Ollama /api/embed ⇄ OpenAI embeddings", () => {
  test("request and list", () => {
    expect(ollamaEmbedToOpenAI({ model: "e", input: ["a", "b"], truncate: true, dimensions: 3 })).toEqual({
      model: "e",
      input: ["a", "b"],
      encoding_format: "float",
      dimensions: 3,
    });
    expect(() => ollamaEmbedToOpenAI({ model: "e", input: [1, 2] })).toThrow("input");
    const list = {
      object: "list" as const,
      model: "upstream-name",
      data: [
        { object: "embedding" as const, index: 1, embedding: [0.3] },
        { object: "embedding" as const, index: 0, embedding: [0.1] },
      ],
      usage: { prompt_tokens: 4, total_tokens: 4 },
    };
    expect(openAIListToOllamaEmbed(list, "e")).toEqual({
      model: "e",
      embeddings: [[0.1], [0.3]],
      prompt_eval_count: 4,
    });
  });
});
