import type {
  AppendRequest,
  AppendResult,
  EventStore,
  ExpectedVersion,
  LogCursor,
  NewEvent,
  RecordedEvent,
} from '@tessera/event-store';

/**
 * A fake log for unit tests: one transaction per append, positions in order,
 * every append visible at once. No concurrency semantics beyond that.
 */
export class InMemoryEventStore implements EventStore {
  readonly events: RecordedEvent[] = [];
  private tx = 100;

  async append(streamId: string, expected: ExpectedVersion, events: readonly NewEvent[]): Promise<AppendResult> {
    return (await this.appendMany([{ streamId, expectedVersion: expected, events }]))[0];
  }

  async appendMany(requests: readonly AppendRequest[]): Promise<AppendResult[]> {
    const transactionId = String(++this.tx);
    return requests.map((r) => {
      let version = this.events.filter((e) => e.streamId === r.streamId).length;
      if (r.expectedVersion !== 'any' && r.expectedVersion !== version) throw new Error('concurrency');
      const positions = r.events.map((e) => {
        const recorded: RecordedEvent = {
          position: this.events.length + 1,
          transactionId,
          streamId: r.streamId,
          streamVersion: ++version,
          id: e.id ?? `00000000-0000-4000-8000-${String(this.events.length + 1).padStart(12, '0')}`,
          type: e.type,
          schemaVersion: e.schemaVersion ?? 1,
          data: e.data,
          metadata: e.metadata ?? {},
          recordedAt: new Date(0),
        };
        this.events.push(recorded);
        return recorded.position;
      });
      return { streamId: r.streamId, nextExpectedVersion: version, positions };
    });
  }

  async readStream(streamId: string, fromVersion = 1): Promise<RecordedEvent[]> {
    return this.events.filter((e) => e.streamId === streamId && e.streamVersion >= fromVersion);
  }

  async readAll(cursor: LogCursor, limit: number): Promise<RecordedEvent[]> {
    return this.events.filter((e) => e.position > cursor.position).slice(0, limit);
  }

  async head(): Promise<LogCursor> {
    const last = this.events[this.events.length - 1];
    return last ? { transactionId: last.transactionId, position: last.position } : { transactionId: '0', position: 0 };
  }

  async countAfter(cursor: LogCursor): Promise<number> {
    return this.events.filter((e) => e.position > cursor.position).length;
  }
}
