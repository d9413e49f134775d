// Routing rules: keywords first, then the size of the latest user turn only.
import { expect, test } from "bun:test";
import { latestUserText, route } from "./rules.ts";

test("the spec's rules", () => {
  expect(route("Please refactor this module")).toEqual({ tier: "top", reason: 'complex keyword "refactor"' });
  expect(route("Help me debug the login flow").tier).toBe("top");
  expect(route("translate this to French")).toEqual({ tier: "cheap", reason: 'simple keyword "translate"' });
  expect(route("format this JSON").tier).toBe("cheap");
  expect(route("hello there").tier).toBe("cheap");
  expect(route("x".repeat(4 * 500)).tier).toBe("middle");
  expect(route("x".repeat(4 * 2000)).tier).toBe("top");
  // Complex wins over simple when both appear.
  expect(route("list the steps to refactor this").tier).toBe("top");
});

test("only the latest typed user turn counts, not the system prompt, tools or tool results", () => {
  const messages = [
    { role: "user", content: "refactor everything" },
    { role: "assistant", content: [{ type: "text", text: "ok" }] },
    {
      role: "user",
      content: [
        { type: "text", text: "<system-reminder>huge context about refactoring</system-reminder>" },
        { type: "text", text: "translate this to French" },
      ],
    },
    { role: "assistant", content: [{ type: "tool_use", id: "t1", name: "read", input: {} }] },
    {
      role: "user",
      content: [{ type: "tool_result", tool_use_id: "t1", content: "file contents ".repeat(5000) }],
    },
  ];
  expect(latestUserText(messages)).toBe("translate this to French");
  expect(latestUserText([])).toBe("");
  expect(latestUserText("nope")).toBe("");
});

test("typed blocks are joined; a reminder is skipped also after leading whitespace; non-text blocks are ignored", () => {
  const turn = (content: unknown) => [{ role: "user", content }];
  expect(
    latestUserText(
      turn([
        { type: "text", text: " \n\t<system-reminder>context</system-reminder>" },
        { type: "text", text: "first" },
        null,
        { type: "text", text: 42 },
        { type: "image", source: {} },
        { type: "text", text: "second" },
      ]),
    ),
  ).toBe("first\nsecond");
  // A user turn of reminders only is not what was typed: the one before it is.
  expect(
    latestUserText([
      ...turn("the ask"),
      ...turn([{ type: "text", text: "\u00a0<system-reminder>only context</system-reminder>" }]),
    ]),
  ).toBe("the ask");
});
