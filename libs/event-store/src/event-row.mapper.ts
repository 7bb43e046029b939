import { toSafeInteger } from './int8';
import type { EventMetadata, LogCursor, RecordedEvent } from './events';

/** A row of `eventlog.events` as either adapter returns it (`transaction_id` selected as text). */
export interface EventRow {
  position: unknown;
  transaction_id: unknown;
  stream_id: string;
  stream_version: unknown;
  event_id: string;
  type: string;
  schema_version: unknown;
  data: unknown;
  metadata: unknown;
  recorded_at: unknown;
}

/**
 * The column list every read selects from `eventlog.events e`, in the shape
 * `toRecordedEvent` expects. Order by `e.transaction_id`, never the bare name:
 * that is this list's text column.
 */
export const EVENT_COLUMNS =
  'e.position, e.transaction_id::text AS transaction_id, e.stream_id, e.stream_version, e.event_id, e.type, ' +
  'e.schema_version, e.data, e.metadata, e.recorded_at';

/** Maps a stored row to a RecordedEvent, normalising the adapters' differences (STACK: pg vs PGlite bigint). */
export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    position: toSafeInteger(row.position, 'position'),
    transactionId: toXid8Text(row.transaction_id),
    streamId: row.stream_id,
    streamVersion: toSafeInteger(row.stream_version, 'stream_version'),
    id: row.event_id,
    type: row.type,
    schemaVersion: toSafeInteger(row.schema_version, 'schema_version'),
    data: toJsonObject(row.data) as Record<string, unknown>,
    metadata: (toJsonObject(row.metadata) ?? {}) as EventMetadata,
    recordedAt: toDate(row.recorded_at),
  };
}

/** The cursor that points at `e` (readAll resumes after it). */
export function cursorOf(e: Pick<RecordedEvent, 'transactionId' | 'position'>): LogCursor {
  return { transactionId: e.transactionId, position: e.position };
}

/** Orders two log cursors as readAll does: by transaction id, then position. */
export function compareCursors(a: LogCursor, b: LogCursor): number {
  const ta = BigInt(a.transactionId);
  const tb = BigInt(b.transactionId);
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.position - b.position;
}

/** An xid8 as its decimal text; rejects anything else so a bad cursor fails loudly. */
export function toXid8Text(value: unknown): string {
  const text = typeof value === 'bigint' || typeof value === 'number' ? value.toString() : value;
  if (typeof text !== 'string' || !/^\d+$/.test(text)) {
    throw new TypeError(`transaction id: expected an unsigned integer, got ${String(value)}`);
  }
  return text;
}

function toDate(value: unknown): Date {
  const d = value instanceof Date ? value : new Date(value as string);
  if (Number.isNaN(d.getTime())) throw new TypeError(`recorded_at: not a timestamp: ${String(value)}`);
  return d;
}

// Both adapters parse jsonb already; a string only arrives through a custom type parser.
function toJsonObject(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}
