import type { Sql } from './database';
import type { AppendRequest, AppendResult, ExpectedVersion, LogCursor, NewEvent, RecordedEvent } from './events';

/** The append-only identity event log (DESIGN §2). */
export interface EventStore {
  /**
   * Appends events to one stream if it is at `expectedVersion`; otherwise
   * throws ConcurrencyError and appends nothing. Re-appending events whose ids
   * are already stored in that stream is a no-op that returns the same result.
   * With `tx`, the append joins the caller's transaction.
   */
  append(
    streamId: string,
    expectedVersion: ExpectedVersion,
    events: readonly NewEvent[],
    tx?: Sql,
  ): Promise<AppendResult>;
  /** Appends to several streams in one transaction (all or nothing), in one round trip where possible. */
  appendMany(requests: readonly AppendRequest[], tx?: Sql): Promise<AppendResult[]>;
  /** The stream's events from `fromVersion` (inclusive, default 1), in version order. */
  readStream(streamId: string, fromVersion?: number, tx?: Sql): Promise<RecordedEvent[]>;
  /**
   * Up to `limit` events after `cursor` in (transaction id, position) order,
   * only from transactions older than every transaction still running, so
   * that a transaction committing late is never skipped.
   */
  readAll(cursor: LogCursor, limit: number, tx?: Sql): Promise<RecordedEvent[]>;
  /** The cursor of the newest event readAll can return now (LOG_START for an empty log). */
  head(tx?: Sql): Promise<LogCursor>;
  /** How many events readAll would still return after `cursor`. */
  countAfter(cursor: LogCursor, tx?: Sql): Promise<number>;
}
