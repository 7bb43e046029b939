import { context, SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { registerHttpTracing, type TracedFastifyLike } from './http-tracing.hook';
import {
  currentTraceparent,
  formatTraceparent,
  inConsumerSpan,
  parseTraceparent,
  recordBatchSpans,
} from './trace-context';
import { installTraceContext, startTracing } from './tracing';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = `00-${TRACE}-00f067aa0ba902b7-01`;

describe('trace context', () => {
  const exporter = new InMemorySpanExporter();
  const { tracer, shutdown } = startTracing({
    service: 'token',
    global: false,
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  beforeAll(() => installTraceContext());
  afterEach(() => exporter.reset());
  afterAll(() => shutdown());

  it('parses and formats W3C traceparent (Trace Context §3.2), refusing malformed and all-zero ids', () => {
    expect(parseTraceparent(PARENT)).toMatchObject({ traceId: TRACE, spanId: '00f067aa0ba902b7', traceFlags: 1 });
    expect(formatTraceparent(parseTraceparent(PARENT)!)).toBe(PARENT);
    for (const bad of [
      undefined,
      42,
      '',
      `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`,
      `ff-${TRACE}-00f067aa0ba902b7-01`,
    ])
      expect(parseTraceparent(bad)).toBeUndefined();
    expect(parseTraceparent(`00-${TRACE.toUpperCase()}-00f067aa0ba902b7-01`)).toBeUndefined();
  });

  it('gives the active span as traceparent, and none outside a span', () => {
    expect(currentTraceparent()).toBeUndefined();
    tracer.startActiveSpan('x', (span) => {
      expect(currentTraceparent()).toBe(formatTraceparent(span.spanContext()));
      span.end();
    });
  });

  it('runs a consumer as a child of the message traceparent, active while it runs', async () => {
    const inside = await inConsumerSpan(tracer, 'topic process', { traceparent: PARENT }, async () =>
      currentTraceparent(),
    );
    const [span] = exporter.getFinishedSpans();
    expect(span).toMatchObject({ name: 'topic process', kind: SpanKind.CONSUMER });
    expect(span.spanContext().traceId).toBe(TRACE);
    expect(span.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(inside).toBe(formatTraceparent(span.spanContext()));
    await expect(
      inConsumerSpan(tracer, 'failing', {}, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(exporter.getFinishedSpans()[1].status.code).toBe(2); // ERROR
  });

  it('records batch spans only for items that carry a trace', () => {
    recordBatchSpans(tracer, 'apply', [{ traceparent: PARENT }, { traceparent: 'junk' }, {}], Date.now() - 5);
    const spans = exporter.getFinishedSpans();
    expect(spans).toHaveLength(1);
    expect(spans[0].spanContext().traceId).toBe(TRACE);
  });

  it('makes one SERVER span per HTTP request, continuing an incoming traceparent, active in the handler', () => {
    const hooks: Record<string, (...args: unknown[]) => void> = {};
    const fastify = { addHook: (name: string, hook: (...args: unknown[]) => void) => (hooks[name] = hook) };
    registerHttpTracing(fastify as unknown as TracedFastifyLike, tracer);
    const req = {
      method: 'POST',
      url: '/oauth/token?secret=x',
      headers: { traceparent: PARENT },
      routeOptions: { url: '/oauth/token' },
    };
    hooks.onRequest(req, {}, () => undefined);
    let active: string | undefined;
    hooks.preHandler(req, {}, () => (active = currentTraceparent()));
    hooks.onResponse(req, { statusCode: 200 }, () => undefined);
    const [span] = exporter.getFinishedSpans();
    expect(span).toMatchObject({ name: 'POST /oauth/token', kind: SpanKind.SERVER });
    expect(span.attributes).toMatchObject({ 'http.route': '/oauth/token', 'http.response.status_code': 200 });
    expect(JSON.stringify(span.attributes)).not.toContain('secret');
    expect(span.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(active).toBe(formatTraceparent(span.spanContext()));
    expect(trace.getSpan(context.active())).toBeUndefined();

    // Without a traceparent (the propagator is skipped then) the request starts a trace of its own.
    exporter.reset();
    const bare = { method: 'GET', url: '/jwks', headers: {}, routeOptions: { url: '/jwks' } };
    hooks.onRequest(bare, {}, () => undefined);
    hooks.onResponse(bare, { statusCode: 200 }, () => undefined);
    const [root] = exporter.getFinishedSpans();
    expect(root.parentSpanContext).toBeUndefined();
    expect(root.spanContext().traceId).not.toBe(TRACE);
  });
});
