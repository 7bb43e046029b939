import { context, ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

type Done = (err?: Error) => void;
interface RequestLike {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  routeOptions?: { url?: string };
}

/** The slice of a Fastify instance the hooks need (keeps this lib free of a fastify import). */
export interface TracedFastifyLike {
  addHook(name: 'onRequest' | 'preHandler', hook: (req: RequestLike, reply: unknown, done: Done) => void): unknown;
  addHook(name: 'onResponse', hook: (req: RequestLike, reply: { statusCode: number }, done: Done) => void): unknown;
  addHook(name: 'onRequestAbort', hook: (req: RequestLike, done: Done) => void): unknown;
}

// Incoming `traceparent`/`tracestate` headers (W3C Trace Context), whatever the global propagator.
const w3c = new W3CTraceContextPropagator();
const headerGetter = {
  keys: (carrier: RequestLike['headers']) => Object.keys(carrier),
  get: (carrier: RequestLike['headers'], key: string) => carrier[key],
};

/**
 * One SERVER span per HTTP request (no auto-instrumentation: it does not see
 * Fastify under Nest reliably, nor anything under jest — STACK.md). The span
 * continues an incoming `traceparent` (W3C Trace Context §3.2), is active
 * from the preHandler stage (after body parsing) through the handler, so
 * every append made while handling the request carries its traceparent, and
 * is named by the route pattern, never the raw URL (tokens in paths or query).
 */
export function registerHttpTracing(fastify: TracedFastifyLike, tracer: Tracer): void {
  const spans = new WeakMap<RequestLike, Span>();
  fastify.addHook('onRequest', (req, _reply, done) => {
    // Most requests carry no trace context: skip the propagator then.
    const parent =
      req.headers.traceparent === undefined ? ROOT_CONTEXT : w3c.extract(ROOT_CONTEXT, req.headers, headerGetter);
    const span = tracer.startSpan(
      req.method,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method } },
      parent,
    );
    spans.set(req, span);
    done();
  });
  fastify.addHook('preHandler', (req, _reply, done) => {
    const span = spans.get(req);
    if (!span) return done();
    context.with(trace.setSpan(context.active(), span), done);
  });
  const end = (req: RequestLike, status?: number): void => {
    const span = spans.get(req);
    if (!span) return;
    spans.delete(req);
    const route = req.routeOptions?.url;
    if (route) {
      span.updateName(`${req.method} ${route}`);
      span.setAttribute('http.route', route);
    }
    if (status !== undefined) {
      span.setAttribute('http.response.status_code', status);
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    } else {
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'request aborted' });
    }
    span.end();
  };
  fastify.addHook('onResponse', (req, reply, done) => {
    end(req, reply.statusCode);
    done();
  });
  fastify.addHook('onRequestAbort', (req, done) => {
    end(req);
    done();
  });
}
