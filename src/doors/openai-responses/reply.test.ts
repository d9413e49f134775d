import { describe, expect, test } from "bun:test";
import type { Response } from "openai/resources/responses/responses";
import type { AnthropicMessage } from "../../providers/translate/anthropic-types.ts";
import { TOOL_MESSAGE } from "../openai-chat/anthropic-fixtures.ts";
import { CODEX_TURN_2 } from "./codex-fixture.ts";
import { decodeThinking } from "./reasoning.ts";
import { anthropicMessageToResponse, incompleteReason, responsesUsageJson } from "./reply.ts";

const opts = { model: "claude-sonnet-4-5", id: "resp_1", createdAt: 1_700_000_000 };

describe("anthropicMessageToResponse", () => {
  test("text and a function call, with usage, in the SDK's Response shape", () => {
    const request = {
      model: "claude-sonnet-4-5",
      input: "weather?",
      instructions: "Be brief.",
      max_output_tokens: 500,
    };
    const out = anthropicMessageToResponse(TOOL_MESSAGE, { ...opts, request });
    const msgId = (out.output as Array<{ id: string }>)[0]?.id ?? "";
    const fcId = (out.output as Array<{ id: string }>)[1]?.id ?? "";
    // Typed against the SDK (output_text is a convenience the SDK adds itself).
    const expected: Omit<Response, "output_text"> = {
      id: "resp_1",
      object: "response",
      created_at: 1_700_000_000,
      status: "completed",
      background: false,
      error: null,
      incomplete_details: null,
      instructions: "Be brief.",
      max_output_tokens: 500,
      metadata: {},
      model: "claude-sonnet-4-5",
      output: [
        {
          id: msgId,
          type: "message",
          status: "completed",
          role: "assistant",
          content: [{ type: "output_text", text: "Let me check.", annotations: [], logprobs: [] }],
        },
        {
          type: "function_call",
          id: fcId,
          call_id: "toolu_01A",
          name: "weather",
          arguments: '{"city":"Paris"}',
          status: "completed",
        },
      ],
      parallel_tool_calls: true,
      previous_response_id: null,
      prompt_cache_key: null,
      reasoning: { effort: null, summary: null },
      safety_identifier: null,
      service_tier: "default",
      temperature: 1,
      text: { format: { type: "text" }, verbosity: "medium" },
      tool_choice: "auto",
      tools: [],
      top_p: 1,
      truncation: "disabled",
      usage: {
        input_tokens: 125,
        input_tokens_details: { cached_tokens: 100, cache_write_tokens: 5 },
        output_tokens: 30,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: 155,
      },
    };
    // `store` is in the API's answers but not in the SDK's type.
    expect(out).toEqual({ ...expected, store: false });
    expect(msgId).toMatch(/^msg_/);
    expect(fcId).toMatch(/^fc_/);
  });

  test("max_tokens makes the response incomplete, with its reason", () => {
    const out = anthropicMessageToResponse({ ...TOOL_MESSAGE, content: [], stop_reason: "max_tokens" }, opts);
    expect(out.status).toBe("incomplete");
    expect(out.incomplete_details).toEqual({ reason: "max_output_tokens" });
    expect(incompleteReason("refusal")).toBe("content_filter");
    expect(incompleteReason("end_turn")).toBeNull();
  });

  test("calls render as the kind of tool the client declared: custom, namespaced, local shell", () => {
    const message = {
      ...TOOL_MESSAGE,
      content: [
        {
          type: "tool_use",
          id: "t1",
          name: "apply_patch",
          input: { input: "*** Begin Patch\n*** End Patch" },
        },
        { type: "tool_use", id: "t2", name: "multi_agent_v1__close_agent", input: { target: "a" } },
        { type: "tool_use", id: "t3", name: "local_shell", input: { command: ["ls", "-l"], workdir: "/r" } },
      ],
    } as AnthropicMessage;
    const request = { ...CODEX_TURN_2, tools: [...(CODEX_TURN_2.tools ?? []), { type: "local_shell" }] };
    const output = anthropicMessageToResponse(message, { ...opts, request }).output as Array<
      Record<string, unknown>
    >;
    expect(output.map(({ id, ...rest }) => rest)).toEqual([
      {
        type: "custom_tool_call",
        call_id: "t1",
        name: "apply_patch",
        input: "*** Begin Patch\n*** End Patch",
        status: "completed",
      },
      {
        type: "function_call",
        call_id: "t2",
        name: "close_agent",
        namespace: "multi_agent_v1",
        arguments: '{"target":"a"}',
        status: "completed",
      },
      {
        type: "local_shell_call",
        call_id: "t3",
        status: "completed",
        action: { type: "exec", command: ["ls", "-l"], env: {}, working_directory: "/r" },
      },
    ]);
  });

  test("thinking becomes a reasoning item; its signed block rides in encrypted_content when asked for", () => {
    const message = {
      ...TOOL_MESSAGE,
      content: [
        { type: "thinking", thinking: "Paris first.", signature: "EqQBsig" },
        ...TOOL_MESSAGE.content,
      ],
    } as unknown as AnthropicMessage;
    const asked = anthropicMessageToResponse(message, { ...opts, request: CODEX_TURN_2 }).output as Array<
      Record<string, unknown>
    >;
    expect(asked[0]).toMatchObject({
      type: "reasoning",
      summary: [{ type: "summary_text", text: "Paris first." }],
    });
    expect(decodeThinking(asked[0]?.encrypted_content)).toEqual({
      type: "thinking",
      thinking: "Paris first.",
      signature: "EqQBsig",
    });
    const plain = anthropicMessageToResponse(message, opts).output as Array<Record<string, unknown>>;
    expect(plain[0]).not.toHaveProperty("encrypted_content");
  });

  test("the request's settings are echoed", () => {
    const out = anthropicMessageToResponse(TOOL_MESSAGE, { ...opts, request: CODEX_TURN_2 });
    expect(out).toMatchObject({
      tools: CODEX_TURN_2.tools,
      tool_choice: "auto",
      parallel_tool_calls: true,
      reasoning: { effort: null, summary: "auto" },
      prompt_cache_key: CODEX_TURN_2.prompt_cache_key,
      store: false,
    });
  });

  test("usage counts cache reads and writes as input, reads as cached", () => {
    expect(
      responsesUsageJson({
        inputTokens: 1,
        outputTokens: 2,
        cacheCreationInputTokens: 30,
        cacheCreation1hInputTokens: 0,
        cacheReadInputTokens: 400,
      }),
    ).toEqual({
      input_tokens: 431,
      input_tokens_details: { cached_tokens: 400, cache_write_tokens: 30 },
      output_tokens: 2,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 433,
    });
  });
});
