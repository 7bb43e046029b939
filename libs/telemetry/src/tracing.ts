import { context, propagation, trace, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider, type SpanProcessor } from '@opentelemetry/sdk-trace-node';
import { TRACER_NAME } from './trace-context';

/** Options of `startTracing`. */
export interface TracingOptions {
  /** `service.name` of every span: the process kind (`token`, `introspection`, …, `standalone`). */
  service: string;
  /** `OTEL_EXPORTER_OTLP_ENDPOINT` (base URL): spans go to `<endpoint>/v1/traces` over OTLP/HTTP; unset: no export. */
  otlpEndpoint?: string;
  /** Extra processors (tests: a SimpleSpanProcessor over an InMemorySpanExporter). */
  spanProcessors?: SpanProcessor[];
  /** Install as the process's global provider (default true; tests running several services in one process pass false). */
  global?: boolean;
}

/** A started tracer provider. */
export interface Tracing {
  tracer: Tracer;
  /** Flushes pending spans and stops exporting. */
  shutdown(): Promise<void>;
}

let contextInstalled = false;

/**
 * Installs the process-wide W3C trace-context propagator and the
 * AsyncLocalStorage context manager (the active span follows async calls).
 * No instrumentation is patched in: Tessera makes its spans itself (HTTP
 * hook, relay, consumers), which also works under jest (STACK.md).
 */
export function installTraceContext(): void {
  if (contextInstalled) return;
  contextInstalled = true;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
}

/**
 * Starts the OpenTelemetry trace SDK for one process (DESIGN §1): spans are
 * always made (trace ids reach events, logs and audit records), and exported
 * over OTLP/HTTP only when an endpoint is configured.
 */
export function startTracing(opts: TracingOptions): Tracing {
  installTraceContext();
  const processors = [...(opts.spanProcessors ?? [])];
  if (opts.otlpEndpoint) {
    const url = `${opts.otlpEndpoint.replace(/\/+$/, '')}/v1/traces`;
    processors.push(new BatchSpanProcessor(new OTLPTraceExporter({ url })));
  }
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': opts.service }),
    spanProcessors: processors,
  });
  if (opts.global !== false) trace.setGlobalTracerProvider(provider);
  return {
    tracer: provider.getTracer(TRACER_NAME),
    shutdown: () => provider.shutdown(),
  };
}
