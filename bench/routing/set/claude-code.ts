// Claude Code request shapes: background calls, agent loops ending in tool results, long context, thinking.
import type { Label, LabelledRequest } from "./types.ts";

// Claude Code's real prompts for its bookkeeping calls (CLI 2.1.x), shortened after their first lines.
const TITLE_PROMPT =
  "Generate a concise, sentence-case title (3-7 words) that captures the main topic or goal of this coding session. The title should be clear enough that the user recognizes the session in a list. Use sentence case: capitalize only the first word and proper nouns.";
const LABEL_PROMPT =
  "Write a short summary label describing what these tool calls accomplished. It appears as a single-line row in a mobile app and truncates around 30 characters, so think git-commit-subject, not sentence.";
const TOPIC_PROMPT =
  "Analyze if this message indicates a new conversation topic. If it does, extract a 2-3 word title that captures the new topic. Format your response as a JSON object with two fields: 'isNewTopic' (boolean) and 'title' (string, or null if isNewTopic is false).";
const COMPACT_SYSTEM = "You are a helpful AI assistant tasked with summarizing conversations.";
const COMPACT_PROMPT =
  "Your task is to create a detailed summary of the conversation so far, paying close attention to the user's explicit requests and your previous actions. This summary should be thorough in capturing technical details, code patterns, and architectural decisions that would be essential for continuing development work without losing context.";

// The agent's own system prompt talks about refactoring, debugging and architecture on every call;
// a router that reads it sends everything to the top tier.
export const AGENT_SYSTEM = [
  { type: "text", text: "You are Claude Code, Anthropic's official CLI for Claude." },
  {
    type: "text",
    text: `You are an interactive CLI tool that helps users with software engineering tasks. ${"When asked to refactor, debug or design architecture, read the code first, plan the change, run the tests. Prefer small, verifiable steps; explain trade-offs briefly. ".repeat(60)}`,
  },
];
export const AGENT_TOOLS = [
  "Bash",
  "Read",
  "Edit",
  "Write",
  "Grep",
  "Glob",
  "TodoWrite",
  "WebFetch",
  "Task",
  "NotebookEdit",
].map((name) => ({
  name,
  description: `${name} tool. ${"Use it when the task needs it; never guess file contents. ".repeat(12)}`,
  input_schema: { type: "object", properties: { path: { type: "string" } } },
}));
const REMINDER = {
  type: "text",
  text: "<system-reminder>As you answer the user's questions, you can use the following context: the project uses TypeScript, tests run with bun test.</system-reminder>",
};

const agentTurn = (text: string) => ({ role: "user", content: [REMINDER, { type: "text", text }] });

function agent(text: string, extra: Record<string, unknown> = {}, history: unknown[] = []) {
  return {
    system: AGENT_SYSTEM,
    tools: AGENT_TOOLS,
    max_tokens: 32_000,
    messages: [...history, agentTurn(text)],
    ...extra,
  };
}

/** An agent loop: the instruction, then `steps` tool calls whose results are the last user turns. */
function loop(instruction: string, results: string[]) {
  const messages: unknown[] = [agentTurn(instruction)];
  results.forEach((result, i) => {
    messages.push({
      role: "assistant",
      content: [
        { type: "tool_use", id: `t${i}`, name: i % 2 ? "Bash" : "Read", input: { path: `src/file${i}.ts` } },
      ],
    });
    messages.push({
      role: "user",
      content: [{ type: "tool_result", tool_use_id: `t${i}`, content: result }],
    });
  });
  return { system: AGENT_SYSTEM, tools: AGENT_TOOLS, max_tokens: 32_000, messages };
}

function background(system: string, userText: string, maxTokens: number) {
  return {
    system: [{ type: "text", text: system }],
    max_tokens: maxTokens,
    messages: [{ role: "user", content: userText }],
  };
}

const conversation = (topic: string) =>
  `<session>\nuser: ${topic}\nassistant: I'll start by reading the relevant files and then propose a plan.\nuser: go ahead, and also check the tests\n</session>`;

const FILE =
  `export class Queue<T> {\n  private items: T[] = [];\n  push(x: T) { this.items.push(x); }\n  pop(): T | undefined { return this.items.shift(); }\n}\n`.repeat(
    40,
  );
const LOG = Array.from(
  { length: 180 },
  (_, i) =>
    `2026-11-30T10:${String(i % 60).padStart(2, "0")}:00Z worker-${i % 7} INFO job ${1000 + i} processed in ${20 + (i % 13)}ms`,
).join("\n");
const DOC =
  "The committee met on Tuesday to review the quarterly plan. Attendance was good and the discussion focused on hiring, the office move and the budget for the next two quarters. ".repeat(
    70,
  );

const c = (
  id: string,
  label: Label,
  body: Record<string, unknown>,
  note: string,
  output: number,
): LabelledRequest => ({
  id: `cc-${id}`,
  label,
  body,
  note,
  output,
});

export const CLAUDE_CODE: readonly LabelledRequest[] = [
  // Background calls: cheap whatever the conversation is about.
  c(
    "title-refactor",
    "trivial",
    background(
      TITLE_PROMPT,
      conversation(
        "refactor the payment module into services and fix the race condition in the retry worker",
      ),
      512,
    ),
    "session title",
    20,
  ),
  c(
    "title-proof",
    "trivial",
    background(
      TITLE_PROMPT,
      conversation("prove the scheduler never starves a low-priority job and write the invariant as a test"),
      512,
    ),
    "session title",
    20,
  ),
  c(
    "title-design",
    "trivial",
    background(TITLE_PROMPT, conversation("design a distributed lock service with fencing tokens"), 512),
    "session title",
    20,
  ),
  c(
    "title-debug",
    "trivial",
    background(TITLE_PROMPT, conversation("debug the memory leak in the websocket gateway"), 512),
    "session title",
    20,
  ),
  c(
    "title-migrate",
    "trivial",
    background(TITLE_PROMPT, conversation("migrate the monorepo from webpack to vite"), 512),
    "session title",
    20,
  ),
  c(
    "title-small",
    "trivial",
    background(TITLE_PROMPT, conversation("rename the README headings"), 512),
    "session title",
    20,
  ),
  c(
    "title-long",
    "trivial",
    background(TITLE_PROMPT, conversation(`${"optimize the hot loop in the renderer; ".repeat(80)}`), 512),
    "session title over a long session",
    20,
  ),
  c(
    "title-sql",
    "trivial",
    background(
      TITLE_PROMPT,
      conversation("write the SQL for monthly revenue per region and check the indexes"),
      512,
    ),
    "session title",
    20,
  ),
  c(
    "label-edit",
    "trivial",
    background(
      LABEL_PROMPT,
      "Tools completed:\n- Read src/auth/session.ts\n- Edit src/auth/session.ts (refactor token refresh)\n- Bash: bun test (42 passed)",
      64,
    ),
    "tool summary label",
    12,
  ),
  c(
    "label-grep",
    "trivial",
    background(LABEL_PROMPT, "Tools completed:\n- Grep 'deadlock' in src/\n- Read src/db/pool.ts", 64),
    "tool summary label",
    12,
  ),
  c(
    "label-tests",
    "trivial",
    background(
      LABEL_PROMPT,
      "Tools completed:\n- Bash: npm test -- --runInBand (3 failed)\n- Read test/api.test.ts",
      64,
    ),
    "tool summary label",
    12,
  ),
  c(
    "label-arch",
    "trivial",
    background(
      LABEL_PROMPT,
      "Tools completed:\n- Write docs/architecture.md (distributed consensus design)\n- Edit ARCHITECTURE.md",
      64,
    ),
    "tool summary label",
    12,
  ),
  c(
    "label-many",
    "trivial",
    background(LABEL_PROMPT, `Tools completed:\n${"- Edit src/x.ts (optimize the parser)\n".repeat(30)}`, 64),
    "tool summary label, many calls",
    12,
  ),
  c(
    "topic-new",
    "trivial",
    background(
      TOPIC_PROMPT,
      "Now let's design the sharding strategy for the events table and prove it balances load",
      128,
    ),
    "topic detection",
    25,
  ),
  c(
    "topic-same",
    "trivial",
    background(TOPIC_PROMPT, "also fix the typo in that function", 128),
    "topic detection",
    25,
  ),
  c(
    "topic-debug",
    "trivial",
    background(TOPIC_PROMPT, "why does the race condition only happen in CI?", 128),
    "topic detection",
    25,
  ),
  c("topic-hi", "trivial", background(TOPIC_PROMPT, "thanks!", 128), "topic detection", 25),
  c(
    "topic-arch",
    "trivial",
    background(
      TOPIC_PROMPT,
      "switching gears: I want to refactor the whole architecture of the billing service",
      128,
    ),
    "topic detection",
    25,
  ),
  // Compaction: a long, careful summary the session continues from.
  c(
    "compact-1",
    "medium",
    {
      ...background(
        COMPACT_SYSTEM,
        `${conversation("refactor the payment module")}\n${LOG}\n\n${COMPACT_PROMPT}`,
        20_000,
      ),
    },
    "compaction",
    2_000,
  ),
  c(
    "compact-2",
    "medium",
    {
      ...background(COMPACT_SYSTEM, `${conversation("add dark mode")}\n${FILE}\n\n${COMPACT_PROMPT}`, 20_000),
    },
    "compaction",
    2_000,
  ),
  c(
    "compact-3",
    "medium",
    {
      ...background(COMPACT_SYSTEM, `${conversation("fix flaky tests")}\n\n${COMPACT_PROMPT}`, 20_000),
      tools: AGENT_TOOLS,
    },
    "compaction carrying the tools",
    2_000,
  ),
  // Agent loops: the last user turn is a tool result; the instruction that started the loop decides.
  c(
    "loop-typo",
    "trivial",
    loop("fix the typo in the README title", ["# Snodus gatway\n\nAn AI gateway."]),
    "typo fix after a Read",
    150,
  ),
  c(
    "loop-rename",
    "trivial",
    loop("rename the variable `cnt` to `count` in src/stats.ts", [FILE.slice(0, 600)]),
    "rename after a Read",
    200,
  ),
  c(
    "loop-version",
    "trivial",
    loop("what version of typescript does this project use?", [
      '{"devDependencies":{"typescript":"^5.6.3"}}',
    ]),
    "lookup",
    60,
  ),
  c(
    "loop-commit",
    "trivial",
    loop("commit these changes with a short message", [
      "On branch main\nChanges not staged for commit:\n  modified: src/app.ts",
    ]),
    "git commit",
    80,
  ),
  c(
    "loop-ls",
    "trivial",
    loop("list the files in the scripts folder", ["build.ts\nrelease.sh\nseed.ts"]),
    "ls",
    60,
  ),
  c(
    "loop-test",
    "medium",
    loop("write unit tests for src/utils/slugify.ts covering empty strings and unicode", [
      FILE.slice(0, 800),
      "bun test v1.2\n12 pass\n0 fail",
    ]),
    "tests after Read + Bash",
    900,
  ),
  c(
    "loop-endpoint",
    "medium",
    loop("add a GET /health endpoint to the Express app that returns the version", [FILE.slice(0, 1500)]),
    "small feature",
    700,
  ),
  c(
    "loop-ts-error",
    "medium",
    loop("fix the type errors that tsc reports", [
      "src/a.ts(12,5): error TS2322: Type 'string' is not assignable to type 'number'.\nsrc/b.ts(3,10): error TS2304: Cannot find name 'foo'.",
    ]),
    "type errors",
    700,
  ),
  c(
    "loop-lint",
    "medium",
    loop("make eslint pass on the src folder and explain any rule you had to disable", [
      "src/x.ts\n  4:10  error  'y' is assigned a value but never used  no-unused-vars\n  9:1   error  Unexpected console statement  no-console",
    ]),
    "lint",
    600,
  ),
  c(
    "loop-docs",
    "medium",
    loop("write a README section documenting the CLI flags of bin/tool.ts", [FILE.slice(0, 1200)]),
    "docs",
    800,
  ),
  c(
    "loop-race",
    "hard",
    loop("find and fix the race condition in the job queue: two workers sometimes take the same job", [
      FILE,
      "bun test\n1 fail: two workers claimed job 41",
    ]),
    "race condition, two tool results",
    2_000,
  ),
  c(
    "loop-leak",
    "hard",
    loop("the server's memory grows without bound under load; find the leak and fix it", [
      LOG,
      "heap snapshot: 1.2 GB retained by Map in src/cache.ts",
    ]),
    "memory leak",
    2_000,
  ),
  c(
    "loop-design",
    "hard",
    loop(
      "design and implement optimistic locking for the documents table so concurrent edits never overwrite each other; write the migration too",
      [FILE.slice(0, 2000)],
    ),
    "concurrency design",
    2_500,
  ),
  c(
    "loop-refactor",
    "hard",
    loop(
      "refactor the auth module into a provider interface with a JWT and a session implementation, keeping every test green",
      [FILE, "bun test: 88 pass"],
    ),
    "large refactor",
    3_000,
  ),
  c(
    "loop-perf",
    "hard",
    loop("p99 latency of /search doubled since last week's deploy; find the regression", [
      LOG,
      "git log --oneline -5\nabc123 use new tokenizer\ndef456 add caching layer",
    ]),
    "performance regression",
    2_000,
  ),
  // Long context typed by the person: size alone is not the ask.
  c(
    "long-summarize-doc",
    "medium",
    agent(`Summarize this meeting transcript in five bullet points:\n\n${DOC}`),
    "long paste, summary",
    300,
  ),
  c(
    "long-log-why",
    "hard",
    agent(
      `Our nightly job failed intermittently last week. Here is the log of a failing night. Why does it fail, and why only some nights?\n\n${LOG}`,
    ),
    "long log, intermittent failure",
    1_500,
  ),
  c(
    "long-code-review",
    "hard",
    agent(`Review this module for concurrency bugs and explain each one:\n\n\`\`\`ts\n${FILE}\`\`\``),
    "long code, concurrency review",
    2_000,
  ),
  c(
    "long-code-explain",
    "medium",
    agent(`Explain what this file does:\n\n\`\`\`ts\n${FILE}\`\`\``),
    "long code, explain",
    700,
  ),
  c(
    "long-translate",
    "medium",
    agent(`Translate this into German:\n\n${DOC.slice(0, 4000)}`),
    "long translation",
    1_200,
  ),
  c(
    "long-diff",
    "hard",
    agent(
      `Review this diff; we think it breaks backward compatibility of the wire format:\n\ndiff --git a/src/codec.ts b/src/codec.ts\n--- a/src/codec.ts\n+++ b/src/codec.ts\n@@ -1,9 +1,9 @@\n${"-  writeUint32(buf, len);\n+  writeVarint(buf, len);\n".repeat(40)}`,
    ),
    "long diff, compatibility",
    1_500,
  ),
  // Thinking turns: the person asked the model to think.
  c(
    "think-ultra-design",
    "hard",
    agent("ultrathink: how should we shard the events table as we grow 10x?", {
      thinking: { type: "enabled", budget_tokens: 31_999 },
    }),
    "ultrathink",
    3_000,
  ),
  c(
    "think-hard-bug",
    "hard",
    agent("think hard about why the websocket reconnect loop never stops after a deploy", {
      thinking: { type: "enabled", budget_tokens: 10_000 },
    }),
    "think hard",
    2_000,
  ),
  c(
    "think-proof",
    "hard",
    agent("Is our lock-free queue linearizable? Think it through.", {
      thinking: { type: "enabled", budget_tokens: 31_999 },
    }),
    "thinking, proof",
    3_000,
  ),
  c(
    "think-plan",
    "hard",
    agent("think about the plan for migrating auth to OAuth before we write any code", {
      thinking: { type: "enabled", budget_tokens: 16_000 },
    }),
    "thinking, migration plan",
    2_500,
  ),
  c(
    "think-small",
    "medium",
    agent("think a bit: which of these two names reads better for the flag, `--dry` or `--dry-run`?", {
      thinking: { type: "enabled", budget_tokens: 4_000 },
    }),
    "small thinking budget, small ask",
    300,
  ),
  // Ordinary typed turns inside an agent session, after some history.
  c("turn-hi", "trivial", agent("thanks, looks good"), "thanks", 30),
  c("turn-commit", "trivial", agent("commit and push"), "commit", 100),
  c(
    "turn-what-is",
    "trivial",
    agent("what's the command to run only one test file with bun?"),
    "quick question",
    80,
  ),
  c("turn-run-tests", "medium", agent("run the tests and fix whatever fails"), "fix failing tests", 900),
  c(
    "turn-feature",
    "medium",
    agent("add a --json flag to the status command that prints the same data as JSON"),
    "small feature",
    800,
  ),
  c(
    "turn-sql",
    "medium",
    agent("write a migration that adds a created_by column to projects, backfilled from the audit table"),
    "migration",
    700,
  ),
  c(
    "turn-arch",
    "hard",
    agent(
      "we need to support multiple regions: propose an architecture for the gateway where budgets are enforced globally but requests never wait on another region",
    ),
    "architecture",
    2_500,
  ),
  c(
    "turn-security",
    "hard",
    agent("audit the signup flow for security vulnerabilities: enumeration, timing attacks, token reuse"),
    "security audit",
    2_000,
  ),
  c(
    "turn-after-history",
    "trivial",
    agent("ok, now just fix the typo in the error message", {}, [
      agentTurn("design the new caching layer with invalidation across instances"),
      { role: "assistant", content: [{ type: "text", text: "Here is the design…" }] },
    ]),
    "short ask after a hard turn",
    80,
  ),
];
