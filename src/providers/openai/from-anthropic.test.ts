import { describe, expect, test } from "bun:test";
import type { MessageCreateParams } from "@anthropic-ai/sdk/resources/messages";
import type { ChatCompletionCreateParams } from "openai/resources/chat/completions";
import type { AnthropicMessagesBody } from "../translate/anthropic-types.ts";
import { TranslationError } from "../translate/content.ts";
import { anthropicToOpenAIRequest } from "./from-anthropic.ts";
import type { OpenAIChatBody } from "./types.ts";

/** Fixtures are written against the official SDK's request type, then handed over as raw JSON would be. */
const body = (params: MessageCreateParams): AnthropicMessagesBody =>
  JSON.parse(JSON.stringify(params)) as AnthropicMessagesBody;

/** Compile-time check: what we build is a valid request for the official OpenAI SDK. */
const asSdk = (req: OpenAIChatBody): ChatCompletionCreateParams => req;

const PNG =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

describe("anthropicToOpenAIRequest", () => {
  test("system blocks become one system message; cache_control disappears", () => {
    const req = anthropicToOpenAIRequest(
      body({
        model: "claude-sonnet-4-5",
        max_tokens: 1024,
        system: [
          { type: "text", text: "You are a helpful assistant." },
          { type: "text", text: "Answer in French.", cache_control: { type: "ephemeral" } },
        ],
        messages: [
          { role: "user", content: [{ type: "text", text: "Hi", cache_control: { type: "ephemeral" } }] },
        ],
      }),
      { model: "gpt-4o" },
    );
    asSdk(req);
    expect(req.model).toBe("gpt-4o");
    expect(req.messages).toEqual([
      { role: "system", content: "You are a helpful assistant.\n\nAnswer in French." },
      { role: "user", content: "Hi" },
    ]);
    expect(JSON.stringify(req)).not.toContain("cache_control");
  });

  test("a tool round trip: tool_use → tool_calls, tool_result → tool messages before the user's text", () => {
    const req = anthropicToOpenAIRequest(
      body({
        model: "claude-sonnet-4-5",
        max_tokens: 1024,
        messages: [
          { role: "user", content: "Weather in Paris and Oslo?" },
          {
            role: "assistant",
            content: [
              {
                type: "thinking",
                thinking: "The user wants two cities.",
                signature: "EqQBCgIYAhIM1gbcDa9GJwZA",
              },
              { type: "redacted_thinking", data: "EmwKAhgBEgy3va3pzix/LafPsn4aDFIT" },
              { type: "text", text: "Let me check both." },
              { type: "tool_use", id: "call_paris", name: "get_weather", input: { city: "Paris" } },
              {
                type: "tool_use",
                id: "toolu_01Oslo",
                name: "get_weather",
                input: { city: "Oslo", unit: "C" },
              },
            ],
          },
          {
            role: "user",
            content: [
              { type: "text", text: "Here you go." },
              { type: "tool_result", tool_use_id: "call_paris", content: "18°C, sunny" },
              {
                type: "tool_result",
                tool_use_id: "toolu_01Oslo",
                is_error: true,
                content: [
                  { type: "text", text: "timeout" },
                  { type: "text", text: "retry later" },
                ],
              },
            ],
          },
        ],
      }),
      { model: "gpt-4.1" },
    );
    asSdk(req);
    expect(req.messages).toEqual([
      { role: "user", content: "Weather in Paris and Oslo?" },
      {
        role: "assistant",
        content: "Let me check both.",
        tool_calls: [
          {
            id: "call_paris",
            type: "function",
            function: { name: "get_weather", arguments: '{"city":"Paris"}' },
          },
          {
            id: "toolu_01Oslo",
            type: "function",
            function: { name: "get_weather", arguments: '{"city":"Oslo","unit":"C"}' },
          },
        ],
      },
      { role: "tool", tool_call_id: "call_paris", content: "18°C, sunny" },
      { role: "tool", tool_call_id: "toolu_01Oslo", content: "Error: timeout\nretry later" },
      { role: "user", content: "Here you go." },
    ]);
    // Signed thinking never leaks into the request, not even as text.
    const json = JSON.stringify(req);
    expect(json).not.toContain("two cities");
    expect(json).not.toContain("EqQBCgIYAhIM1gbcDa9GJwZA");
    expect(json).not.toContain("EmwKAhgBEgy3va3pzix");
  });

  test("an assistant turn holding only thinking is left out; tool_use without text has null content", () => {
    const req = anthropicToOpenAIRequest(
      body({
        model: "claude-sonnet-4-5",
        max_tokens: 100,
        messages: [
          { role: "user", content: "a" },
          { role: "assistant", content: [{ type: "thinking", thinking: "hmm", signature: "sig" }] },
          { role: "user", content: "b" },
          { role: "assistant", content: [{ type: "tool_use", id: "c1", name: "noop", input: {} }] },
          { role: "user", content: [{ type: "tool_result", tool_use_id: "c1" }] },
        ],
      }),
      { model: "gpt-4o" },
    );
    expect(req.messages).toEqual([
      { role: "user", content: "a" },
      { role: "user", content: "b" },
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "c1", type: "function", function: { name: "noop", arguments: "{}" } }],
      },
      { role: "tool", tool_call_id: "c1", content: "" },
    ]);
  });

  test("images: base64 → data URL, url → url; images a tool returned follow in the user message", () => {
    const req = anthropicToOpenAIRequest(
      body({
        model: "claude-sonnet-4-5",
        max_tokens: 100,
        messages: [
          {
            role: "user",
            content: [
              { type: "image", source: { type: "base64", media_type: "image/png", data: PNG } },
              { type: "image", source: { type: "url", url: "https://example.com/cat.jpg" } },
              { type: "text", text: "Compare these." },
            ],
          },
          { role: "assistant", content: [{ type: "tool_use", id: "shot", name: "screenshot", input: {} }] },
          {
            role: "user",
            content: [
              {
                type: "tool_result",
                tool_use_id: "shot",
                content: [
                  { type: "text", text: "captured" },
                  { type: "image", source: { type: "base64", media_type: "image/jpeg", data: "AAAA" } },
                ],
              },
            ],
          },
        ],
      }),
      { model: "gpt-4o" },
    );
    asSdk(req);
    expect(req.messages[0]).toEqual({
      role: "user",
      content: [
        { type: "image_url", image_url: { url: `data:image/png;base64,${PNG}` } },
        { type: "image_url", image_url: { url: "https://example.com/cat.jpg" } },
        { type: "text", text: "Compare these." },
      ],
    });
    expect(req.messages.slice(2)).toEqual([
      { role: "tool", tool_call_id: "shot", content: "captured" },
      {
        role: "user",
        content: [
          { type: "text", text: "Image returned by tool call shot:" },
          { type: "image_url", image_url: { url: "data:image/jpeg;base64,AAAA" } },
        ],
      },
    ]);
  });

  test("tools and every tool_choice; server tools are dropped; parallel calls can be disabled", () => {
    const base = {
      model: "claude-sonnet-4-5",
      max_tokens: 100,
      messages: [{ role: "user" as const, content: "go" }],
      tools: [
        {
          name: "get_weather",
          description: "Current weather",
          input_schema: {
            type: "object" as const,
            properties: { city: { type: "string" } },
            required: ["city"],
          },
          cache_control: { type: "ephemeral" as const },
        },
        { type: "web_search_20250305" as const, name: "web_search" as const, max_uses: 3 },
      ],
    };
    const auto = anthropicToOpenAIRequest(body({ ...base, tool_choice: { type: "auto" } }), {
      model: "gpt-4o",
    });
    asSdk(auto);
    expect(auto.tools).toEqual([
      {
        type: "function",
        function: {
          name: "get_weather",
          description: "Current weather",
          parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
        },
      },
    ]);
    expect(auto.tool_choice).toBe("auto");
    expect(auto.parallel_tool_calls).toBeUndefined();
    const any = anthropicToOpenAIRequest(
      body({ ...base, tool_choice: { type: "any", disable_parallel_tool_use: true } }),
      {
        model: "gpt-4o",
      },
    );
    expect(any.tool_choice).toBe("required");
    expect(any.parallel_tool_calls).toBe(false);
    const named = anthropicToOpenAIRequest(
      body({ ...base, tool_choice: { type: "tool", name: "get_weather" } }),
      {
        model: "gpt-4o",
      },
    );
    expect(named.tool_choice).toEqual({ type: "function", function: { name: "get_weather" } });
    const none = anthropicToOpenAIRequest(body({ ...base, tool_choice: { type: "none" } }), {
      model: "gpt-4o",
    });
    expect(none.tool_choice).toBe("none");
    // No tools left: no tool_choice either (OpenAI rejects one without the other).
    const onlyServer = anthropicToOpenAIRequest(
      body({ ...base, tools: [base.tools[1] as (typeof base.tools)[1]], tool_choice: { type: "any" } }),
      { model: "gpt-4o" },
    );
    expect(onlyServer.tools).toBeUndefined();
    expect(onlyServer.tool_choice).toBeUndefined();
  });

  test("max_tokens is clamped to the model's ceiling; reasoning models get max_completion_tokens", () => {
    const ask = (model: string, max_tokens: number, maxOutputTokens?: number) =>
      anthropicToOpenAIRequest(
        body({ model: "claude-opus-4-5", max_tokens, messages: [{ role: "user", content: "x" }] }),
        { model, maxOutputTokens },
      );
    expect(ask("gpt-4o", 64_000)).toMatchObject({ max_tokens: 16_384 });
    expect(ask("gpt-4o-mini", 500)).toMatchObject({ max_tokens: 500 });
    expect(ask("gpt-4.1-mini", 64_000)).toMatchObject({ max_tokens: 32_768 });
    expect(ask("gpt-5", 200_000)).toMatchObject({ max_completion_tokens: 128_000 });
    expect(ask("o3", 200_000)).toMatchObject({ max_completion_tokens: 100_000 });
    expect(ask("o4-mini", 1000)).toMatchObject({ max_completion_tokens: 1000 });
    expect(ask("some-new-model", 64_000)).toMatchObject({ max_tokens: 16_384 });
    expect(ask("gpt-4o", 64_000, 4096)).toMatchObject({ max_tokens: 4096 });
    expect(ask("o3", 1000).max_tokens).toBeUndefined();
    expect(ask("gpt-4o", 1000).max_completion_tokens).toBeUndefined();
  });

  test("sampling: kept for chat models (stop ≤ 4), replaced by reasoning_effort for reasoning models", () => {
    // Sampling fields are older API surface the current SDK type no longer lists; clients still send them.
    const params = {
      ...body({
        model: "claude-sonnet-4-5",
        max_tokens: 100,
        stop_sequences: ["A", "B", "C", "D", "E"],
        thinking: { type: "enabled", budget_tokens: 10_000 },
        messages: [{ role: "user", content: "x" }],
      }),
      temperature: 0.2,
      top_p: 0.9,
    };
    const chat = anthropicToOpenAIRequest(params, { model: "gpt-4o" });
    expect(chat).toMatchObject({ temperature: 0.2, top_p: 0.9, stop: ["A", "B", "C", "D"] });
    expect(chat.reasoning_effort).toBeUndefined();
    const o3 = anthropicToOpenAIRequest(params, { model: "o3" });
    expect(o3.temperature).toBeUndefined();
    expect(o3.top_p).toBeUndefined();
    expect(o3.stop).toBeUndefined();
    expect(o3.reasoning_effort).toBe("medium");
    const effort = anthropicToOpenAIRequest(
      { ...params, output_config: { effort: "max" } },
      { model: "gpt-5" },
    );
    expect(effort.reasoning_effort).toBe("high");
  });

  test("streaming asks for usage; metadata.user_id becomes user (hashed when too long)", () => {
    const claudeCodeId = `user_${"a".repeat(64)}_account_${crypto.randomUUID()}_session_${crypto.randomUUID()}`;
    const req = anthropicToOpenAIRequest(
      body({
        model: "claude-sonnet-4-5",
        max_tokens: 100,
        stream: true,
        metadata: { user_id: claudeCodeId },
        messages: [{ role: "user", content: "x" }],
      }),
      { model: "gpt-4o" },
    );
    asSdk(req);
    expect(req.stream).toBe(true);
    expect(req.stream_options).toEqual({ include_usage: true });
    expect(req.user).toMatch(/^[0-9a-f]{64}$/);
    const short = anthropicToOpenAIRequest(
      body({
        model: "m",
        max_tokens: 1,
        metadata: { user_id: "alice" },
        messages: [{ role: "user", content: "x" }],
      }),
      { model: "gpt-4o" },
    );
    expect(short.user).toBe("alice");
    expect(short.stream).toBeUndefined();
    expect(short.stream_options).toBeUndefined();
  });

  test("system turns inside messages, documents and structured output", () => {
    const req = anthropicToOpenAIRequest(
      body({
        model: "claude-sonnet-4-5",
        max_tokens: 100,
        output_config: { format: { type: "json_schema", schema: { type: "object", properties: {} } } },
        messages: [
          { role: "system", content: "Be brief." },
          {
            role: "user",
            content: [
              {
                type: "document",
                source: { type: "text", media_type: "text/plain", data: "Q3 grew 4%." },
                title: "Report",
              },
              {
                type: "document",
                source: { type: "base64", media_type: "application/pdf", data: "JVBERi0=" },
              },
              { type: "text", text: "Summarise." },
            ],
          },
        ],
      }),
      { model: "gpt-4o" },
    );
    asSdk(req);
    expect(req.messages).toEqual([
      { role: "system", content: "Be brief." },
      {
        role: "user",
        content: [
          { type: "text", text: "Report\n\nQ3 grew 4%." },
          {
            type: "file",
            file: { filename: "document.pdf", file_data: "data:application/pdf;base64,JVBERi0=" },
          },
          { type: "text", text: "Summarise." },
        ],
      },
    ]);
    expect(req.response_format).toEqual({
      type: "json_schema",
      json_schema: { name: "output", schema: { type: "object", properties: {} } },
    });
  });

  test("a body without messages is a TranslationError (the caller answers 400)", () => {
    const bad = { model: "x", max_tokens: 1 } as unknown as AnthropicMessagesBody;
    expect(() => anthropicToOpenAIRequest(bad, { model: "gpt-4o" })).toThrow(TranslationError);
  });
});
