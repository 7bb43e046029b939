import { randomUUID } from 'node:crypto';
import { DuplicateEventError } from './errors';
import type { AppendRequest, ExpectedVersion } from './events';

/** One statement's worth of requests, serialised as the two JSON parameters of APPEND_SQL. */
export interface AppendChunk {
  /** Indexes into the caller's request list, in order. */
  indexes: number[];
  requests: AppendRequest[];
  /** `[{ r, s, x }]`: request number (1-based), stream id, expected version (null = any). */
  requestsJson: string;
  /** `[{ r, k, id, t, v, d, m }]`: request number, 1-based index in the request, event fields. */
  eventsJson: string;
  /** The event ids of each request, lower-cased, in order. */
  eventIds: string[][];
  /** Streams whose requests expect `'any'` (the append locks them). */
  anyStreams: string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Validates a batch and splits it into chunks in which every stream is
 * written once: one statement reads each stream's head once, so a request
 * after a write to the same stream must see that write's rows (it runs in the
 * next chunk, inside the same transaction). Requests without events only
 * check a version (a guard: "this stream is still where my decision read
 * it"); guards of one stream share a chunk, so a group commit of many callers
 * guarding the same stream (e.g. a scope definition) stays one statement.
 */
export function planAppend(requests: readonly AppendRequest[], newId: () => string = randomUUID): AppendChunk[] {
  const groups: { indexes: number[]; requests: AppendRequest[]; streams: Set<string>; written: Set<string> }[] = [];
  requests.forEach((request, index) => {
    if (typeof request.streamId !== 'string' || request.streamId.length === 0) {
      throw new TypeError('append: streamId must be a non-empty string');
    }
    checkExpectedVersion(request.expectedVersion, request.streamId);
    const writes = request.events.length > 0;
    let group = groups[groups.length - 1];
    if (!group || group.written.has(request.streamId) || (writes && group.streams.has(request.streamId))) {
      group = { indexes: [], requests: [], streams: new Set(), written: new Set() };
      groups.push(group);
    }
    group.indexes.push(index);
    group.requests.push(request);
    group.streams.add(request.streamId);
    if (writes) group.written.add(request.streamId);
  });
  const seenIds = new Set<string>();
  return groups.map((g) => serialiseChunk(g.indexes, g.requests, seenIds, newId));
}

function serialiseChunk(
  indexes: number[],
  requests: AppendRequest[],
  seenIds: Set<string>,
  newId: () => string,
): AppendChunk {
  const reqRows: { r: number; s: string; x: number | null }[] = [];
  const eventRows: unknown[] = [];
  const eventIds: string[][] = [];
  const anyStreams: string[] = [];
  requests.forEach((request, i) => {
    const r = i + 1;
    const x = request.expectedVersion === 'any' ? null : request.expectedVersion;
    if (x === null) anyStreams.push(request.streamId);
    reqRows.push({ r, s: request.streamId, x });
    const ids: string[] = [];
    request.events.forEach((e, j) => {
      const id = (e.id ?? newId()).toLowerCase();
      if (!UUID.test(id)) throw new TypeError(`append: event id ${e.id} is not a UUID`);
      // Two events of one batch with one id can never both be stored (DESIGN §2: ids are unique).
      if (seenIds.has(id)) throw new DuplicateEventError(id);
      seenIds.add(id);
      ids.push(id);
      eventRows.push({ r, k: j + 1, id, t: e.type, v: e.schemaVersion ?? 1, d: e.data, m: e.metadata ?? {} });
    });
    eventIds.push(ids);
  });
  return {
    indexes,
    requests,
    requestsJson: JSON.stringify(reqRows),
    eventsJson: JSON.stringify(eventRows),
    eventIds,
    anyStreams: [...new Set(anyStreams)].sort(),
  };
}

function checkExpectedVersion(v: ExpectedVersion, streamId: string): void {
  if (v === 'any') return;
  if (!Number.isSafeInteger(v) || v < 0) {
    throw new TypeError(`append to ${streamId}: expectedVersion must be 'any' or an integer >= 0, got ${String(v)}`);
  }
}
