import { ConcurrencyError, type EventStore, type NewEvent, type RecordedEvent } from '@tessera/event-store';

/** Attempts before a lost race is given up and the ConcurrencyError surfaces. */
const MAX_ATTEMPTS = 5;

/**
 * The command loop of STYLE 5 for commands that stay valid on a fresher
 * stream (revocations): load the stream, decide, append with the expected
 * version; when another writer got there first, decide again on what it
 * wrote, which is often "nothing left to do". Returns what was appended.
 */
export async function decideAndAppend(
  store: EventStore,
  streamId: string,
  decide: (history: readonly RecordedEvent[]) => NewEvent[],
): Promise<NewEvent[]> {
  for (let attempt = 1; ; attempt++) {
    const history = await store.readStream(streamId);
    const events = decide(history);
    if (events.length === 0) return events;
    try {
      await store.append(streamId, history.length, events);
      return events;
    } catch (err) {
      if (!(err instanceof ConcurrencyError) || attempt >= MAX_ATTEMPTS) throw err;
    }
  }
}
