import type { Database, EventStore, LogCursor, RecordedEvent } from '@tessera/event-store';
import { foldBatch, keyBatch, splitChanges, type PoisonEvent } from './batch-fold';
import { advanceCheckpoint, readCheckpoint } from './checkpoint';
import { recordDeadLetters } from './dead-letters';
import type { Projection } from './projection';
import { tablesOf } from './projection-sql';
import { StateTable } from './state-table';

/** What one batch did. */
export interface BatchResult {
  /** Events read from the log (matching or not). */
  read: number;
  /** Events folded into a row. */
  applied: number;
  poisons: PoisonEvent[];
  /** The checkpoint after the batch. */
  cursor: LogCursor;
  /** The events of the projection's types that the batch folded (consumer spans, issue 7 §2). */
  events?: readonly RecordedEvent[];
  /** Set when the stored version is not the code's: the batch did nothing (a rebuild is due). */
  versionMismatch?: number;
}

/** The cursor just after an event. */
export function cursorAfter(event: RecordedEvent): LogCursor {
  return { transactionId: event.transactionId, position: event.position };
}

/** How a poison event is described in the checkpoint's error column and `status()`. */
export function describePoison(poison: PoisonEvent): string {
  const e = poison.event;
  return `poison event ${e.id} (${e.type}, stream ${e.streamId}, position ${e.position}): ${poison.error}`;
}

/**
 * One batch of the live projection in ONE transaction (DESIGN §4): lock the
 * checkpoint row, read the events after it, load the touched rows with one
 * query, fold in memory, write back with one upsert and one delete, record
 * poison events, advance the checkpoint (even when nothing matched), commit.
 * A failure anywhere before commit leaves rows and checkpoint as they were.
 */
export async function runProjectionBatch<S>(
  db: Database,
  store: Pick<EventStore, 'readAll'>,
  projection: Projection<S>,
  batchSize: number,
): Promise<BatchResult> {
  const table = new StateTable<S>(tablesOf(projection).live);
  return db.transaction(async (tx) => {
    const checkpoint = await readCheckpoint(tx, projection, true);
    if (!checkpoint) throw new Error(`projection ${projection.schema}.${projection.name} has no checkpoint row`);
    if (checkpoint.version !== projection.version) {
      return { read: 0, applied: 0, poisons: [], cursor: checkpoint.cursor, versionMismatch: checkpoint.version };
    }
    const events = await store.readAll(checkpoint.cursor, batchSize, tx);
    if (events.length === 0) return { read: 0, applied: 0, poisons: [], cursor: checkpoint.cursor };

    const keyed = keyBatch(projection, events);
    const current = await table.load(tx, keyed.keys);
    const outcome = foldBatch(projection, keyed, current);
    const { upserts, deletes } = splitChanges(outcome.changed);
    await table.upsert(tx, upserts);
    await table.delete(tx, deletes);

    const poisons = [...keyed.poisons, ...outcome.poisons].sort((a, b) => a.event.position - b.event.position);
    await recordDeadLetters(tx, projection, poisons);
    const cursor = cursorAfter(events[events.length - 1]);
    await advanceCheckpoint(tx, projection, cursor, poisons.length > 0 ? describePoison(poisons[0]) : undefined);
    const handled = events.filter((e) => projection.eventTypes.includes(e.type));
    return { read: events.length, applied: outcome.applied, poisons, cursor, events: handled };
  });
}
