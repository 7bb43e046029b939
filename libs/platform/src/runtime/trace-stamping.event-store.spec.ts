import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import type { AppendRequest, EventStore, NewEvent } from '@tessera/event-store';
import { formatTraceparent, installTraceContext, startTracing } from '@tessera/telemetry';
import { TraceStampingEventStore } from './trace-stamping.event-store';

describe('TraceStampingEventStore', () => {
  const seen: AppendRequest[] = [];
  const inner = {
    appendMany: async (requests: readonly AppendRequest[]) => {
      seen.push(...requests);
      return [];
    },
    append: async (streamId: string, expectedVersion: number, events: readonly NewEvent[]) => {
      seen.push({ streamId, expectedVersion, events });
      return { streamId, fromVersion: 1, toVersion: 1, positions: [] };
    },
  } as unknown as EventStore;
  const store = new TraceStampingEventStore(inner);
  installTraceContext();
  const { tracer } = startTracing({
    service: 'token',
    global: false,
    spanProcessors: [new SimpleSpanProcessor(new InMemorySpanExporter())],
  });
  beforeEach(() => (seen.length = 0));

  it('stamps the active span traceparent on every event, keeping an explicit one', async () => {
    const explicit = `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`;
    await tracer.startActiveSpan('request', async (span) => {
      await store.append('s-1', 0, [{ type: 'x.happened', data: {}, metadata: { actor: 'system' } }]);
      await store.appendMany([
        { streamId: 's-2', expectedVersion: 0, events: [{ type: 'y.happened', data: {} }] },
        {
          streamId: 's-3',
          expectedVersion: 0,
          events: [{ type: 'z.happened', data: {}, metadata: { traceparent: explicit } }],
        },
      ]);
      span.end();
      const tp = formatTraceparent(span.spanContext());
      expect(seen.map((r) => r.events[0].metadata)).toEqual([
        { actor: 'system', traceparent: tp },
        { traceparent: tp },
        { traceparent: explicit },
      ]);
    });
  });

  it('leaves events untouched outside any span', async () => {
    const events = [{ type: 'x.happened', data: {} }];
    await store.append('s-1', 0, events);
    expect(seen[0].events).toBe(events);
  });
});
