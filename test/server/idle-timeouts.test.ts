// The idle timeout (SNODUS_IDLE_TIMEOUT_S, 1 s here) closes idle keep-alive connections and stalled
// bodies, while /v1 requests that are rightly silent — a slow first byte, a pause between stream
// events — stay open, and their connections fall back under the timeout once answered.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { connect, type Socket } from "node:net";
import { BASIC } from "../admin/fixture.ts";
import { startTestGateway, type TestGateway } from "../helpers/gateway.ts";
import { mockHeader } from "../mock-upstream/index.ts";

/** Longer than the idle timeout plus Bun's timer granularity (about 4 s). */
const SILENCE_MS = 6_000;

/** An Anthropic-shaped upstream whose stream pauses SILENCE_MS between two events. */
function pausingUpstream() {
  const events = [
    [
      "message_start",
      {
        type: "message_start",
        message: {
          id: "msg_1",
          type: "message",
          role: "assistant",
          model: "claude-haiku-4-5",
          content: [],
          stop_reason: null,
          usage: { input_tokens: 5, output_tokens: 1 },
        },
      },
    ],
    [
      "content_block_start",
      { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
    ],
    [
      "content_block_delta",
      { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "late" } },
    ],
    ["content_block_stop", { type: "content_block_stop", index: 0 }],
    [
      "message_delta",
      { type: "message_delta", delta: { stop_reason: "end_turn" }, usage: { output_tokens: 3 } },
    ],
    ["message_stop", { type: "message_stop" }],
  ] as const;
  return Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    idleTimeout: 0,
    fetch() {
      let i = 0;
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (i === 2) await Bun.sleep(SILENCE_MS);
          const event = events[i++];
          if (!event) return controller.close();
          controller.enqueue(
            new TextEncoder().encode(`event: ${event[0]}\ndata: ${JSON.stringify(event[1])}\n\n`),
          );
        },
      });
      return new Response(body, { headers: { "content-type": "text/event-stream" } });
    },
  });
}

/** A raw connection; `closed` settles when the server closes it. */
function rawConnection(port: number, send: string) {
  let received = "";
  const socket: Socket = connect(port, "127.0.0.1", () => socket.write(send));
  socket.on("data", (d) => {
    received += d.toString();
  });
  const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
  return { socket, closed, received: () => received };
}

const MESSAGE = { model: "claude-haiku-4-5", max_tokens: 8, messages: [{ role: "user", content: "hi" }] };

describe("idle timeouts", () => {
  let gw: TestGateway;
  let port: number;
  const upstream = pausingUpstream();

  beforeAll(async () => {
    gw = await startTestGateway("sqlite", {
      SNODUS_IDLE_TIMEOUT_S: "1",
      ADMIN_PASSWORD: "correct horse battery staple",
    });
    port = gw.server.port;
  });
  afterAll(async () => {
    await gw.close();
    upstream.stop(true);
  });

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${gw.url}/v1/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${gw.secret}`, "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });

  test("an upstream that takes longer than the idle timeout to answer: streamed and not", async () => {
    const slow = { "x-mock": mockHeader({ latencyMs: SILENCE_MS, text: "slow" }) };
    const whole = await post(MESSAGE, slow);
    expect(whole.status).toBe(200);
    expect((await whole.json()).content[0].text).toBe("slow");
    const streamed = await post({ ...MESSAGE, stream: true }, slow);
    expect(streamed.status).toBe(200);
    expect(await streamed.text()).toContain("message_stop");
  });

  test("a stream silent for longer than the idle timeout between two events is delivered whole", async () => {
    const paused = await startTestGateway("sqlite", {
      SNODUS_IDLE_TIMEOUT_S: "1",
      ANTHROPIC_UPSTREAM_URL: `http://127.0.0.1:${upstream.port}`,
    });
    try {
      const res = await fetch(`${paused.url}/v1/messages`, {
        method: "POST",
        headers: { authorization: `Bearer ${paused.secret}`, "content-type": "application/json" },
        body: JSON.stringify({ ...MESSAGE, stream: true }),
      });
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).toContain("late");
      expect(text).toContain("message_stop");
      const [row] = await paused.spendRows();
      expect(row).toMatchObject({ status: 200, outputTokens: 3 });
    } finally {
      await paused.close();
    }
  });

  test("an idle keep-alive connection is closed, also after a /v1 request", async () => {
    const afterHealth = rawConnection(port, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
    const afterRefused = rawConnection(port, "GET /v1/models HTTP/1.1\r\nHost: x\r\n\r\n");
    const body = JSON.stringify(MESSAGE);
    const afterAnswer = rawConnection(
      port,
      `POST /v1/messages HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${gw.secret}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
    await Promise.all([afterHealth.closed, afterRefused.closed, afterAnswer.closed]);
    expect(afterHealth.received()).toStartWith("HTTP/1.1 200");
    expect(afterRefused.received()).toStartWith("HTTP/1.1 401");
    expect(afterAnswer.received()).toStartWith("HTTP/1.1 200");
  });

  test("a body that stops arriving is not waited for forever", async () => {
    const stalled = rawConnection(
      port,
      `POST /admin/teams HTTP/1.1\r\nHost: x\r\nAuthorization: ${BASIC}\r\n` +
        'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"name":',
    );
    await stalled.closed;
    expect(stalled.received()).not.toContain("201");
  });
});
