// Test fixture: a request shaped like Codex CLI 0.169's second turn (after one tool call), short texts.

import type { ResponseCreateParamsStreaming } from "openai/resources/responses/responses";

/**
 * Field for field what `codex exec` sends to a `wire_api = "responses"` provider (observed against a
 * local capture server): no `instructions` (the prompt is a developer message), function tools with
 * `strict: false`, a `namespace` of agent tools, `web_search`, `reasoning.summary`, `store: false`,
 * `include`, `prompt_cache_key`, `client_metadata`, and items carrying their own ids.
 */
export const CODEX_TURN_2 = {
  model: "claude-sonnet-4-5",
  stream: true,
  input: [
    {
      type: "message",
      id: "msg_615dbc7e",
      role: "developer",
      content: [{ type: "input_text", text: "You are a coding agent running in a terminal." }],
    },
    {
      type: "message",
      id: "msg_01a233a0a",
      role: "user",
      content: [
        { type: "input_text", text: "<environment_context>\n  <cwd>/repo</cwd>\n</environment_context>" },
      ],
    },
    {
      type: "message",
      id: "msg_01a233a0b",
      role: "user",
      content: [{ type: "input_text", text: "run echo hi" }],
    },
    {
      type: "function_call",
      status: "completed",
      id: "fc_1",
      name: "exec_command",
      arguments: '{"cmd":"echo hi"}',
      call_id: "call_1",
    },
    {
      type: "function_call_output",
      id: "fco_01a233a0",
      call_id: "call_1",
      output: "Process exited with code 0\nOutput:\nhi\n",
    },
  ],
  tools: [
    {
      type: "function",
      name: "exec_command",
      description: "Runs a command in a PTY.",
      strict: false,
      parameters: {
        type: "object",
        properties: { cmd: { type: "string" }, workdir: { type: "string" } },
        required: ["cmd"],
        additionalProperties: false,
      },
    },
    {
      type: "namespace",
      name: "multi_agent_v1",
      description: "Tools for spawning and managing sub-agents.",
      tools: [
        {
          type: "function",
          name: "close_agent",
          description: "Close an agent.",
          strict: false,
          parameters: { type: "object", properties: { target: { type: "string" } }, required: ["target"] },
        },
      ],
    },
    {
      type: "custom",
      name: "apply_patch",
      description: "Use the apply_patch tool to edit files.",
      format: {
        type: "grammar",
        syntax: "lark",
        definition: 'start: "*** Begin Patch" LF body "*** End Patch"',
      },
    },
    { type: "web_search", external_web_access: true },
  ],
  tool_choice: "auto",
  parallel_tool_calls: true,
  reasoning: { summary: "auto" },
  store: false,
  include: ["reasoning.encrypted_content"],
  prompt_cache_key: "01a233a0-46f7-76a1-9409-db362ed9f311",
  client_metadata: { thread_id: "01a233a0-46f7-76a1-9409-db362ed9f311", turn_id: "01a233a0-472a" },
} as unknown as ResponseCreateParamsStreaming;
