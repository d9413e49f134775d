// OpenTelemetry: spans reach a local OTLP/HTTP collector, the client's traceparent is honoured and passed upstream.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eventually, startTestGateway, type TestGateway } from "../helpers/gateway.ts";
import { mockHeader } from "../mock-upstream/index.ts";

interface OtlpValue {
  stringValue?: string;
  intValue?: number | string;
  doubleValue?: number;
  boolValue?: boolean;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: OtlpValue }[];
}

const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
const CLIENT_SPAN = "00f067aa0ba902b7";

function attr(span: OtlpSpan, key: string): string | number | boolean | undefined {
  const v = span.attributes.find((a) => a.key === key)?.value;
  if (!v) return undefined;
  if (v.intValue !== undefined) return Number(v.intValue);
  return v.stringValue ?? v.doubleValue ?? v.boolValue;
}

describe("traces to OTEL_EXPORTER_OTLP_ENDPOINT", () => {
  let gw: TestGateway;
  const spans: OtlpSpan[] = [];
  const collector = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(req) {
      if (new URL(req.url).pathname !== "/v1/traces") return new Response("no", { status: 404 });
      const body = (await req.json()) as {
        resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[];
      };
      for (const rs of body.resourceSpans) for (const ss of rs.scopeSpans) spans.push(...ss.spans);
      return Response.json({});
    },
  });

  beforeAll(async () => {
    gw = await startTestGateway("sqlite", {
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${collector.port}`,
      SNODUS_FALLBACKS: "claude-opus-4-5-mock-error-529=claude-haiku-4-5",
    });
  });
  afterAll(async () => {
    await gw.close();
    collector.stop(true);
  });

  test("one request span under the client's traceparent, one child per attempt with GenAI attributes", async () => {
    const before = gw.mock.calls.length;
    const res = await fetch(`${gw.url}/v1/messages`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${gw.secret}`,
        "content-type": "application/json",
        traceparent: `00-${TRACE_ID}-${CLIENT_SPAN}-01`,
        "x-mock": mockHeader({ usage: { input_tokens: 21, output_tokens: 7 } }),
      },
      body: JSON.stringify({
        model: "claude-opus-4-5-mock-error-529",
        max_tokens: 50,
        messages: [{ role: "user", content: "hi" }],
      }),
    });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    await gw.server.gateway.tracing.flush();
    await eventually(() => spans.filter((s) => s.traceId === TRACE_ID).length >= 3);

    const mine = spans.filter((s) => s.traceId === TRACE_ID);
    const request = mine.find((s) => s.parentSpanId === CLIENT_SPAN);
    expect(request?.name).toBe("POST /v1/messages");
    expect(attr(request as OtlpSpan, "http.response.status_code")).toBe(200);
    const attempts = mine.filter((s) => s.parentSpanId === request?.spanId);
    expect(attempts.map((s) => attr(s, "gen_ai.request.model"))).toEqual([
      "claude-opus-4-5-mock-error-529",
      "claude-haiku-4-5",
    ]);
    const served = attempts[1] as OtlpSpan;
    expect(served.name).toBe("chat claude-haiku-4-5");
    expect(attr(served, "gen_ai.operation.name")).toBe("chat");
    expect(attr(served, "gen_ai.provider.name")).toBe("anthropic");
    expect(attr(served, "gen_ai.usage.input_tokens")).toBe(21);
    expect(attr(served, "gen_ai.usage.output_tokens")).toBe(7);
    expect(Number(attr(served, "snodus.cost_micros"))).toBeGreaterThan(0);
    expect(attr(attempts[0] as OtlpSpan, "http.response.status_code")).toBe(529);

    // Each upstream call carried its own attempt's traceparent.
    const sent = gw.mock.calls.slice(before).map((c) => c.headers.traceparent);
    expect(sent).toEqual(attempts.map((s) => `00-${TRACE_ID}-${s.spanId}-01`));
  });

  test("a refused request still has its span, with the refusal's status", async () => {
    const res = await fetch(`${gw.url}/v1/messages`, {
      method: "POST",
      headers: { authorization: "Bearer sk-wrong", traceparent: `00-${"a".repeat(32)}-${CLIENT_SPAN}-01` },
      body: "{}",
    });
    expect(res.status).toBe(401);
    await gw.server.gateway.tracing.flush();
    await eventually(() => spans.some((s) => s.traceId === "a".repeat(32)));
    const span = spans.find((s) => s.traceId === "a".repeat(32)) as OtlpSpan;
    expect(attr(span, "http.response.status_code")).toBe(401);
  });
});
