import type {
  AppendRequest,
  AppendResult,
  EventStore,
  ExpectedVersion,
  LogCursor,
  NewEvent,
  RecordedEvent,
  Sql,
} from '@tessera/event-store';
import { currentTraceparent } from '@tessera/telemetry';

function stamp(events: readonly NewEvent[], traceparent: string): NewEvent[] {
  // An explicit traceparent (a reactor continuing its cause's trace) wins over the active span.
  return events.map((e) =>
    typeof e.metadata?.traceparent === 'string' ? e : { ...e, metadata: { ...e.metadata, traceparent } },
  );
}

/**
 * Puts the active span's W3C `traceparent` into the metadata of every event
 * appended while it is active (DESIGN §2: metadata carries the traceparent),
 * so the relay's CloudEvents and every consumer continue the request's trace.
 * Read at the call, before group commit merges callers into one statement.
 */
export class TraceStampingEventStore implements EventStore {
  constructor(private readonly inner: EventStore) {}

  append(
    streamId: string,
    expectedVersion: ExpectedVersion,
    events: readonly NewEvent[],
    tx?: Sql,
  ): Promise<AppendResult> {
    const traceparent = currentTraceparent();
    return this.inner.append(streamId, expectedVersion, traceparent ? stamp(events, traceparent) : events, tx);
  }

  appendMany(requests: readonly AppendRequest[], tx?: Sql): Promise<AppendResult[]> {
    const traceparent = currentTraceparent();
    if (!traceparent) return this.inner.appendMany(requests, tx);
    return this.inner.appendMany(
      requests.map((r) => ({ ...r, events: stamp(r.events, traceparent) })),
      tx,
    );
  }

  readStream(streamId: string, fromVersion?: number, tx?: Sql): Promise<RecordedEvent[]> {
    return this.inner.readStream(streamId, fromVersion, tx);
  }

  readAll(cursor: LogCursor, limit: number, tx?: Sql): Promise<RecordedEvent[]> {
    return this.inner.readAll(cursor, limit, tx);
  }

  head(tx?: Sql): Promise<LogCursor> {
    return this.inner.head(tx);
  }

  countAfter(cursor: LogCursor, tx?: Sql): Promise<number> {
    return this.inner.countAfter(cursor, tx);
  }
}
