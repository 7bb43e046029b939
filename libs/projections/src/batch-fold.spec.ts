import type { RecordedEvent } from '@tessera/event-store';
import { AccountEvents, accountsProjection, type AccountState } from '../test/accounts.projection';
import { foldBatch, keyBatch, splitChanges } from './batch-fold';

let position = 0;
function event(streamId: string, type: string, data: Record<string, unknown> = {}): RecordedEvent {
  position++;
  return {
    position,
    transactionId: String(1000 + position),
    streamId,
    streamVersion: position,
    id: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
    type,
    schemaVersion: 1,
    data,
    metadata: {},
    recordedAt: new Date(0),
  };
}

describe('batch fold', () => {
  const projection = accountsProjection({ schema: 'demo' });

  it('keeps only the projection’s event types and rows, grouping keys in first-seen order', () => {
    const events = [
      event('account-a', AccountEvents.opened, { owner: 'ann' }),
      event('client-x', AccountEvents.opened, { owner: 'nobody' }), // keyOf → null
      event('account-b', 'account.renamed'), // not a projection type
      event('account-b', AccountEvents.opened, { owner: 'bob' }),
      event('account-a', AccountEvents.deposited, { amount: 5 }),
    ];
    const batch = keyBatch(projection, events);
    expect(batch.keys).toEqual(['a', 'b']);
    expect(batch.keyed.map((k) => k.event.position)).toEqual([events[0], events[3], events[4]].map((e) => e.position));
    expect(batch.poisons).toEqual([]);
  });

  it('folds every event of a key in log order over the loaded state', () => {
    const events = [
      event('account-a', AccountEvents.deposited, { amount: 10 }),
      event('account-b', AccountEvents.opened, { owner: 'bob' }),
      event('account-a', AccountEvents.deposited, { amount: 7 }),
    ];
    const current = new Map<string, AccountState>([['a', { owner: 'ann', balance: 100, count: 1, builtBy: 1 }]]);
    const outcome = foldBatch(projection, keyBatch(projection, events), current);
    expect(outcome.applied).toBe(3);
    expect(outcome.changed.get('a')).toEqual({ owner: 'ann', balance: 117, count: 3, builtBy: 1 });
    expect(outcome.changed.get('b')).toEqual({ owner: 'bob', balance: 0, count: 1, builtBy: 1 });
    expect(current.get('a')?.balance).toBe(100); // the loaded states are not mutated
  });

  it('deletes a row whose state folds to null, and upserts one re-created after a delete', () => {
    const events = [
      event('account-a', AccountEvents.closed),
      event('account-c', AccountEvents.opened, { owner: 'cy' }),
      event('account-c', AccountEvents.closed),
      event('account-c', AccountEvents.opened, { owner: 'cy2' }),
    ];
    const current = new Map<string, AccountState>([['a', { owner: 'ann', balance: 1, count: 1, builtBy: 1 }]]);
    const { upserts, deletes } = splitChanges(foldBatch(projection, keyBatch(projection, events), current).changed);
    expect(deletes).toEqual(['a']);
    expect(upserts).toEqual([{ key: 'c', state: { owner: 'cy2', balance: 0, count: 1, builtBy: 1 } }]);
  });

  it('pins a throwing evolve to its event, keeps the row’s previous state and folds the rest', () => {
    const poisoned = accountsProjection({ schema: 'demo', poison: (e) => e.data.amount === 13 });
    const events = [
      event('account-a', AccountEvents.opened, { owner: 'ann' }),
      event('account-a', AccountEvents.deposited, { amount: 13 }),
      event('account-a', AccountEvents.deposited, { amount: 2 }),
      event('account-z', AccountEvents.deposited, { amount: 1 }), // deposit to an unknown account throws
    ];
    const outcome = foldBatch(poisoned, keyBatch(poisoned, events), new Map());
    expect(outcome.poisons.map((p) => p.event.position)).toEqual([events[1].position, events[3].position]);
    expect(outcome.poisons[0].error).toBe('Error: cannot fold account.deposited #' + events[1].streamVersion);
    expect(outcome.poisons[1].error).toContain('deposit to unknown account account-z');
    expect(outcome.changed.get('a')).toEqual({ owner: 'ann', balance: 2, count: 2, builtBy: 1 });
    expect(outcome.changed.has('z')).toBe(false);
    expect(outcome.applied).toBe(2);
  });

  it('makes an event poison when keyOf throws', () => {
    const projection2 = {
      ...accountsProjection({ schema: 'demo' }),
      keyOf: (e: RecordedEvent) => {
        if (e.data.bad) throw new TypeError('no key');
        return e.streamId;
      },
    };
    const events = [event('account-a', AccountEvents.opened, { owner: 'a', bad: true })];
    const batch = keyBatch(projection2, events);
    expect(batch.keyed).toEqual([]);
    expect(batch.poisons).toEqual([{ event: events[0], error: 'TypeError: no key' }]);
  });
});
