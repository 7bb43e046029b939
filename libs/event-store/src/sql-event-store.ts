import type { Database, Sql } from './database';
import { planAppend, type AppendChunk } from './append-plan';
import { ConcurrencyError, DuplicateEventError } from './errors';
import { type EventRow, toRecordedEvent, toXid8Text } from './event-row.mapper';
import type { EventStore } from './event-store';
import {
  APPEND_SQL,
  COUNT_AFTER_SQL,
  EVENT_ID_CONSTRAINT,
  HEAD_SQL,
  READ_ALL_SQL,
  READ_STREAM_SQL,
  STREAM_VERSION_CONSTRAINT,
} from './event-store.sql';
import {
  LOG_START,
  type AppendRequest,
  type AppendResult,
  type ExpectedVersion,
  type LogCursor,
  type NewEvent,
  type RecordedEvent,
} from './events';
import { toSafeInteger } from './int8';

interface AppendRow {
  kind: 'q' | 'd' | 'i';
  r: number | null;
  k: number | null;
  position: unknown;
  stream_id: string;
  stream_version: unknown;
  flag: boolean | null;
}

/** Attempts of a self-run append when a unique violation needs a fresh look (never for a plain version conflict). */
const MAX_ATTEMPTS = 3;

/**
 * The event store on the `Database` port, SQL-first (DESIGN §2); the same
 * code runs on PostgreSQL and PGlite.
 */
export class SqlEventStore implements EventStore {
  constructor(private readonly db: Database) {}

  async append(
    streamId: string,
    expectedVersion: ExpectedVersion,
    events: readonly NewEvent[],
    tx?: Sql,
  ): Promise<AppendResult> {
    const [result] = await this.appendMany([{ streamId, expectedVersion, events }], tx);
    return result;
  }

  async appendMany(requests: readonly AppendRequest[], tx?: Sql): Promise<AppendResult[]> {
    if (requests.length === 0) return [];
    const chunks = planAppend(requests);
    if (tx) return this.appendChunks(tx, chunks, requests.length);
    for (let attempt = 1; ; attempt++) {
      try {
        // One chunk is one statement, atomic on its own: no BEGIN/COMMIT round trips.
        if (chunks.length === 1) {
          return await this.appendChunks(this.db, chunks, requests.length);
        }
        return await this.db.transaction((t) => this.appendChunks(t, chunks, requests.length));
      } catch (err) {
        if (attempt >= MAX_ATTEMPTS || !worthAnotherLook(err, chunks)) throw this.mapError(err, chunks);
      }
    }
  }

  async readStream(streamId: string, fromVersion = 1, tx?: Sql): Promise<RecordedEvent[]> {
    const rows = await (tx ?? this.db).query<EventRow>(READ_STREAM_SQL, [streamId, fromVersion]);
    return rows.map(toRecordedEvent);
  }

  async readAll(cursor: LogCursor, limit: number, tx?: Sql): Promise<RecordedEvent[]> {
    const rows = await (tx ?? this.db).query<EventRow>(READ_ALL_SQL, [
      toXid8Text(cursor.transactionId),
      cursor.position,
      limit,
    ]);
    return rows.map(toRecordedEvent);
  }

  async head(tx?: Sql): Promise<LogCursor> {
    const [row] = await (tx ?? this.db).query<{ transaction_id: unknown; position: unknown }>(HEAD_SQL);
    if (!row) return { ...LOG_START };
    return { transactionId: toXid8Text(row.transaction_id), position: toSafeInteger(row.position, 'position') };
  }

  async countAfter(cursor: LogCursor, tx?: Sql): Promise<number> {
    const [row] = await (tx ?? this.db).query<{ n: unknown }>(COUNT_AFTER_SQL, [
      toXid8Text(cursor.transactionId),
      cursor.position,
    ]);
    return toSafeInteger(row.n, 'count');
  }

  private async appendChunks(sql: Sql, chunks: AppendChunk[], total: number): Promise<AppendResult[]> {
    const results: AppendResult[] = new Array(total);
    for (const chunk of chunks) {
      const chunkResults = await this.appendChunk(sql, chunk);
      chunk.indexes.forEach((index, i) => (results[index] = chunkResults[i]));
    }
    return results;
  }

  /** Runs APPEND_SQL for one chunk; re-appended requests are answered from the log, the rest appended again. */
  private async appendChunk(sql: Sql, chunk: AppendChunk): Promise<AppendResult[]> {
    const rows = await sql.query<AppendRow>(APPEND_SQL, [chunk.requestsJson, chunk.eventsJson]);
    const heads = new Map<number, AppendRow>();
    const dups = new Map<number, AppendRow[]>();
    const inserted = new Map<string, AppendRow[]>();
    for (const row of rows) {
      if (row.kind === 'q') heads.set(row.r!, row);
      else if (row.kind === 'd') dups.set(row.r!, [...(dups.get(row.r!) ?? []), row]);
      else inserted.set(row.stream_id, [...(inserted.get(row.stream_id) ?? []), row]);
    }
    if (dups.size > 0) return this.answerReappends(sql, chunk, dups);
    const results = chunk.requests.map((request, i) => {
      const head = heads.get(i + 1)!;
      const current = toSafeInteger(head.stream_version, 'stream_version');
      if (head.flag || (request.expectedVersion !== 'any' && request.expectedVersion !== current)) {
        // A stale transaction (flag) is told the head it lost to as undefined: its expected version was right.
        throw new ConcurrencyError(request.streamId, request.expectedVersion, head.flag ? undefined : current);
      }
      const mine = (inserted.get(request.streamId) ?? []).map((row) => ({
        version: toSafeInteger(row.stream_version, 'stream_version'),
        position: toSafeInteger(row.position, 'position'),
      }));
      mine.sort((a, b) => a.version - b.version);
      return {
        streamId: request.streamId,
        nextExpectedVersion: current + request.events.length,
        positions: mine.map((m) => m.position),
      };
    });
    return results;
  }

  /**
   * Idempotence on event ids: a request whose events are all stored, in its
   * stream, with the same content, gets the stored result; a partial or
   * different match is a DuplicateEventError. The other requests are appended.
   */
  private async answerReappends(sql: Sql, chunk: AppendChunk, dups: Map<number, AppendRow[]>): Promise<AppendResult[]> {
    const answered = new Map<number, AppendResult>();
    chunk.requests.forEach((request, i) => {
      const found = dups.get(i + 1);
      if (!found) return;
      const ids = chunk.eventIds[i];
      const different = found.find((row) => !row.flag);
      if (different) throw new DuplicateEventError(ids[different.k! - 1]);
      if (found.length !== ids.length) {
        const missing = new Set(found.map((row) => row.k));
        const k = ids.findIndex((_, j) => missing.has(j + 1));
        throw new DuplicateEventError(ids[k]);
      }
      const stored = [...found].sort((a, b) => a.k! - b.k!);
      answered.set(i, {
        streamId: request.streamId,
        nextExpectedVersion: toSafeInteger(stored[stored.length - 1].stream_version, 'stream_version'),
        positions: stored.map((row) => toSafeInteger(row.position, 'position')),
      });
    });
    const rest = chunk.requests.map((_, i) => i).filter((i) => !answered.has(i));
    if (rest.length > 0) {
      // Same ids again, so a retry by the caller stays idempotent.
      const [restChunk] = planAppend(
        rest.map((i) => ({
          ...chunk.requests[i],
          events: chunk.requests[i].events.map((e, j) => ({ ...e, id: chunk.eventIds[i][j] })),
        })),
      );
      const restResults = await this.appendChunk(sql, restChunk);
      rest.forEach((i, j) => answered.set(i, restResults[j]));
    }
    return chunk.requests.map((_, i) => answered.get(i)!);
  }

  /** A unique violation on (stream, version) is a ConcurrencyError (DESIGN §2); everything else propagates unchanged. */
  private mapError(err: unknown, chunks: AppendChunk[]): unknown {
    if (constraintOf(err) !== STREAM_VERSION_CONSTRAINT) return err;
    const streamId = conflictingStream(err) ?? chunks[0].requests[0].streamId;
    const request = chunks.flatMap((c) => c.requests).find((r) => r.streamId === streamId) ?? chunks[0].requests[0];
    return new ConcurrencyError(request.streamId, request.expectedVersion);
  }
}

/**
 * A self-run append is run again after a unique violation only to look at the
 * log again: a racing writer of the same event id (answered as a re-append or
 * a DuplicateEventError) or an `'any'` append that lost a race to a numbered
 * one. A numbered append that lost is a ConcurrencyError at once: optimistic
 * concurrency, not a retry loop (DESIGN §2); a re-run would fail its check anyway.
 */
function worthAnotherLook(err: unknown, chunks: AppendChunk[]): boolean {
  const constraint = constraintOf(err);
  if (constraint === EVENT_ID_CONSTRAINT) return true;
  if (constraint === STREAM_VERSION_CONSTRAINT) return chunks.some((c) => c.anyStreams.length > 0);
  return false;
}

function constraintOf(err: unknown): string | undefined {
  const e = err as { code?: string; constraint?: string } | null;
  return e && e.code === '23505' ? e.constraint : undefined;
}

// `Key (stream_id, stream_version)=(user-1, 4) already exists.` (English server messages only; the fallback is fine).
function conflictingStream(err: unknown): string | undefined {
  const detail = (err as { detail?: string }).detail ?? '';
  return /^Key \(stream_id, stream_version\)=\((.*), \d+\) already exists/.exec(detail)?.[1];
}
