// Door and provider translators chained through the pivot, as the pipeline will run them.
import { describe, expect, test } from "bun:test";
import OpenAI from "openai";
import { anthropicToOllamaRequest } from "../../providers/ollama/from-anthropic.ts";
import { createOllamaToAnthropicStream } from "../../providers/ollama/stream-to-anthropic.ts";
import { anthropicToOpenAIRequest } from "../../providers/openai/from-anthropic.ts";
import { bytes, run, serveBytes, split } from "../../providers/translate/testing.ts";
import { chatRequestToAnthropic } from "../openai-chat/request.ts";
import { createAnthropicToChatStream } from "../openai-chat/stream.ts";
import { CODEX_TURN_2 } from "./codex-fixture.ts";
import { responsesRequestToAnthropic } from "./request.ts";
import { createAnthropicToResponsesStream } from "./stream.ts";

const ollamaLine = (o: object): string => `${JSON.stringify(o)}\n`;
/** An Ollama /api/chat stream that calls Codex's exec_command tool. */
const OLLAMA_TOOL_STREAM =
  ollamaLine({ model: "qwen3", message: { role: "assistant", content: "Running it." }, done: false }) +
  ollamaLine({
    model: "qwen3",
    message: {
      role: "assistant",
      content: "",
      tool_calls: [{ function: { name: "exec_command", arguments: { cmd: "ls" } } }],
    },
    done: false,
  }) +
  ollamaLine({
    model: "qwen3",
    message: { role: "assistant", content: "" },
    done: true,
    done_reason: "stop",
    prompt_eval_count: 310,
    eval_count: 21,
  });

describe("door → pivot → provider requests", () => {
  test("reasoning effort survives the trip to an OpenAI reasoning model", () => {
    for (const effort of ["low", "medium", "high"] as const) {
      const pivot = chatRequestToAnthropic({
        model: "o3",
        messages: [{ role: "user", content: "x" }],
        reasoning_effort: effort,
      });
      expect(anthropicToOpenAIRequest(pivot, { model: "o3" }).reasoning_effort).toBe(effort);
      const fromResponses = responsesRequestToAnthropic({ model: "o3", input: "x", reasoning: { effort } });
      expect(anthropicToOpenAIRequest(fromResponses, { model: "o3" }).reasoning_effort).toBe(effort);
    }
  });

  test("a chat tool round trip reaches an OpenAI-compatible upstream unchanged", () => {
    const pivot = chatRequestToAnthropic({
      model: "gpt-4.1",
      messages: [
        { role: "user", content: "Weather?" },
        {
          role: "assistant",
          content: null,
          tool_calls: [{ id: "call_1", type: "function", function: { name: "w", arguments: '{"c":"P"}' } }],
        },
        { role: "tool", tool_call_id: "call_1", content: "18°C" },
      ],
      tools: [
        {
          type: "function",
          function: { name: "w", parameters: { type: "object", properties: { c: { type: "string" } } } },
        },
      ],
      response_format: { type: "json_schema", json_schema: { name: "x", schema: { type: "object" } } },
    });
    const out = anthropicToOpenAIRequest(pivot, { model: "gpt-4.1" });
    expect(out.messages).toEqual([
      { role: "user", content: "Weather?" },
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "call_1", type: "function", function: { name: "w", arguments: '{"c":"P"}' } }],
      },
      { role: "tool", tool_call_id: "call_1", content: "18°C" },
    ]);
    expect(out.response_format).toEqual({
      type: "json_schema",
      json_schema: { name: "output", schema: { type: "object" } },
    });
  });

  test("a Codex turn reaches Ollama with its tools and the tool result named", () => {
    const out = anthropicToOllamaRequest(responsesRequestToAnthropic(CODEX_TURN_2), { model: "qwen3" });
    expect(out.tools?.map((t) => t.function.name)).toEqual([
      "exec_command",
      "multi_agent_v1__close_agent",
      "apply_patch",
    ]);
    expect(out.messages.at(-1)).toMatchObject({ role: "tool", tool_name: "exec_command" });
    expect(out.messages[0]).toEqual({
      role: "system",
      content: "You are a coding agent running in a terminal.",
    });
  });
});

describe("provider stream → pivot → door stream, read by the SDK", () => {
  const pivotStream = () => createOllamaToAnthropicStream({ model: "qwen3", inputTokenEstimate: 300 });

  test("Codex on an Ollama model: the tool call arrives as a function_call with whole arguments", async () => {
    const ollama = pivotStream();
    const anthropic = run(ollama, split(bytes(OLLAMA_TOOL_STREAM), 9), () => ollama.finish());
    const door = createAnthropicToResponsesStream({ model: "qwen3", request: CODEX_TURN_2 });
    const server = serveBytes(
      run(door, split(anthropic, 13), () => door.finish()),
      "text/event-stream",
    );
    try {
      const client = new OpenAI({ baseURL: server.url, apiKey: "x", maxRetries: 0 });
      const response = await client.responses.stream({ model: "qwen3", input: "hi" }).finalResponse();
      expect(response.output_text).toBe("Running it.");
      const call = response.output.find((o) => o.type === "function_call");
      expect(call && call.type === "function_call" ? [call.name, JSON.parse(call.arguments)] : null).toEqual([
        "exec_command",
        { cmd: "ls" },
      ]);
      expect(response.usage).toMatchObject({ input_tokens: 310, output_tokens: 21 });
      expect(door.usage).toMatchObject({ inputTokens: 310, outputTokens: 21 });
    } finally {
      server.stop();
    }
  });

  test("Chat Completions on an Ollama model", async () => {
    const ollama = pivotStream();
    const anthropic = run(ollama, [bytes(OLLAMA_TOOL_STREAM)], () => ollama.finish());
    const door = createAnthropicToChatStream({ model: "qwen3", includeUsage: true });
    const server = serveBytes(
      run(door, split(anthropic, 4), () => door.finish()),
      "text/event-stream",
    );
    try {
      const client = new OpenAI({ baseURL: server.url, apiKey: "x", maxRetries: 0 });
      const done = await client.chat.completions
        .stream({
          model: "qwen3",
          messages: [{ role: "user", content: "hi" }],
          stream_options: { include_usage: true },
        })
        .finalChatCompletion();
      expect(done.choices[0]?.finish_reason).toBe("tool_calls");
      expect(done.choices[0]?.message.tool_calls?.[0]).toMatchObject({
        type: "function",
        function: { name: "exec_command", arguments: '{"cmd":"ls"}' },
      });
      expect(done.usage).toMatchObject({ prompt_tokens: 310, completion_tokens: 21 });
    } finally {
      server.stop();
    }
  });
});
