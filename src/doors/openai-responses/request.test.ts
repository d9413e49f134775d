import { describe, expect, test } from "bun:test";
import type { ResponseCreateParams } from "openai/resources/responses/responses";
import { TranslationError } from "../../providers/translate/content.ts";
import { TOOL_MESSAGE } from "../openai-chat/anthropic-fixtures.ts";
import { CODEX_TURN_2 } from "./codex-fixture.ts";
import { encodeThinking } from "./reasoning.ts";
import { anthropicMessageToResponse } from "./reply.ts";
import { PreviousResponseError, responsesRequestToAnthropic } from "./request.ts";

const translate = (body: ResponseCreateParams) => responsesRequestToAnthropic(body);

function refusal(body: unknown): string {
  try {
    responsesRequestToAnthropic(body);
  } catch (err) {
    expect(err).toBeInstanceOf(TranslationError);
    return (err as Error).message;
  }
  throw new Error("expected a TranslationError");
}

describe("responsesRequestToAnthropic", () => {
  test("a string input and instructions", () => {
    expect(
      translate({
        model: "claude-haiku-4-5",
        input: "Hello",
        instructions: "Be brief.",
        max_output_tokens: 300,
      }),
    ).toEqual({
      model: "claude-haiku-4-5",
      system: "Be brief.",
      messages: [{ role: "user", content: [{ type: "text", text: "Hello" }] }],
      max_tokens: 300,
    });
  });

  test("a Codex CLI turn: developer prompt, tools of every kind Codex sends, the tool call and its output", () => {
    const out = responsesRequestToAnthropic(CODEX_TURN_2);
    expect(out.system).toBe("You are a coding agent running in a terminal.");
    expect(out.stream).toBe(true);
    expect(out.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "<environment_context>\n  <cwd>/repo</cwd>\n</environment_context>" },
          { type: "text", text: "run echo hi" },
        ],
      },
      {
        role: "assistant",
        content: [{ type: "tool_use", id: "call_1", name: "exec_command", input: { cmd: "echo hi" } }],
      },
      {
        role: "user",
        content: [
          {
            type: "tool_result",
            tool_use_id: "call_1",
            content: "Process exited with code 0\nOutput:\nhi\n",
          },
        ],
      },
    ]);
    expect(out.tools?.map((t) => t.name)).toEqual([
      "exec_command",
      "multi_agent_v1__close_agent",
      "apply_patch",
    ]);
    expect(out.tools?.[0]).toEqual({
      name: "exec_command",
      description: "Runs a command in a PTY.",
      input_schema: {
        type: "object",
        properties: { cmd: { type: "string" }, workdir: { type: "string" } },
        required: ["cmd"],
        additionalProperties: false,
      },
    });
    expect(out.tools?.[1]?.description).toBe(
      "[multi_agent_v1 (Tools for spawning and managing sub-agents.)] Close an agent.",
    );
    expect(out.tools?.[2]?.input_schema).toEqual({
      type: "object",
      properties: { input: { type: "string", description: "The raw input for the tool." } },
      required: ["input"],
    });
    expect(out.tools?.[2]?.description).toContain(
      'The input must follow this lark grammar:\nstart: "*** Begin Patch"',
    );
    expect(out.tool_choice).toEqual({ type: "auto" });
    // Nothing Codex sends beyond these reaches Anthropic: store, include, prompt_cache_key, client_metadata…
    expect(Object.keys(out).sort()).toEqual([
      "messages",
      "model",
      "stream",
      "system",
      "tool_choice",
      "tools",
    ]);
  });

  test("custom, namespaced and local-shell calls in the history become tool_use blocks", () => {
    const out = responsesRequestToAnthropic({
      model: "m",
      tools: CODEX_TURN_2.tools,
      input: [
        { role: "user", content: "patch it" },
        {
          type: "custom_tool_call",
          call_id: "c1",
          name: "apply_patch",
          input: "*** Begin Patch\n*** End Patch",
        },
        { type: "custom_tool_call_output", call_id: "c1", output: "Done!" },
        {
          type: "function_call",
          call_id: "c2",
          name: "close_agent",
          namespace: "multi_agent_v1",
          arguments: '{"target":"a"}',
        },
        {
          type: "local_shell_call",
          call_id: "c3",
          status: "completed",
          action: { type: "exec", command: ["ls"], timeout_ms: 1000 },
        },
        { type: "function_call_output", call_id: "c2", output: [{ type: "input_text", text: "closed" }] },
        { type: "function_call_output", call_id: "c3", output: "a.txt" },
      ],
    });
    expect(out.messages.slice(1)).toEqual([
      {
        role: "assistant",
        content: [
          {
            type: "tool_use",
            id: "c1",
            name: "apply_patch",
            input: { input: "*** Begin Patch\n*** End Patch" },
          },
        ],
      },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "c1", content: "Done!" }] },
      {
        role: "assistant",
        content: [
          { type: "tool_use", id: "c2", name: "multi_agent_v1__close_agent", input: { target: "a" } },
          { type: "tool_use", id: "c3", name: "local_shell", input: { command: ["ls"], timeout_ms: 1000 } },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "c2", content: [{ type: "text", text: "closed" }] },
          { type: "tool_result", tool_use_id: "c3", content: "a.txt" },
        ],
      },
    ]);
  });

  test("reasoning: our own items return as thinking blocks, OpenAI's are dropped", () => {
    const blob = encodeThinking({ thinking: "Two steps.", signature: "EqQBsig" });
    const out = responsesRequestToAnthropic({
      model: "m",
      reasoning: { effort: "medium" },
      tools: [{ type: "function", name: "f", parameters: {} }],
      input: [
        { role: "user", content: "go" },
        {
          type: "reasoning",
          id: "rs_1",
          summary: [{ type: "summary_text", text: "Two steps." }],
          encrypted_content: blob,
        },
        { type: "reasoning", id: "rs_2", summary: [], encrypted_content: "gAAAAABopenai" },
        { type: "function_call", call_id: "c", name: "f", arguments: "{}" },
        { type: "function_call_output", call_id: "c", output: "ok" },
      ],
    });
    expect(out.messages[1]).toEqual({
      role: "assistant",
      content: [
        { type: "thinking", thinking: "Two steps.", signature: "EqQBsig" },
        { type: "tool_use", id: "c", name: "f", input: {} },
      ],
    });
    // The tool loop starts with its thinking block, so thinking can stay on.
    expect(out.thinking).toEqual({ type: "enabled", budget_tokens: 12288 });
  });

  test("without round-tripped thinking, a tool loop turns thinking off rather than fail", () => {
    const body = { ...CODEX_TURN_2, reasoning: { effort: "high", summary: "auto" } } as ResponseCreateParams;
    expect(responsesRequestToAnthropic(body).thinking).toBeUndefined();
    const first = { ...body, input: [{ role: "user", content: "hi" }] } as ResponseCreateParams;
    expect(responsesRequestToAnthropic(first).thinking).toEqual({ type: "enabled", budget_tokens: 24576 });
  });

  test("an output whose call is missing becomes text; a call without output gets an error result", () => {
    const out = responsesRequestToAnthropic({
      model: "m",
      input: [
        { type: "function_call_output", call_id: "gone", output: "stale" },
        { role: "user", content: "next" },
        { type: "function_call", call_id: "c", name: "f", arguments: "{}" },
        { role: "user", content: "never mind" },
      ],
    });
    expect(out.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "Result of tool call gone:\nstale" },
          { type: "text", text: "next" },
        ],
      },
      { role: "assistant", content: [{ type: "tool_use", id: "c", name: "f", input: {} }] },
      {
        role: "user",
        content: [
          {
            type: "tool_result",
            tool_use_id: "c",
            content: "No result was recorded for this tool call.",
            is_error: true,
          },
          { type: "text", text: "never mind" },
        ],
      },
    ]);
  });

  test("images, files, assistant text and sampling fields", () => {
    const out = translate({
      model: "m",
      temperature: 0.3,
      top_p: 0.8,
      safety_identifier: "user-1",
      text: { format: { type: "json_schema", name: "o", schema: { type: "object" } }, verbosity: "low" },
      input: [
        {
          role: "user",
          content: [
            { type: "input_text", text: "look" },
            { type: "input_image", image_url: "data:image/jpeg;base64,/9j/4AAQ", detail: "auto" },
            { type: "input_file", filename: "a.pdf", file_data: "data:application/pdf;base64,JVBE" },
          ],
        },
        {
          type: "message",
          id: "msg_1",
          status: "completed",
          role: "assistant",
          content: [{ type: "output_text", text: "A cat.", annotations: [] }],
        },
      ],
    });
    expect(out.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "look" },
          { type: "image", source: { type: "base64", media_type: "image/jpeg", data: "/9j/4AAQ" } },
          { type: "document", source: { type: "base64", media_type: "application/pdf", data: "JVBE" } },
        ],
      },
      { role: "assistant", content: [{ type: "text", text: "A cat." }] },
    ]);
    expect(out).toMatchObject({
      temperature: 0.3,
      top_p: 0.8,
      metadata: { user_id: "user-1" },
      output_config: { format: { type: "json_schema", schema: { type: "object" } } },
    });
  });

  test("tool_choice forms of the Responses API", () => {
    const tools: ResponseCreateParams["tools"] = [
      { type: "function", name: "f", parameters: {}, strict: false },
    ];
    const choice = (c: ResponseCreateParams["tool_choice"], parallel?: boolean) =>
      translate({ model: "m", input: "x", tools, tool_choice: c, parallel_tool_calls: parallel }).tool_choice;
    expect(choice({ type: "function", name: "f" })).toEqual({ type: "tool", name: "f" });
    expect(choice("required", false)).toEqual({ type: "any", disable_parallel_tool_use: true });
    expect(choice("none")).toEqual({ type: "none" });
    expect(
      refusal({ model: "m", input: "x", tools, tool_choice: { type: "function", name: "g" } }),
    ).toStartWith("tool_choice:");
  });

  test("previous_response_id is refused with its own error, which says what to do instead", () => {
    expect(() => translate({ model: "m", input: "x", previous_response_id: "resp_1" })).toThrow(
      PreviousResponseError,
    );
    expect(refusal({ model: "m", input: "x", previous_response_id: "resp_1" })).toContain(
      "send the whole conversation",
    );
  });

  test("OpenAI-hosted tools: web search and image generation are dropped, retrieval and sandboxes refused", () => {
    const dropped = translate({
      model: "m",
      input: "x",
      tools: [{ type: "web_search" }, { type: "image_generation" }, { type: "web_search_preview" }],
    });
    expect(dropped.tools).toBeUndefined();
    expect(
      refusal({ model: "m", input: "x", tools: [{ type: "file_search", vector_store_ids: ["vs"] }] }),
    ).toStartWith("tools[0].type:");
    expect(
      refusal({ model: "m", input: "x", tools: [{ type: "code_interpreter", container: { type: "auto" } }] }),
    ).toContain("OpenAI-hosted");
  });

  test("bad input is a TranslationError naming the field", () => {
    expect(refusal({ model: "m" })).toStartWith("input:");
    expect(refusal({ model: "m", input: [] })).toStartWith("input:");
    expect(refusal({ model: "m", input: [{ type: "item_reference", id: "x" }] })).toStartWith(
      "input[0].type:",
    );
    expect(refusal({ model: "m", input: [{ type: "mystery" }] })).toStartWith("input[0].type:");
    expect(refusal({ model: "m", input: [{ role: "tool", content: "x" }] })).toStartWith("input[0].role:");
    expect(
      refusal({ model: "m", input: [{ role: "user", content: [{ type: "input_audio" }] }] }),
    ).toStartWith("input[0].content[0].type:");
    expect(
      refusal({
        model: "m",
        input: [{ role: "user", content: [{ type: "input_image", file_id: "file_1" }] }],
      }),
    ).toStartWith("input[0].content[0].file_id:");
    expect(
      refusal({ model: "m", input: [{ type: "function_call", name: "f", arguments: "{}" }] }),
    ).toStartWith("input[0].call_id:");
    expect(refusal({ model: "m", input: "x", instructions: 3 })).toStartWith("instructions:");
    expect(refusal({ model: "m", input: "x", max_output_tokens: -1 })).toStartWith("max_output_tokens:");
    expect(refusal({ model: "m", input: "x", reasoning: { effort: "huge" } })).toStartWith(
      "reasoning.effort:",
    );
    expect(refusal({ model: "m", input: "x", tools: [{ type: "function" }] })).toStartWith("tools[0].name:");
    expect(refusal({ model: "m", input: "x", text: { format: { type: "xml" } } })).toStartWith(
      "text.format:",
    );
    expect(refusal({ model: "m", input: "x", background: true })).toStartWith("background:");
    expect(refusal({ model: "m", input: "x", conversation: "conv_1" })).toStartWith("conversation:");
    expect(refusal({ model: "m", input: "x", prompt: { id: "pmpt_1" } })).toStartWith("prompt:");
  });
});

describe("namespaced tool names", () => {
  test("stay within Anthropic's 64 characters of [a-zA-Z0-9_-], and map back to namespace and name", () => {
    const namespace = "mcp.server-with-a-rather-long-name";
    const name = "look_up_the_customer_record_by_email_address";
    const out = responsesRequestToAnthropic({
      model: "m",
      tools: [
        {
          type: "namespace",
          name: namespace,
          description: "",
          tools: [{ type: "function", name, parameters: {} }],
        },
      ],
      input: [
        { role: "user", content: "x" },
        { type: "function_call", call_id: "c", name, namespace, arguments: "{}" },
        { type: "function_call_output", call_id: "c", output: "ok" },
      ],
    });
    const toolName = out.tools?.[0]?.name ?? "";
    expect(toolName).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    expect(out.messages[1]?.content).toEqual([{ type: "tool_use", id: "c", name: toolName, input: {} }]);
    const reply = anthropicMessageToResponse(
      { ...TOOL_MESSAGE, content: [{ type: "tool_use", id: "t", name: toolName, input: {} }] },
      {
        model: "m",
        request: { tools: [{ type: "namespace", name: namespace, tools: [{ type: "function", name }] }] },
      },
    );
    expect(reply.output).toMatchObject([{ type: "function_call", name, namespace }]);
  });
});
