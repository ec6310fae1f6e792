// OpenTelemetry traces, off unless `telemetry.otlpEndpoint` is set: a span per gateway request, with
// child spans for the upstream call, exported over OTLP/HTTP. A client's W3C `traceparent` (in the
// request's `_meta`) is continued. Spans carry names (method, server, tool, outcome), never arguments,
// results, headers or error text: nothing in them can hold a secret.
import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, type Attributes, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { VERSION } from '../../../src-shared/version.js';

const propagator = new W3CTraceContextPropagator();
const getter = { get: (carrier: Record<string, string>, key: string) => carrier[key], keys: (carrier: Record<string, string>) => Object.keys(carrier) };

/** The span around a piece of work: `kind` server for a client's request, client for an upstream call. */
export type InSpan = <T>(name: string, attributes: Attributes, work: () => Promise<T>, options?: { traceparent?: unknown; kind?: 'server' | 'client' }) => Promise<T>;

export class Tracing {
  private provider: BasicTracerProvider | undefined;
  private tracer: Tracer | undefined;
  private endpoint: string | undefined;

  /** Starts, stops or redirects the export to follow the config. */
  configure(endpoint: string | undefined): void {
    if (endpoint === this.endpoint) return;
    void this.shutdown();
    this.endpoint = endpoint;
    if (!endpoint) return;
    // Active spans follow async work through AsyncLocalStorage (set once per process).
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    this.provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'gatehouse', 'service.version': VERSION }),
      spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: endpoint }), { scheduledDelayMillis: 1000 })],
    });
    this.tracer = this.provider.getTracer('gatehouse', VERSION);
  }

  get enabled(): boolean {
    return this.tracer !== undefined;
  }

  inSpan: InSpan = (name, attributes, work, options = {}) => {
    const tracer = this.tracer;
    if (!tracer) return work();
    const traceparent = typeof options.traceparent === 'string' ? options.traceparent : undefined;
    const parent = traceparent ? propagator.extract(ROOT_CONTEXT, { traceparent }, getter) : context.active();
    const kind = options.kind === 'client' ? SpanKind.CLIENT : SpanKind.SERVER;
    return tracer.startActiveSpan(name, { kind, attributes }, parent, async (span) => {
      try {
        const result = await work();
        const isError = (result as { isError?: unknown } | undefined)?.isError === true;
        if (isError) span.setStatus({ code: SpanStatusCode.ERROR });
        return result;
      } catch (err) {
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw err;
      } finally {
        span.end();
      }
    });
  };

  /** Sends what is buffered and stops. */
  async shutdown(): Promise<void> {
    const provider = this.provider;
    this.provider = undefined;
    this.tracer = undefined;
    await provider?.shutdown().catch(() => undefined);
  }
}
