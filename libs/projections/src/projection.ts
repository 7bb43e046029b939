import type { RecordedEvent } from '@tessera/event-store';

/**
 * A read model (DESIGN §4, STYLE 6): a pure fold of events into one state per
 * key, stored by the runner as `(key text primary key, state jsonb)` rows in
 * table `<schema>.<name>` of the consuming service. Bumping `version` makes the
 * runner rebuild it from the log.
 */
export interface Projection<S = unknown> {
  /** Table name inside the schema, e.g. `clients`. */
  readonly name: string;
  /** The consuming service's schema, e.g. `token`. */
  readonly schema: string;
  readonly version: number;
  /** The event types it folds; others are skipped without being loaded. */
  readonly eventTypes: readonly string[];
  /** The row an event changes, or null when this event concerns no row. */
  keyOf(event: RecordedEvent): string | null;
  /** Pure: the row's next state; null deletes the row. */
  evolve(state: S | null, event: RecordedEvent): S | null;
  /** JSON fields to index for lookups: index name suffix → jsonb field name. */
  readonly indexes?: Readonly<Record<string, string>>;
  /**
   * For read-through on miss: the log streams whose events make up the row
   * of `key`. Without it, a miss is a miss.
   */
  streamsOf?(key: string): readonly string[];
}
