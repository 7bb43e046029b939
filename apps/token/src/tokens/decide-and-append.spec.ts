import { ConcurrencyError, type EventStore, type NewEvent, type RecordedEvent } from '@tessera/event-store';
import { decideAndAppend } from './decide-and-append';

const revoked: NewEvent = { type: 'thing.revoked', data: {} };

/** A stream another writer revokes first, `racesLost` times. */
function racedStore(racesLost: number) {
  const stream: RecordedEvent[] = [];
  const appended: NewEvent[][] = [];
  let races = racesLost;
  const store = {
    readStream: async () => [...stream],
    append: async (_s: string, expected: number, events: readonly NewEvent[]) => {
      if (races-- > 0) {
        stream.push({ type: 'thing.revoked' } as RecordedEvent);
        throw new ConcurrencyError('s', expected, expected + 1);
      }
      appended.push([...events]);
      return { streamId: 's', nextExpectedVersion: expected + events.length, positions: [] };
    },
  } as unknown as EventStore;
  return { store, appended };
}

const revokeUnlessRevoked = (history: readonly RecordedEvent[]) =>
  history.some((e) => e.type === 'thing.revoked') ? [] : [revoked];

describe('decideAndAppend', () => {
  it('appends what the decision says on an uncontended stream', async () => {
    const { store, appended } = racedStore(0);
    await expect(decideAndAppend(store, 's', revokeUnlessRevoked)).resolves.toEqual([revoked]);
    expect(appended).toEqual([[revoked]]);
  });

  it('after a lost race decides again on the fresh stream, here: nothing left to do', async () => {
    const { store, appended } = racedStore(1);
    await expect(decideAndAppend(store, 's', revokeUnlessRevoked)).resolves.toEqual([]);
    expect(appended).toEqual([]);
  });

  it('gives up with the ConcurrencyError when it keeps losing', async () => {
    const { store } = racedStore(100);
    await expect(decideAndAppend(store, 's', () => [revoked])).rejects.toThrow(ConcurrencyError);
  });
});
