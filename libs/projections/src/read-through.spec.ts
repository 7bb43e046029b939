import type { Sql } from '@tessera/event-store';
import { AccountEvents, accountsProjection, accountStream } from '../test/accounts.projection';
import { InMemoryEventStore } from '../test/in-memory-event-store';
import { deadLetterMessage } from './dead-letters';
import { ReadThrough } from './read-through';

/** A read model table held in a map, answering the one SELECT ReadThrough issues. */
function fakeTable(rows: Map<string, unknown>, missingTable = false): Sql {
  return {
    async query<R>(text: string, params?: readonly unknown[]): Promise<R[]> {
      if (missingTable) throw Object.assign(new Error('relation does not exist'), { code: '42P01' });
      expect(text).toMatch(/^SELECT state FROM "demo"."accounts" WHERE key = \$1$/);
      const state = rows.get(String(params?.[0]));
      return (state === undefined ? [] : [{ state }]) as R[];
    },
  };
}

describe('ReadThrough', () => {
  const projection = accountsProjection({ schema: 'demo' });

  async function storeWithAccount(): Promise<InMemoryEventStore> {
    const store = new InMemoryEventStore();
    await store.append(accountStream('a'), 0, [
      { type: AccountEvents.opened, data: { owner: 'ann' } },
      { type: AccountEvents.deposited, data: { amount: 30 } },
    ]);
    await store.append(accountStream('b'), 0, [{ type: AccountEvents.opened, data: { owner: 'bob' } }]);
    await store.append(accountStream('a'), 2, [{ type: AccountEvents.deposited, data: { amount: 12 } }]);
    return store;
  }

  it('returns the stored row when the read model has it (no log read)', async () => {
    const store = await storeWithAccount();
    const row = { owner: 'stored', balance: 1, count: 1, builtBy: 1 };
    const reader = new ReadThrough(fakeTable(new Map([['a', row]])), store, projection);
    expect(await reader.get('a')).toEqual(row);
  });

  it('folds the key’s streams from the log on a miss', async () => {
    const reader = new ReadThrough(fakeTable(new Map()), await storeWithAccount(), projection);
    expect(await reader.get('a')).toEqual({ owner: 'ann', balance: 42, count: 3, builtBy: 1 });
    expect(await reader.get('nobody')).toBeNull();
  });

  it('treats a table that does not exist yet as a miss', async () => {
    const reader = new ReadThrough(fakeTable(new Map(), true), await storeWithAccount(), projection);
    expect(await reader.get('b')).toEqual({ owner: 'bob', balance: 0, count: 1, builtBy: 1 });
  });

  it('returns null for a row whose events fold to a deletion', async () => {
    const store = await storeWithAccount();
    await store.append(accountStream('b'), 1, [{ type: AccountEvents.closed, data: {} }]);
    expect(await new ReadThrough(fakeTable(new Map()), store, projection).get('b')).toBeNull();
  });
});

describe('dead letter message', () => {
  it('is a CloudEvent of the log event with the error and the projection', async () => {
    const store = new InMemoryEventStore();
    await store.append(accountStream('z'), 0, [
      { type: AccountEvents.deposited, data: { amount: 5 }, metadata: { traceparent: '00-abc-def-01' } },
    ]);
    const e = store.events[0];
    const message = deadLetterMessage(accountsProjection({ schema: 'demo' }), { event: e, error: 'Error: boom' });
    expect(message).toEqual({
      specversion: '1.0',
      id: e.id,
      source: 'urn:tessera:projection:demo.accounts',
      type: AccountEvents.deposited,
      subject: 'account-z',
      time: new Date(0).toISOString(),
      datacontenttype: 'application/json',
      dataschema: 'urn:tessera:schema:account.deposited:1',
      data: { amount: 5 },
      traceparent: '00-abc-def-01',
      logposition: '1',
      logtxid: e.transactionId,
      projection: 'demo.accounts',
      deadlettererror: 'Error: boom',
    });
  });
});
