// Writes the benchmark request bodies to a folder: small, small streamed, and a Claude Code-sized request.
//
//   bun bench/bodies.ts OUT_DIR   → small.json, stream.json, claude-code.json (~76 KB, 24 tools, streamed)

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const out = Bun.argv[2];
if (!out) {
  console.error("usage: bun bench/bodies.ts OUT_DIR");
  process.exit(2);
}
mkdirSync(out, { recursive: true });

const small = {
  model: "claude-sonnet-4-5",
  max_tokens: 100,
  messages: [{ role: "user", content: "hi" }],
};

// Deterministic filler text, so every run sends the same bytes.
const WORDS =
  "the tool reads files edits code runs commands in a shell searches with patterns returns results to the model " +
  "when the user asks for a change prefer small focused edits keep the style of the surrounding code and explain " +
  "what was done use absolute paths never guess at the contents of a file read it first and quote exact strings";
const words = WORDS.split(" ");
let seed = 42;
function text(chars: number): string {
  const parts: string[] = [];
  let n = 0;
  while (n < chars) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const w = words[seed % words.length] ?? "code";
    parts.push(w);
    n += w.length + 1;
  }
  return parts.join(" ").slice(0, chars);
}

const TOOL_NAMES = [
  "Task",
  "Bash",
  "Glob",
  "Grep",
  "LS",
  "ExitPlanMode",
  "Read",
  "Edit",
  "MultiEdit",
  "Write",
  "NotebookEdit",
  "WebFetch",
  "TodoWrite",
  "WebSearch",
  "BashOutput",
  "KillShell",
  "SlashCommand",
  "mcp__ide__getDiagnostics",
  "mcp__ide__executeCode",
  "mcp__github__create_pull_request",
  "mcp__github__get_issue",
  "mcp__github__list_commits",
  "mcp__linear__search_issues",
  "mcp__sentry__get_event",
];

function tool(name: string, i: number) {
  const properties: Record<string, unknown> = {};
  for (let p = 0; p < 4 + (i % 4); p++) {
    properties[`param_${p}`] = {
      type: p % 3 === 0 ? "string" : p % 3 === 1 ? "number" : "boolean",
      description: text(60 + ((i * 7 + p * 13) % 90)),
    };
  }
  return {
    name,
    description: text(900 + ((i * 37) % 1000)),
    input_schema: {
      type: "object",
      properties,
      required: Object.keys(properties).slice(0, 2),
      additionalProperties: false,
      $schema: "http://json-schema.org/draft-07/schema#",
    },
  };
}

function claudeCode(systemChars: number) {
  return {
    model: "claude-sonnet-4-5",
    max_tokens: 32000,
    stream: true,
    metadata: { user_id: "user_bench_account__session_00000000-0000-4000-8000-000000000000" },
    system: [
      {
        type: "text",
        text: "You are Claude Code, Anthropic's official CLI for Claude.",
        cache_control: { type: "ephemeral" },
      },
      { type: "text", text: text(systemChars), cache_control: { type: "ephemeral" } },
    ],
    tools: TOOL_NAMES.map(tool),
    messages: [
      {
        role: "user",
        content: [
          { type: "text", text: `<system-reminder>${text(2500)}</system-reminder>` },
          { type: "text", text: "The test in test/proxy/messages.test.ts fails; find out why and fix it." },
        ],
      },
      {
        role: "assistant",
        content: [
          { type: "text", text: "I'll read the failing test first." },
          {
            type: "tool_use",
            id: "toolu_01BenchBenchBenchBench0001",
            name: "Read",
            input: { file_path: "/work/app/test/proxy/messages.test.ts" },
          },
        ],
      },
      {
        role: "user",
        content: [
          {
            type: "tool_result",
            tool_use_id: "toolu_01BenchBenchBenchBench0001",
            content: text(6000),
          },
        ],
      },
      {
        role: "assistant",
        content: [
          {
            type: "tool_use",
            id: "toolu_01BenchBenchBenchBench0002",
            name: "Grep",
            input: { pattern: "handleMessages", path: "/work/app/src" },
          },
        ],
      },
      {
        role: "user",
        content: [
          {
            type: "tool_result",
            tool_use_id: "toolu_01BenchBenchBenchBench0002",
            content: text(1200),
            cache_control: { type: "ephemeral" },
          },
        ],
      },
    ],
  };
}

// Size the system prompt so the whole body lands on ~76 KB, like a Claude Code turn with its tools.
const TARGET = 76 * 1024;
let systemChars = 10_000;
for (let i = 0; i < 4; i++) {
  seed = 42;
  const size = JSON.stringify(claudeCode(systemChars)).length;
  systemChars += TARGET - size;
}
seed = 42;
const cc = JSON.stringify(claudeCode(systemChars));

writeFileSync(join(out, "small.json"), JSON.stringify(small));
writeFileSync(join(out, "stream.json"), JSON.stringify({ ...small, stream: true }));
writeFileSync(join(out, "claude-code.json"), cc);
console.log(
  JSON.stringify({
    smallBytes: JSON.stringify(small).length,
    claudeCodeBytes: cc.length,
    tools: TOOL_NAMES.length,
  }),
);
