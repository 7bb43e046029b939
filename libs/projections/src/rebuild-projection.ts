import { LOG_START, type Database, type EventStore, type LogCursor, type RecordedEvent } from '@tessera/event-store';
import { ensureCheckpoint, readCheckpoint, resetCheckpoint } from './checkpoint';
import { recordDeadLetters } from './dead-letters';
import { noopLogger, type Logger } from '@tessera/telemetry';
import type { Projection } from './projection';
import { cursorAfter, describePoison } from './projection-batch';
import { createShadowTable, ensureProjectionTables, swapShadowIntoLive, tablesOf } from './projection-sql';
import { ShadowReplay } from './shadow-replay';

/** Options of `rebuildProjection`. */
export interface RebuildOptions<S = unknown> {
  db: Database;
  store: EventStore;
  projection: Projection<S>;
  /** Events per page read from the log (default 5000). */
  batchSize?: number;
  /** Called after every page: events replayed so far and the current estimate of the total. */
  onProgress?: (done: number, total: number) => void;
  /** Rebuild only when the stored version differs from the code's (checked under the rebuild lock). */
  onlyIfVersionDiffers?: boolean;
  logger?: Logger;
}

const TOTAL_REFRESH_MS = 2000;
const inProcessRebuilds = new Map<string, Promise<void>>();

/**
 * Rebuilds a read model from the start of the log (DESIGN §4): replays into
 * `<name>__shadow` while the live table keeps answering and its runner keeps
 * updating it, then, in one transaction that holds the live checkpoint row,
 * applies what the live runner saw meanwhile, swaps the tables and moves the
 * checkpoint. Readers see either the old or the new table, never neither.
 */
export async function rebuildProjection<S>(opts: RebuildOptions<S>): Promise<void> {
  const id = `${opts.projection.schema}.${opts.projection.name}`;
  // One rebuild per projection: in-process first (PGlite has one shared connection), then cluster-wide.
  while (inProcessRebuilds.has(id)) await inProcessRebuilds.get(id)!.catch(() => undefined);
  const run = withRebuildLock(opts, () => rebuild(opts));
  inProcessRebuilds.set(id, run);
  try {
    await run;
  } finally {
    inProcessRebuilds.delete(id);
  }
}

async function withRebuildLock<S>(opts: RebuildOptions<S>, fn: () => Promise<void>): Promise<void> {
  if (opts.db.dialect === 'pglite') return fn();
  const key = `tessera.projections.rebuild:${opts.projection.schema}.${opts.projection.name}`;
  const session = await opts.db.session();
  try {
    await session.query('SELECT pg_advisory_lock(hashtext($1))', [key]);
    try {
      await fn();
    } finally {
      await session.query('SELECT pg_advisory_unlock(hashtext($1))', [key]);
    }
  } finally {
    await session.release();
  }
}

async function rebuild<S>(opts: RebuildOptions<S>): Promise<void> {
  const { db, store, projection: p } = opts;
  const batchSize = opts.batchSize ?? 5000;
  const log = opts.logger ?? noopLogger;
  await db.transaction(async (tx) => {
    await ensureProjectionTables(tx, p);
    await ensureCheckpoint(tx, p);
  });
  if (opts.onlyIfVersionDiffers) {
    const stored = await readCheckpoint(db, p);
    if (stored && stored.version === p.version) return;
  }
  const t = tablesOf(p);
  await db.transaction((tx) => createShadowTable(tx, p));
  const replay = new ShadowReplay<S>(p, t.shadow);
  log.info({ projection: `${p.schema}.${p.name}`, version: p.version }, 'projection rebuild started');

  let cursor: LogCursor = LOG_START;
  let done = 0;
  let total = await store.countAfter(LOG_START);
  let totalAt = Date.now();
  opts.onProgress?.(0, total);

  // Read the next page while folding this one: the database works while we fold.
  let next: Promise<RecordedEvent[]> = store.readAll(cursor, batchSize);
  for (;;) {
    const events = await next;
    if (events.length === 0) break;
    cursor = cursorAfter(events[events.length - 1]);
    next = store.readAll(cursor, batchSize);
    next.catch(() => undefined); // awaited on the next turn; avoid an unhandled rejection if apply throws first
    await replay.apply(db, events);
    done += events.length;
    if (done > total || Date.now() - totalAt > TOTAL_REFRESH_MS) {
      total = done + (await store.countAfter(cursor));
      totalAt = Date.now();
    }
    opts.onProgress?.(done, total);
  }

  await db.transaction(async (tx) => {
    // The live runner's batches wait on this row lock until the swap commits (DESIGN §4).
    await readCheckpoint(tx, p, true);
    for (;;) {
      const events = await store.readAll(cursor, batchSize, tx);
      if (events.length === 0) break;
      await replay.apply(tx, events);
      cursor = cursorAfter(events[events.length - 1]);
      done += events.length;
    }
    await replay.flush(tx);
    await recordDeadLetters(tx, p, replay.poisons);
    await swapShadowIntoLive(tx, p);
    await resetCheckpoint(tx, p, cursor, replay.poisons.length > 0 ? describePoison(replay.poisons[0]) : null);
  });
  opts.onProgress?.(done, done);
  log.info(
    { projection: `${p.schema}.${p.name}`, version: p.version, events: done, poisons: replay.poisons.length },
    'projection rebuilt and swapped',
  );
}
