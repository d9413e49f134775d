// OpenTelemetry traces, when OTEL_EXPORTER_OTLP_ENDPOINT is set: a span per request, a child per attempt.
// Loaded on demand (src/server.ts), so a gateway without tracing never holds the SDK.
import {
  type Context,
  context as contextApi,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapGetter,
  type TextMapSetter,
  trace,
} from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { VERSION } from "../../version.ts";

import type { Tracing } from "./tracing.ts";

const getter: TextMapGetter<Headers> = {
  keys: (h) => [...h.keys()],
  get: (h, key) => h.get(key) ?? undefined,
};
const setter: TextMapSetter<Headers> = { set: (h, key, value) => h.set(key, value) };

/**
 * GenAI semantic conventions on the attempt span (`gen_ai.operation.name`, `gen_ai.provider.name`,
 * `gen_ai.request.model`, `gen_ai.usage.input_tokens` / `output_tokens`), plus the gateway's cost in µ$.
 */
export function createTracing(opts: { endpoint: string; serviceName: string }): Tracing {
  const base = opts.endpoint.replace(/\/+$/, "");
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": opts.serviceName, "service.version": VERSION }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${base}/v1/traces` }))],
  });
  const tracer = provider.getTracer("snodus", VERSION);
  const propagator = new W3CTraceContextPropagator();

  return {
    request(headers, door, path) {
      const parent: Context = propagator.extract(ROOT_CONTEXT, headers, getter);
      const span = tracer.startSpan(
        `POST ${path}`,
        {
          kind: SpanKind.SERVER,
          attributes: { "http.request.method": "POST", "url.path": path, "snodus.door": door },
        },
        parent,
      );
      const ctx = trace.setSpan(parent, span);
      let ended = false;
      /** The status of the attempt that finished last: what the client got, unless an error says otherwise. */
      let lastStatus: number | null = null;
      return {
        attempt({ model, provider: providerName, operation }) {
          const child: Span = tracer.startSpan(
            `${operation} ${model}`,
            {
              kind: SpanKind.CLIENT,
              attributes: {
                "gen_ai.operation.name": operation,
                "gen_ai.provider.name": providerName,
                "gen_ai.system": providerName,
                "gen_ai.request.model": model,
              },
            },
            ctx,
          );
          const childCtx = trace.setSpan(ctx, child);
          let done = false;
          return {
            inject(out) {
              contextApi.with(childCtx, () => propagator.inject(childCtx, out, setter));
            },
            end({ status, usage, costMicros }) {
              if (done) return;
              done = true;
              lastStatus = status;
              child.setAttributes({
                "gen_ai.usage.input_tokens": usage.inputTokens,
                "gen_ai.usage.output_tokens": usage.outputTokens,
                "gen_ai.usage.cache_read.input_tokens": usage.cacheReadInputTokens,
                "gen_ai.usage.cache_creation.input_tokens": usage.cacheCreationInputTokens,
                "snodus.cost_micros": costMicros,
                "http.response.status_code": status,
              });
              if (status >= 400) child.setStatus({ code: SpanStatusCode.ERROR, message: `status ${status}` });
              child.end();
            },
          };
        },
        end(errorStatus) {
          if (ended) return;
          ended = true;
          const status = errorStatus ?? lastStatus;
          if (status !== null) {
            span.setAttribute("http.response.status_code", status);
            if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
          }
          span.end();
        },
      };
    },
    flush: () => provider.forceFlush(),
    close: () => provider.shutdown(),
  };
}
