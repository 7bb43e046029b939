import type { EventStore, LogCursor, RecordedEvent, Sql } from '@tessera/event-store';

/**
 * The log reads of one runner round, shared by its projections: they usually
 * all stand at the same checkpoint, and each read from it returned the same
 * events (issue 6 benchmark: seven reads and row parses per round in the token
 * service). A read answered here may be shorter than the store would answer a
 * moment later, never different: below the read horizon the log after a
 * cursor is final (DESIGN §2), so an earlier read is a prefix of a later one,
 * and the rest comes in the next round. One instance per round, never longer.
 */
export class RoundReads implements Pick<EventStore, 'readAll'> {
  private readonly reads = new Map<string, Promise<RecordedEvent[]>>();

  constructor(private readonly store: Pick<EventStore, 'readAll'>) {}

  readAll(cursor: LogCursor, limit: number, tx?: Sql): Promise<RecordedEvent[]> {
    const key = `${cursor.transactionId}:${cursor.position}:${limit}`;
    let read = this.reads.get(key);
    if (!read) {
      read = this.store.readAll(cursor, limit, tx);
      // A failed read (its transaction rolled back) is not an answer: the next projection reads again.
      read.catch(() => this.reads.delete(key));
      this.reads.set(key, read);
    }
    return read;
  }
}
