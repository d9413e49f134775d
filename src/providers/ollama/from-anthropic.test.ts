import { describe, expect, test } from "bun:test";
import type { MessageCreateParams } from "@anthropic-ai/sdk/resources/messages";
import type { AnthropicMessagesBody } from "../translate/anthropic-types.ts";
import { anthropicToOllamaRequest } from "./from-anthropic.ts";

const body = (params: MessageCreateParams): AnthropicMessagesBody =>
  JSON.parse(JSON.stringify(params)) as AnthropicMessagesBody;

const weatherTool = {
  name: "get_weather",
  description: "Current weather",
  input_schema: { type: "object" as const, properties: { city: { type: "string" } }, required: ["city"] },
};

describe("anthropicToOllamaRequest", () => {
  test("a tool conversation with images: tool_calls with object arguments, tool results named", () => {
    const req = anthropicToOllamaRequest(
      body({
        model: "claude-sonnet-4-5",
        max_tokens: 512,
        stream: true,
        system: [{ type: "text", text: "Be brief.", cache_control: { type: "ephemeral" } }],
        stop_sequences: ["###"],
        tools: [weatherTool],
        messages: [
          {
            role: "user",
            content: [
              { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } },
              { type: "image", source: { type: "url", url: "https://example.com/x.png" } },
              { type: "text", text: "Where is this? Check the weather there." },
            ],
          },
          {
            role: "assistant",
            content: [
              { type: "thinking", thinking: "Looks like Paris.", signature: "EqQBCgIYAhIM" },
              { type: "text", text: "Paris. Checking." },
              { type: "tool_use", id: "toolu_01A", name: "get_weather", input: { city: "Paris" } },
            ],
          },
          {
            role: "user",
            content: [
              { type: "tool_result", tool_use_id: "toolu_01A", content: [{ type: "text", text: "18°C" }] },
              { type: "text", text: "Thanks!" },
            ],
          },
        ],
      }),
      { model: "llama3.2:latest" },
    );
    expect(req).toEqual({
      model: "llama3.2:latest",
      stream: true,
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Where is this? Check the weather there.", images: ["iVBORw0KGgo="] },
        {
          role: "assistant",
          content: "Paris. Checking.",
          tool_calls: [{ function: { name: "get_weather", arguments: { city: "Paris" } } }],
        },
        { role: "tool", content: "18°C", tool_name: "get_weather" },
        { role: "user", content: "Thanks!" },
      ],
      tools: [
        {
          type: "function",
          function: {
            name: "get_weather",
            description: "Current weather",
            parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
          },
        },
      ],
      options: { num_predict: 512, stop: ["###"] },
    });
    expect(JSON.stringify(req)).not.toContain("Looks like Paris");
  });

  test("sampling options, explicit stream:false, tool_choice none sends no tools", () => {
    const req = anthropicToOllamaRequest(
      {
        ...body({
          model: "claude-sonnet-4-5",
          max_tokens: 100,
          tools: [weatherTool],
          tool_choice: { type: "none" },
          messages: [{ role: "user", content: "hi" }],
        }),
        temperature: 0.3,
        top_p: 0.8,
        top_k: 40,
      },
      { model: "qwen3:8b" },
    );
    expect(req.stream).toBe(false);
    expect(req.tools).toBeUndefined();
    expect(req.options).toEqual({ num_predict: 100, temperature: 0.3, top_p: 0.8, top_k: 40 });
  });

  test("an error result says so; images from a tool ride on the user message; structured output", () => {
    const req = anthropicToOllamaRequest(
      body({
        model: "claude-sonnet-4-5",
        max_tokens: 100,
        output_config: { format: { type: "json_schema", schema: { type: "object" } } },
        messages: [
          { role: "user", content: "shoot" },
          { role: "assistant", content: [{ type: "tool_use", id: "t1", name: "screenshot", input: {} }] },
          {
            role: "user",
            content: [
              {
                type: "tool_result",
                tool_use_id: "t1",
                is_error: true,
                content: [
                  { type: "text", text: "partial capture" },
                  { type: "image", source: { type: "base64", media_type: "image/png", data: "AAAA" } },
                ],
              },
            ],
          },
        ],
      }),
      { model: "llava" },
    );
    expect(req.messages.slice(1)).toEqual([
      { role: "assistant", content: "", tool_calls: [{ function: { name: "screenshot", arguments: {} } }] },
      { role: "tool", content: "Error: partial capture", tool_name: "screenshot" },
      { role: "user", content: "", images: ["AAAA"] },
    ]);
    expect(req.format).toEqual({ type: "object" });
  });
});
