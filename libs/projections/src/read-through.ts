import type { EventStore, Sql } from '@tessera/event-store';
import { foldBatch, keyBatch } from './batch-fold';
import type { Projection } from './projection';
import { isUndefinedTable, tablesOf } from './projection-sql';
import { StateTable } from './state-table';

/**
 * Read-through on miss (DESIGN §4): a projection is a cache of the log. A key
 * the read model does not have yet is folded from its streams in the log, so
 * what was just appended is visible at once. It never writes: the runner owns
 * the table.
 */
export class ReadThrough<S> {
  private readonly table: StateTable<S>;

  constructor(
    private readonly db: Sql,
    private readonly store: EventStore,
    private readonly projection: Projection<S>,
  ) {
    this.table = new StateTable<S>(tablesOf(projection).live);
  }

  /** The row's state, from the read model or, on a miss, from the log; null when neither has it. */
  async get(key: string): Promise<S | null> {
    try {
      const state = await this.table.get(this.db, key);
      if (state !== null) return state;
    } catch (err) {
      // Before the runner's first start the table does not exist: that is a miss too.
      if (!isUndefinedTable(err)) throw err;
    }
    return this.fromLog(key);
  }

  private async fromLog(key: string): Promise<S | null> {
    const streams = this.projection.streamsOf?.(key);
    if (!streams || streams.length === 0) return null;
    const perStream = await Promise.all(streams.map((s) => this.store.readStream(s)));
    const events = perStream.flat().sort((a, b) => a.position - b.position);
    const keyed = keyBatch(this.projection, events).keyed.filter((k) => k.key === key);
    // A poison event is skipped here as the runner skips it; the runner reports it.
    const { changed } = foldBatch(this.projection, { keyed }, new Map());
    return changed.get(key) ?? null;
  }
}
