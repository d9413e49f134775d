// Claude Code awareness: background calls by their shape, agent loops by the instruction that started them.
import { expect, test } from "bun:test";
import { createRouter, type RoutingPivot } from "./index.ts";

const TITLE =
  "Generate a concise, sentence-case title (3-7 words) that captures the main topic or goal of this coding session.";
const AGENT_SYSTEM =
  "You are Claude Code. When asked to refactor, debug or design architecture, read the code first. ".repeat(
    200,
  );
const TOOLS = [{ name: "Read", input_schema: { type: "object" } }];
const decide = (p: RoutingPivot) => createRouter().decide(p, "score");

test("a session title for a conversation about refactoring and race conditions is a cheap background call", () => {
  const d = decide({
    system: [{ type: "text", text: TITLE }],
    max_tokens: 512,
    messages: [
      {
        role: "user",
        content:
          "<session>user: refactor the payment module and prove the retry worker has no race condition</session>",
      },
    ],
  });
  expect(d.tier).toBe("cheap");
  expect(d.background).toBe("session title");
  expect(d.reason).toStartWith("cheap tier: background call, session title (");
});

test("the same conversation text as a real turn is judged on its content", () => {
  const d = decide({
    max_tokens: 1024,
    messages: [
      {
        role: "user",
        content: "refactor the payment module and prove the retry worker has no race condition",
      },
    ],
  });
  expect(d.tier).toBe("top");
  expect(d.background).toBeUndefined();
});

test("any client's short bookkeeping call (no tools, small max_tokens, asks for a title) is cheap", () => {
  const d = decide({
    system: "Write a one-line title for this support ticket.",
    max_tokens: 40,
    messages: [
      { role: "user", content: "Our distributed consensus cluster loses writes during a partition." },
    ],
  });
  expect(d).toMatchObject({ tier: "cheap", background: "short bookkeeping answer" });
  // With tools or a large answer budget it is a real turn.
  expect(
    decide({
      system: "Write a title.",
      max_tokens: 4096,
      messages: [{ role: "user", content: "Design a distributed lock service" }],
    }).background,
  ).toBeUndefined();
  expect(
    decide({
      system: "Write a title.",
      max_tokens: 40,
      tools: TOOLS,
      messages: [{ role: "user", content: "x" }],
    }).background,
  ).toBeUndefined();
});

test("compaction is recognised and goes to the middle tier, tools or not", () => {
  const d = decide({
    system: "You are a helpful AI assistant tasked with summarizing conversations.",
    max_tokens: 20_000,
    tools: TOOLS,
    messages: [
      { role: "user", content: "Your task is to create a detailed summary of the conversation so far." },
    ],
  });
  expect(d).toMatchObject({ tier: "middle", background: "conversation compaction" });
});

test("the agent's own system prompt never counts: its refactor/debug/architecture words do not lift a typo fix", () => {
  const d = decide({
    system: [{ type: "text", text: AGENT_SYSTEM }],
    tools: TOOLS,
    max_tokens: 32_000,
    messages: [{ role: "user", content: [{ type: "text", text: "fix the typo in the README title" }] }],
  });
  expect(d.tier).toBe("cheap");
});

function agentLoop(instruction: string): RoutingPivot {
  return {
    system: [{ type: "text", text: AGENT_SYSTEM }],
    tools: TOOLS,
    max_tokens: 32_000,
    messages: [
      {
        role: "user",
        content: [
          { type: "text", text: "<system-reminder>context about refactoring everything</system-reminder>" },
          { type: "text", text: instruction },
        ],
      },
      { role: "assistant", content: [{ type: "tool_use", id: "t1", name: "Read", input: { path: "a.ts" } }] },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "t1", content: "x".repeat(40_000) }] },
    ],
  };
}

test("a last turn that is only a tool_result is judged by the instruction that started the loop", () => {
  expect(decide(agentLoop("find and fix the race condition in the job queue")).tier).toBe("top");
  expect(decide(agentLoop("write unit tests for src/utils/slugify.ts covering empty strings")).tier).toBe(
    "middle",
  );
  // 40 000 characters of tool output do not make a rename hard.
  const rename = decide(agentLoop("rename the variable cnt to count"));
  expect(rename.tier).toBe("cheap");
  expect(rename.reason).toContain("agent loop");
});

test("a background prompt after the CLI's identity block is recognised; one buried past the opening is not", () => {
  const call = (system: Array<{ type: string; text: string }>) =>
    decide({ system, max_tokens: 512, messages: [{ role: "user", content: "refactor the architecture" }] });
  const identity = { type: "text", text: "You are Claude Code, Anthropic's official CLI for Claude." };
  expect(call([identity, { type: "text", text: TITLE }]).background).toBe("session title");
  // Only the prompt's opening is read: a long agent prompt that quotes the title prompt deep inside
  // is still the agent, judged by its turn.
  const buried = call([identity, { type: "text", text: `${AGENT_SYSTEM}\n${TITLE}` }]);
  expect(buried.background).toBeUndefined();
  expect(buried.tier).toBe("top");
});
