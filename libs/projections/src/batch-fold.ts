import type { RecordedEvent } from '@tessera/event-store';
import type { Projection } from './projection';

/** An event the projection's code threw on; it is skipped and dead-lettered (DESIGN §3). */
export interface PoisonEvent {
  event: RecordedEvent;
  error: string;
}

/** The events of a batch that concern a row, with their key, in log order. */
export interface KeyedBatch {
  keyed: { key: string; event: RecordedEvent }[];
  /** Distinct keys, in first-seen order: the rows to load before folding. */
  keys: string[];
  poisons: PoisonEvent[];
}

/** What folding a batch changed: the final state per touched key (null = delete the row). */
export interface FoldOutcome<S> {
  changed: Map<string, S | null>;
  poisons: PoisonEvent[];
  applied: number;
}

/**
 * Keeps the events of the projection's types and finds each one's row. A
 * `keyOf` that throws makes that event poison; the rest of the batch goes on.
 */
export function keyBatch(projection: Projection<unknown>, events: readonly RecordedEvent[]): KeyedBatch {
  const types = new Set(projection.eventTypes);
  const keyed: KeyedBatch['keyed'] = [];
  const keys = new Set<string>();
  const poisons: PoisonEvent[] = [];
  for (const event of events) {
    if (!types.has(event.type)) continue;
    let key: string | null;
    try {
      key = projection.keyOf(event);
    } catch (err) {
      poisons.push({ event, error: errorMessage(err) });
      continue;
    }
    if (key === null) continue;
    keyed.push({ key, event });
    keys.add(key);
  }
  return { keyed, keys: [...keys], poisons };
}

/**
 * Folds the keyed events over the loaded states, one event at a time so that
 * an `evolve` that throws pins the poison to one event: its row keeps the
 * state before it and the fold continues. `current` is not modified.
 */
export function foldBatch<S>(
  projection: Projection<S>,
  batch: Pick<KeyedBatch, 'keyed'>,
  current: ReadonlyMap<string, S | null>,
): FoldOutcome<S> {
  const changed = new Map<string, S | null>();
  const poisons: PoisonEvent[] = [];
  let applied = 0;
  for (const { key, event } of batch.keyed) {
    const state = changed.has(key) ? (changed.get(key) as S | null) : (current.get(key) ?? null);
    try {
      changed.set(key, projection.evolve(state, event));
      applied++;
    } catch (err) {
      poisons.push({ event, error: errorMessage(err) });
    }
  }
  return { changed, poisons, applied };
}

/** Splits a fold's outcome into rows to upsert and keys to delete. */
export function splitChanges<S>(changed: ReadonlyMap<string, S | null>): {
  upserts: { key: string; state: S }[];
  deletes: string[];
} {
  const upserts: { key: string; state: S }[] = [];
  const deletes: string[] = [];
  for (const [key, state] of changed) {
    if (state === null || state === undefined) deletes.push(key);
    else upserts.push({ key, state });
  }
  return { upserts, deletes };
}

/** A thrown value as a one-line message. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}
