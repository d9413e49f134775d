// One spend row per attempt on the OpenAI-speaking doors also when the client leaves or the upstream breaks.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eventually, startTestGateway, type TestGateway } from "../helpers/gateway.ts";
import { mockHeader } from "../mock-upstream/index.ts";

const CASES = [
  ["/v1/chat/completions", "gpt-4o-mini", { messages: [{ role: "user", content: "x" }] }],
  ["/v1/chat/completions", "claude-haiku-4-5", { messages: [{ role: "user", content: "x" }] }],
  ["/v1/responses", "gpt-4o-mini", { input: "x" }],
  ["/v1/responses", "claude-haiku-4-5", { input: "x" }],
  ["/v1/responses", "llama3.2:latest", { input: "x" }],
] as const;

describe("spend rows on the new doors", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway("sqlite", {}, { allProviders: true });
    gw.mock.setDefault({ ollamaModels: ["llama3.2:latest"] });
    await gw.server.gateway.providers.refreshOllama();
  });
  afterAll(() => gw.close());

  const send = (path: string, body: unknown, mock: Record<string, unknown>, signal?: AbortSignal) =>
    fetch(`${gw.url}${path}`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${gw.secret}`,
        "content-type": "application/json",
        "x-mock": mockHeader(mock),
      },
      body: JSON.stringify(body),
      signal,
    });
  const rowsOf = async (id: string | null) => (await gw.spendRows()).filter((r) => r.requestId === id);
  const idle = () => eventually(() => gw.server.gateway.inflight.count === 0);

  for (const [path, model, rest] of CASES) {
    test(`${path} on ${model}: client gone mid-stream → one 499 row; upstream reset → one 502 row`, async () => {
      const controller = new AbortController();
      const res = await send(
        path,
        { model, stream: true, ...rest },
        { text: "one two three four five six", chunkDelayMs: 150 },
        controller.signal,
      );
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      await reader.read();
      controller.abort();
      await idle();
      expect((await rowsOf(res.headers.get("x-snodus-request-id"))).map((r) => r.status)).toEqual([499]);

      const broken = await send(path, { model, stream: true, ...rest }, { abortMidStream: true });
      await broken.text().catch(() => "");
      await idle();
      expect((await rowsOf(broken.headers.get("x-snodus-request-id"))).map((r) => r.status)).toEqual([502]);
    });
  }
});
