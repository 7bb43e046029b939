/** Metadata carried by every event: who, why, and the trace it belongs to. */
export interface EventMetadata {
  correlationId?: string;
  causationId?: string;
  /** `user:<id>`, `client:<id>`, `service:<name>` or `system`. */
  actor?: string;
  /** W3C Trace Context of the request that caused the event. */
  traceparent?: string;
  [key: string]: unknown;
}

/** An event to append. `id` defaults to a random UUID; supplying it makes the append idempotent. */
export interface NewEvent<D = Record<string, unknown>> {
  id?: string;
  /** `<aggregate>.<past-tense-verb>`, written once as a constant in libs/contracts. */
  type: string;
  /** Schema version of `data`; defaults to 1. */
  schemaVersion?: number;
  data: D;
  metadata?: EventMetadata;
}

/** An event as stored in the log. */
export interface RecordedEvent<D = Record<string, unknown>> {
  /** Global position (identity column). */
  position: number;
  /** The writing transaction's id (`xid8`), as a decimal string. */
  transactionId: string;
  streamId: string;
  /** 1 for the first event of a stream. */
  streamVersion: number;
  id: string;
  type: string;
  schemaVersion: number;
  data: D;
  metadata: EventMetadata;
  recordedAt: Date;
}

/**
 * Where a reader of the whole log stands: the last event it has seen, in
 * (transaction id, position) order. `LOG_START` is before everything.
 */
export interface LogCursor {
  transactionId: string;
  position: number;
}

/** The cursor before the first event. */
export const LOG_START: LogCursor = Object.freeze({ transactionId: '0', position: 0 });

/**
 * What the appender expects the stream's current version to be:
 * a number (0 = the stream must not exist yet), or `'any'`.
 */
export type ExpectedVersion = number | 'any';

/** One stream's part of an append. */
export interface AppendRequest {
  streamId: string;
  expectedVersion: ExpectedVersion;
  events: readonly NewEvent[];
}

/** The outcome of an append to one stream. */
export interface AppendResult {
  streamId: string;
  /** The stream's version after the append; pass it as the next expectedVersion. */
  nextExpectedVersion: number;
  /** Global positions of the appended events, in order. */
  positions: number[];
}
