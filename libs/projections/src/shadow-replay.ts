import type { RecordedEvent, Sql } from '@tessera/event-store';
import { foldBatch, keyBatch, type PoisonEvent } from './batch-fold';
import type { Projection } from './projection';
import { StateTable } from './state-table';

const FLUSH_CHUNK = 5000;

/**
 * Folds the whole log into the shadow table during a rebuild. The shadow
 * table has no other writer, so states are kept in memory and written once
 * per key at flush time (write-behind): replay then costs little more than
 * reading the log. Past `maxCached` keys the cache is flushed and dropped, and
 * later misses are loaded from the shadow table.
 */
export class ShadowReplay<S> {
  private readonly table: StateTable<S>;
  private readonly cache = new Map<string, S | null>();
  private readonly dirty = new Set<string>();
  private evicted = false;
  /** Poison events met so far, in log order. */
  readonly poisons: PoisonEvent[] = [];

  constructor(
    private readonly projection: Projection<S>,
    shadowTable: string,
    private readonly maxCached = 200_000,
  ) {
    this.table = new StateTable<S>(shadowTable);
  }

  /** Folds a batch of log events (in log order) into the cached states. */
  async apply(sql: Sql, events: readonly RecordedEvent[]): Promise<void> {
    const keyed = keyBatch(this.projection, events);
    if (this.evicted) {
      const missing = keyed.keys.filter((k) => !this.cache.has(k));
      const loaded = await this.table.load(sql, missing);
      for (const key of missing) this.cache.set(key, loaded.get(key) ?? null);
    }
    const outcome = foldBatch(this.projection, keyed, this.cache);
    for (const [key, state] of outcome.changed) {
      this.cache.set(key, state);
      this.dirty.add(key);
    }
    this.poisons.push(...keyed.poisons, ...outcome.poisons);
    if (this.cache.size > this.maxCached) {
      await this.flush(sql);
      this.cache.clear();
      this.evicted = true;
    }
  }

  /** Writes every state changed since the last flush (chunked multi-row upserts, then deletes). */
  async flush(sql: Sql): Promise<void> {
    const upserts: { key: string; state: S }[] = [];
    const deletes: string[] = [];
    for (const key of this.dirty) {
      const state = this.cache.get(key);
      if (state === null || state === undefined) deletes.push(key);
      else upserts.push({ key, state });
    }
    for (let i = 0; i < upserts.length; i += FLUSH_CHUNK)
      await this.table.upsert(sql, upserts.slice(i, i + FLUSH_CHUNK));
    for (let i = 0; i < deletes.length; i += FLUSH_CHUNK)
      await this.table.delete(sql, deletes.slice(i, i + FLUSH_CHUNK));
    this.dirty.clear();
  }
}
