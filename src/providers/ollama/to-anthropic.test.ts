import { describe, expect, test } from "bun:test";
import { mapDoneReason, ollamaToAnthropicMessage, ollamaToolInput, ollamaUsage } from "./to-anthropic.ts";
import type { OllamaChatResponse } from "./types.ts";

/** A non-streamed /api/chat reply, as in Ollama's API documentation. */
const reply = (message: OllamaChatResponse["message"], doneReason = "stop"): OllamaChatResponse =>
  ({
    model: "llama3.2",
    created_at: "2024-07-22T20:33:28.123648Z",
    message,
    done_reason: doneReason,
    done: true,
    total_duration: 885_095_291,
    load_duration: 3_753_500,
    prompt_eval_count: 122,
    prompt_eval_duration: 328_493_000,
    eval_count: 33,
    eval_duration: 552_222_000,
  }) as OllamaChatResponse;

describe("ollamaToAnthropicMessage", () => {
  test("text, end_turn and usage from the eval counts", () => {
    const msg = ollamaToAnthropicMessage(reply({ role: "assistant", content: "Hello! How are you today?" }), {
      model: "claude-haiku-4-5",
    });
    expect(msg.id).toMatch(/^msg_01/);
    expect(msg).toMatchObject({
      type: "message",
      role: "assistant",
      model: "claude-haiku-4-5",
      content: [{ type: "text", text: "Hello! How are you today?" }],
      stop_reason: "end_turn",
      stop_sequence: null,
      usage: {
        input_tokens: 122,
        output_tokens: 33,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
    });
  });

  test("tool calls get synthesized toolu_ ids; 'stop' with calls is tool_use", () => {
    const msg = ollamaToAnthropicMessage(
      reply({
        role: "assistant",
        content: "",
        tool_calls: [
          {
            function: {
              name: "get_current_weather",
              arguments: { format: "celsius", location: "Paris, FR" },
            },
          },
          { function: { name: "get_time", arguments: '{"tz":"UTC"}' } },
        ],
      }),
      { model: "m", messageId: "msg_x" },
    );
    expect(msg.stop_reason).toBe("tool_use");
    expect(msg.content).toMatchObject([
      { type: "tool_use", name: "get_current_weather", input: { format: "celsius", location: "Paris, FR" } },
      { type: "tool_use", name: "get_time", input: { tz: "UTC" } },
    ]);
    const ids = msg.content.map((b) => (b.type === "tool_use" ? b.id : ""));
    expect(ids[0]).toMatch(/^toolu_01[0-9A-Za-z]{24}$/);
    expect(ids[0]).not.toBe(ids[1]);
  });

  test("done reasons, missing counts and odd arguments", () => {
    expect(mapDoneReason("length", false)).toBe("max_tokens");
    expect(mapDoneReason("stop", false)).toBe("end_turn");
    expect(mapDoneReason("load", false)).toBe("end_turn");
    expect(mapDoneReason("stop", true)).toBe("tool_use");
    expect(ollamaUsage({})).toMatchObject({ inputTokens: 0, outputTokens: 0 });
    expect(ollamaToolInput("not json")).toEqual({});
    expect(ollamaToolInput([1])).toEqual({});
    expect(ollamaToolInput(undefined)).toEqual({});
  });
});
