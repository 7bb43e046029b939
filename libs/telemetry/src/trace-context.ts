import {
  type Context,
  context,
  ROOT_CONTEXT,
  type Span,
  type SpanContext,
  SpanKind,
  SpanStatusCode,
  type TimeInput,
  trace,
  type Tracer,
  TraceFlags,
} from '@opentelemetry/api';

/** The name of Tessera's tracers (the instrumentation scope of every span it makes). */
export const TRACER_NAME = '@tessera/platform';

// W3C Trace Context §3.2: version-traceid-parentid-traceflags, lower-case hex; version ff is invalid.
const TRACEPARENT = /^(?!ff)([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/** The span context a `traceparent` names (W3C Trace Context §3.2), or undefined when malformed or all-zero. */
export function parseTraceparent(traceparent: unknown): SpanContext | undefined {
  if (typeof traceparent !== 'string') return undefined;
  const m = TRACEPARENT.exec(traceparent.trim());
  if (!m || (m[1] === '00' && m[5] !== undefined)) return undefined;
  const sc: SpanContext = { traceId: m[2], spanId: m[3], traceFlags: parseInt(m[4], 16), isRemote: true };
  return trace.isSpanContextValid(sc) ? sc : undefined;
}

/** The `traceparent` of a span context (version 00). */
export function formatTraceparent(sc: SpanContext): string {
  const flags = (sc.traceFlags & TraceFlags.SAMPLED).toString(16).padStart(2, '0');
  return `00-${sc.traceId}-${sc.spanId}-${flags}`;
}

/** The `traceparent` of the span active now (e.g. the HTTP request's), or undefined outside any span. */
export function currentTraceparent(): string | undefined {
  const sc = trace.getActiveSpan()?.spanContext();
  return sc && trace.isSpanContextValid(sc) ? formatTraceparent(sc) : undefined;
}

/** A context whose parent is the span a `traceparent` names (the root context when it names none). */
export function contextFromTraceparent(traceparent: unknown): Context {
  const sc = parseTraceparent(traceparent);
  return sc ? trace.setSpanContext(ROOT_CONTEXT, sc) : ROOT_CONTEXT;
}

/** What a consumer span records about the message or event it handled. */
export interface ConsumedItem {
  /** The producer's `traceparent` (event metadata or CloudEvents extension): the span's parent. */
  traceparent?: unknown;
  attributes?: Record<string, string | number | boolean>;
}

/**
 * Runs `fn` inside a CONSUMER span that is a CHILD of the message's trace
 * (W3C Trace Context carried in the CloudEvents `traceparent` extension,
 * DESIGN §3), so the request that caused the message and its handling are
 * one trace. A message without a valid traceparent starts a new trace.
 */
export async function inConsumerSpan<T>(
  tracer: Tracer,
  name: string,
  item: ConsumedItem,
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = contextFromTraceparent(item.traceparent);
  return tracer.startActiveSpan(
    name,
    { kind: SpanKind.CONSUMER, attributes: item.attributes },
    parent,
    async (span) => {
      try {
        return await fn(span);
      } catch (err) {
        span.recordException(err as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error)?.message });
        throw err;
      } finally {
        span.end();
      }
    },
  );
}

/**
 * Records, after the fact, one span per item handled together in a batch
 * (a projection or the audit trail folds many events in one transaction):
 * (CONSUMER by default) is a child of its item's trace and spans the batch's time. Items
 * without a traceparent get no span (no trace to continue). Cheap when no
 * SDK is installed (non-recording spans).
 */
export function recordBatchSpans(
  tracer: Tracer,
  name: string,
  items: readonly ConsumedItem[],
  startTime: TimeInput,
  options: { kind?: SpanKind; error?: string } = {},
): void {
  const endTime = Date.now();
  for (const item of items) {
    const parent = contextFromTraceparent(item.traceparent);
    if (parent === ROOT_CONTEXT) continue;
    const span = tracer.startSpan(
      name,
      { kind: options.kind ?? SpanKind.CONSUMER, attributes: item.attributes, startTime },
      parent,
    );
    if (options.error) span.setStatus({ code: SpanStatusCode.ERROR, message: options.error });
    span.end(endTime);
  }
}

/** Runs `fn` with `span` active (its appends and logs carry its trace). */
export function withActiveSpan<T>(span: Span, fn: () => T): T {
  return context.with(trace.setSpan(context.active(), span), fn);
}
