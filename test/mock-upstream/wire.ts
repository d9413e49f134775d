// Shared by the mock upstream's wire-format tests: a mock per test file, SDK clients and raw requests
// pointed at it, and parsers for SSE and NDJSON that check framing independently of the SDKs.
import { afterAll, afterEach, beforeAll } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { type MockBehavior, type MockUpstream, mockHeader, startMockUpstream } from "./index.ts";

export const DEFAULT_TEXT = "Hello from the mock upstream.";
export const USER = [{ role: "user" as const, content: "Hi" }];

export const ANTHROPIC_HEADERS = {
  "content-type": "application/json",
  "x-api-key": "sk-ant-raw",
  "anthropic-version": "2023-06-01",
};

/** Starts a mock for the calling test file (reset after each test) and the ways to talk to it. */
export function useMock() {
  const up = {} as { mock: MockUpstream };
  beforeAll(async () => {
    up.mock = await startMockUpstream({ port: 0 });
  });
  afterEach(() => up.mock.reset());
  afterAll(async () => {
    await up.mock.stop();
  });
  const xMock = (behavior?: MockBehavior) => (behavior ? { "x-mock": mockHeader(behavior) } : undefined);
  return {
    up,
    anthropic: (behavior?: MockBehavior) =>
      new Anthropic({
        baseURL: up.mock.url,
        apiKey: "sk-ant-test",
        maxRetries: 0,
        defaultHeaders: xMock(behavior),
      }),
    openai: (behavior?: MockBehavior) =>
      new OpenAI({
        baseURL: `${up.mock.url}/v1`,
        apiKey: "sk-openai-test",
        maxRetries: 0,
        defaultHeaders: xMock(behavior),
      }),
    postAnthropic: (body: unknown, extra: Record<string, string> = {}): Promise<Response> =>
      fetch(`${up.mock.url}/v1/messages`, {
        method: "POST",
        headers: { ...ANTHROPIC_HEADERS, ...extra },
        body: JSON.stringify(body),
      }),
    postOllama: (body: unknown, extra: Record<string, string> = {}): Promise<Response> =>
      fetch(`${up.mock.url}/api/chat`, { method: "POST", headers: extra, body: JSON.stringify(body) }),
  };
}

/** The text blocks of a reply (the SDK types also want `citations`, which plain replies omit). */
export function texts(msg: Anthropic.Message): string[] {
  return msg.content.map((b) => (b.type === "text" ? b.text : `<${b.type}>`));
}

/** Raw SSE parsing, to check framing and event order independently of the SDKs. */
export function sseEvents(text: string): Array<{ event: string | null; data: string }> {
  return text
    .split("\n\n")
    .filter((block) => block.trim() !== "")
    .map((block) => {
      let event: string | null = null;
      let data = "";
      for (const line of block.split("\n")) {
        if (line.startsWith("event: ")) event = line.slice(7);
        else if (line.startsWith("data: ")) data += line.slice(6);
      }
      return { event, data };
    });
}

export function ndjson(text: string): Array<Record<string, unknown>> {
  return text
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
