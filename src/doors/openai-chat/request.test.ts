import { describe, expect, test } from "bun:test";
import type { ChatCompletionCreateParams } from "openai/resources/chat/completions";
import { TranslationError } from "../../providers/translate/content.ts";
import { chatIncludeUsage, chatRequestToAnthropic } from "./request.ts";

/** Bodies are typed against the official SDK, so the tests send what real clients send. */
const translate = (body: ChatCompletionCreateParams) => chatRequestToAnthropic(body);

function refusal(body: unknown): string {
  try {
    chatRequestToAnthropic(body);
  } catch (err) {
    expect(err).toBeInstanceOf(TranslationError);
    return (err as Error).message;
  }
  throw new Error("expected a TranslationError");
}

describe("chatRequestToAnthropic", () => {
  test("system and developer messages become the system prompt; the rest keeps its order", () => {
    const out = translate({
      model: "claude-sonnet-4-5",
      messages: [
        { role: "system", content: "You are terse." },
        { role: "developer", content: [{ type: "text", text: "Answer in French." }] },
        { role: "user", content: "hi" },
        { role: "assistant", content: "Salut." },
        { role: "user", content: [{ type: "text", text: "again" }] },
      ],
    });
    expect(out).toEqual({
      model: "claude-sonnet-4-5",
      system: [
        { type: "text", text: "You are terse." },
        { type: "text", text: "Answer in French." },
      ],
      messages: [
        { role: "user", content: [{ type: "text", text: "hi" }] },
        { role: "assistant", content: [{ type: "text", text: "Salut." }] },
        { role: "user", content: [{ type: "text", text: "again" }] },
      ],
    });
    expect(
      translate({
        model: "m",
        messages: [
          { role: "system", content: "one" },
          { role: "user", content: "x" },
        ],
      }).system,
    ).toBe("one");
  });

  test("images: data URLs become base64 sources, https URLs url sources; PDFs become documents", () => {
    const out = translate({
      model: "m",
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "What is this?" },
            { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=", detail: "high" } },
            { type: "image_url", image_url: { url: "https://example.com/cat.jpg" } },
            { type: "file", file: { filename: "a.pdf", file_data: "data:application/pdf;base64,JVBERi0x" } },
          ],
        },
      ],
    });
    expect(out.messages[0]?.content).toEqual([
      { type: "text", text: "What is this?" },
      { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } },
      { type: "image", source: { type: "url", url: "https://example.com/cat.jpg" } },
      { type: "document", source: { type: "base64", media_type: "application/pdf", data: "JVBERi0x" } },
    ]);
  });

  test("a tool round trip: tool_calls become tool_use, consecutive tool messages one user turn", () => {
    const out = translate({
      model: "m",
      messages: [
        { role: "user", content: "Weather in Paris and Oslo?" },
        {
          role: "assistant",
          content: "Checking.",
          tool_calls: [
            { id: "call_1", type: "function", function: { name: "weather", arguments: '{"city":"Paris"}' } },
            { id: "call_2", type: "function", function: { name: "weather", arguments: "not json" } },
          ],
        },
        { role: "tool", tool_call_id: "call_1", content: "18°C" },
        { role: "tool", tool_call_id: "call_2", content: [{ type: "text", text: "9°C" }] },
        { role: "user", content: "Thanks" },
      ],
      tools: [
        {
          type: "function",
          function: {
            name: "weather",
            description: "Current weather",
            parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
          },
        },
        { type: "function", function: { name: "now" } },
      ],
      tool_choice: { type: "function", function: { name: "weather" } },
      parallel_tool_calls: false,
    });
    expect(out.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "Weather in Paris and Oslo?" }] },
      {
        role: "assistant",
        content: [
          { type: "text", text: "Checking." },
          { type: "tool_use", id: "call_1", name: "weather", input: { city: "Paris" } },
          { type: "tool_use", id: "call_2", name: "weather", input: {} },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "call_1", content: "18°C" },
          { type: "tool_result", tool_use_id: "call_2", content: "9°C" },
          { type: "text", text: "Thanks" },
        ],
      },
    ]);
    expect(out.tools).toEqual([
      {
        name: "weather",
        description: "Current weather",
        input_schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
      },
      { name: "now", input_schema: { type: "object", properties: {} } },
    ]);
    expect(out.tool_choice).toEqual({ type: "tool", name: "weather", disable_parallel_tool_use: true });
  });

  test("tool_choice: auto, none, required; ignored without tools", () => {
    const tools: ChatCompletionCreateParams["tools"] = [{ type: "function", function: { name: "f" } }];
    const base = { model: "m", messages: [{ role: "user" as const, content: "x" }], tools };
    expect(translate({ ...base, tool_choice: "auto" }).tool_choice).toEqual({ type: "auto" });
    expect(translate({ ...base, tool_choice: "none" }).tool_choice).toEqual({ type: "none" });
    expect(translate({ ...base, tool_choice: "required" }).tool_choice).toEqual({ type: "any" });
    expect(translate({ ...base }).tool_choice).toBeUndefined();
    expect(translate({ ...base, parallel_tool_calls: false }).tool_choice).toEqual({
      type: "auto",
      disable_parallel_tool_use: true,
    });
    expect(
      translate({ model: "m", messages: base.messages, tool_choice: "required" }).tool_choice,
    ).toBeUndefined();
  });

  test("sampling and limits: max_completion_tokens wins, temperature is clamped to Anthropic's 0–1", () => {
    const out = translate({
      model: "m",
      messages: [{ role: "user", content: "x" }],
      max_tokens: 100,
      max_completion_tokens: 200,
      temperature: 1.5,
      top_p: 0.9,
      stop: ["END", ""],
      stream: true,
      stream_options: { include_usage: true },
      user: "user-42",
      seed: 7,
      presence_penalty: 0.5,
    });
    expect(out).toMatchObject({
      max_tokens: 200,
      temperature: 1,
      top_p: 0.9,
      stop_sequences: ["END"],
      stream: true,
      metadata: { user_id: "user-42" },
    });
    // Anthropic refuses whitespace-only stop sequences (400), so they are left out.
    const stop = (value: string) =>
      translate({ model: "m", messages: [{ role: "user", content: "x" }], stop: value }).stop_sequences;
    expect(stop("\n\n")).toBeUndefined();
    expect(stop("END")).toEqual(["END"]);
    expect(
      translate({ model: "m", messages: [{ role: "user", content: "x" }], max_tokens: 5 }).max_tokens,
    ).toBe(5);
  });

  test("safety_identifier wins over user as Anthropic's user_id", () => {
    const out = translate({
      model: "m",
      messages: [{ role: "user", content: "x" }],
      user: "old",
      safety_identifier: "new",
    });
    expect(out.metadata).toEqual({ user_id: "new" });
  });

  test("reasoning_effort becomes a thinking budget below max_tokens, and removes temperature", () => {
    const user = [{ role: "user" as const, content: "x" }];
    expect(translate({ model: "m", messages: user, reasoning_effort: "low", temperature: 0.2 })).toEqual({
      model: "m",
      messages: [{ role: "user", content: [{ type: "text", text: "x" }] }],
      thinking: { type: "enabled", budget_tokens: 4096 },
    });
    expect(
      translate({ model: "m", messages: user, reasoning_effort: "high", max_completion_tokens: 8000 })
        .thinking,
    ).toEqual({
      type: "enabled",
      budget_tokens: 7999,
    });
    expect(
      translate({ model: "m", messages: user, reasoning_effort: "medium", max_tokens: 1000 }).thinking,
    ).toBeUndefined();
    expect(translate({ model: "m", messages: user, reasoning_effort: "minimal" }).thinking).toBeUndefined();
    expect(refusal({ model: "m", messages: user, reasoning_effort: "extreme" })).toStartWith(
      "reasoning_effort:",
    );
  });

  test("no thinking where Anthropic would refuse it: forced tools, or a tool loop without thinking blocks", () => {
    const tools: ChatCompletionCreateParams["tools"] = [{ type: "function", function: { name: "f" } }];
    const loop: ChatCompletionCreateParams["messages"] = [
      { role: "user", content: "x" },
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "c", type: "function", function: { name: "f", arguments: "{}" } }],
      },
      { role: "tool", tool_call_id: "c", content: "done" },
    ];
    expect(
      translate({ model: "m", messages: loop, tools, reasoning_effort: "high" }).thinking,
    ).toBeUndefined();
    const forced = {
      model: "m",
      messages: [{ role: "user" as const, content: "x" }],
      tools,
      reasoning_effort: "high" as const,
    };
    expect(translate({ ...forced, tool_choice: "required" }).thinking).toBeUndefined();
    expect(translate({ ...forced, tool_choice: "auto" }).thinking).toEqual({
      type: "enabled",
      budget_tokens: 24576,
    });
  });

  test("response_format: a schema becomes structured output, json_object a system instruction", () => {
    const schema = { type: "object", properties: { a: { type: "number" } }, required: ["a"] };
    const out = translate({
      model: "m",
      messages: [{ role: "user", content: "x" }],
      response_format: { type: "json_schema", json_schema: { name: "out", schema, strict: true } },
    });
    expect(out.output_config).toEqual({ format: { type: "json_schema", schema } });
    const json = translate({
      model: "m",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "x" },
      ],
      response_format: { type: "json_object" },
    });
    expect(json.system).toStartWith("Be brief.\n\nRespond with a single valid JSON object");
    expect(
      translate({
        model: "m",
        messages: [{ role: "user", content: "x" }],
        response_format: { type: "text" },
      }),
    ).not.toHaveProperty("output_config");
  });

  test("bad or unsupported input is a TranslationError naming the field", () => {
    const user = [{ role: "user", content: "x" }];
    expect(refusal(null)).toBe("body: must be a JSON object");
    expect(refusal({ messages: user })).toStartWith("model:");
    expect(refusal({ model: "m", messages: [] })).toStartWith("messages:");
    expect(refusal({ model: "m", messages: [{ role: "system", content: "only" }] })).toStartWith("messages:");
    expect(refusal({ model: "m", messages: [{ role: "wizard", content: "x" }] })).toStartWith(
      "messages[0].role:",
    );
    expect(refusal({ model: "m", messages: [{ role: "user", content: 42 }] })).toStartWith(
      "messages[0].content:",
    );
    expect(
      refusal({
        model: "m",
        messages: [{ role: "user", content: [{ type: "input_audio", input_audio: {} }] }],
      }),
    ).toStartWith("messages[0].content[0].type:");
    expect(
      refusal({
        model: "m",
        messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "ftp://x" } }] }],
      }),
    ).toStartWith("messages[0].content[0].image_url.url:");
    expect(refusal({ model: "m", messages: [{ role: "tool", content: "r" }] })).toStartWith(
      "messages[0].tool_call_id:",
    );
    expect(
      refusal({
        model: "m",
        messages: [{ role: "assistant", tool_calls: [{ id: "c", function: { arguments: "{}" } }] }],
      }),
    ).toStartWith("messages[0].tool_calls[0].function.name:");
    expect(
      refusal({ model: "m", messages: user, tools: [{ type: "custom", custom: { name: "x" } }] }),
    ).toStartWith("tools[0]:");
    expect(
      refusal({
        model: "m",
        messages: user,
        tool_choice: "sometimes",
        tools: [{ type: "function", function: { name: "f" } }],
      }),
    ).toStartWith("tool_choice:");
    expect(refusal({ model: "m", messages: user, n: 2 })).toStartWith("n:");
    expect(refusal({ model: "m", messages: user, logprobs: true })).toStartWith("logprobs:");
    expect(refusal({ model: "m", messages: user, modalities: ["text", "audio"] })).toStartWith("modalities:");
    expect(refusal({ model: "m", messages: user, functions: [] })).toStartWith("functions:");
    expect(refusal({ model: "m", messages: user, temperature: 3 })).toStartWith("temperature:");
    expect(refusal({ model: "m", messages: user, max_tokens: 0 })).toStartWith("max_tokens:");
    expect(refusal({ model: "m", messages: user, stop: [1] })).toStartWith("stop:");
    expect(refusal({ model: "m", messages: user, response_format: { type: "yaml" } })).toStartWith(
      "response_format:",
    );
  });

  test("chatIncludeUsage reads stream_options", () => {
    expect(chatIncludeUsage({ stream: true, stream_options: { include_usage: true } })).toBe(true);
    expect(chatIncludeUsage({ stream: true })).toBe(false);
    expect(chatIncludeUsage(null)).toBe(false);
  });
});
