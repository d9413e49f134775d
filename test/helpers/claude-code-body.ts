// A request shaped like Claude Code's: a ~80 KB system prompt, 24 tools, and a short last user turn.
export function claudeCodeSizedBody(lastUserTurn: string, model = "auto"): Record<string, unknown> {
  const tools = Array.from({ length: 24 }, (_, i) => ({
    name: `tool_${i}`,
    description: `Tool number ${i}. ${"Detailed usage notes for the agent. ".repeat(40)}`,
    input_schema: {
      type: "object",
      properties: { path: { type: "string", description: "A file path" }, limit: { type: "number" } },
      required: ["path"],
    },
  }));
  return {
    model,
    max_tokens: 32_000,
    stream: false,
    system: [
      { type: "text", text: "You are Claude Code, Anthropic's official CLI for Claude." },
      { type: "text", text: "Guidelines for refactoring and architecture and debugging. ".repeat(1000) },
    ],
    tools,
    messages: [
      {
        role: "user",
        content: [
          { type: "text", text: "<system-reminder>Project context</system-reminder>" },
          { type: "text", text: lastUserTurn },
        ],
      },
    ],
  };
}
