import { ConcurrencyError, type Database } from '@tessera/event-store';
import type { Logger } from '@tessera/telemetry';
import { PollingReactor, type WorkList } from './polling-reactor';

interface Row {
  id: string;
}

class TestReactor extends PollingReactor<Row> {
  readonly handled: string[] = [];

  constructor(
    work: Omit<WorkList, 'name' | 'table'>,
    private readonly outcome: (row: Row) => Promise<boolean>,
  ) {
    super({ name: 'test cascade', table: 'token.work', ...work });
  }

  protected override describe(row: Row): Record<string, unknown> {
    return { rowId: row.id };
  }

  protected override handle(row: Row): Promise<boolean> {
    this.handled.push(row.id);
    return this.outcome(row);
  }
}

/** A work table: its rows in key order, after the `key > $1` cursor, up to the LIMIT (as PostgreSQL would). */
function fakeDb(rows: () => Promise<Row[]>): { db: Database; sql: string[] } {
  const sql: string[] = [];
  const db = {
    query: async (text: string, params: readonly unknown[] = []) => {
      sql.push(text);
      const limit = Number(/LIMIT (\d+)/.exec(text)?.[1] ?? Infinity);
      return (await rows())
        .filter((r) => r.id > String(params[0] ?? ''))
        .sort((a, b) => (a.id < b.id ? -1 : 1))
        .slice(0, limit)
        .map((state) => ({ key: state.id, state }));
    },
  } as unknown as Database;
  return { db, sql };
}

const logger = () => ({ warn: jest.fn() }) as unknown as Logger & { warn: jest.Mock };

describe('PollingReactor', () => {
  it('handles each pending row of its table, skips lost races, logs other failures and counts appends', async () => {
    const { db, sql } = fakeDb(async () => [{ id: 'a' }, { id: 'lost' }, { id: 'broken' }, { id: 'noop' }]);
    const log = logger();
    const reactor = new TestReactor({ db, logger: log, batch: 7 }, async (row) => {
      if (row.id === 'lost') throw new ConcurrencyError('s-1', 0, 1);
      if (row.id === 'broken') throw new Error('boom');
      return row.id === 'a';
    });
    expect(await reactor.runOnce()).toBe(1);
    expect(reactor.handled).toEqual(['a', 'broken', 'lost', 'noop']);
    expect(sql).toEqual([
      "SELECT key, state FROM token.work WHERE state->>'pending' = 'true' AND key > $1 ORDER BY key LIMIT 7",
    ]);
    expect(log.warn).toHaveBeenCalledTimes(1);
    expect(log.warn).toHaveBeenCalledWith({ err: expect.any(Error), rowId: 'broken' }, 'test cascade failed; retrying');
  });

  it('goes round the work list in key order: 60 rows that stay pending do not starve a later one', async () => {
    const stuck = Array.from({ length: 60 }, (_, i) => ({ id: `a${String(i).padStart(2, '0')}` }));
    const pending = [...stuck, { id: 'z-new' }];
    const { db } = fakeDb(async () => pending);
    const reactor = new TestReactor({ db, logger: logger() }, async (row) => row.id === 'z-new');
    expect(await reactor.runOnce()).toBe(0);
    expect(reactor.handled).toEqual(stuck.slice(0, 50).map((r) => r.id));
    expect(await reactor.runOnce()).toBe(1);
    expect(reactor.handled.slice(50)).toEqual([...stuck.slice(50).map((r) => r.id), 'z-new']);
    // Exhausted: the next round starts from the first key again.
    reactor.handled.length = 0;
    await reactor.runOnce();
    expect(reactor.handled[0]).toBe('a00');
  });

  it('treats a work list the runner has not created yet as empty', async () => {
    const { db } = fakeDb(() => Promise.reject(Object.assign(new Error('no table'), { code: '42P01' })));
    const reactor = new TestReactor({ db, logger: logger() }, () => Promise.resolve(true));
    expect(await reactor.runOnce()).toBe(0);
  });

  it('polls from bootstrap until destroyed, and waits for the running round', async () => {
    let rounds = 0;
    const { db } = fakeDb(async () => [{ id: `r${rounds++}` }]);
    const reactor = new TestReactor({ db, logger: logger(), pollMs: 5 }, () => Promise.resolve(true));
    reactor.onApplicationBootstrap();
    while (reactor.handled.length < 3) await new Promise((r) => setTimeout(r, 5));
    await reactor.onModuleDestroy();
    const after = reactor.handled.length;
    await new Promise((r) => setTimeout(r, 30));
    expect(reactor.handled.length).toBe(after);
  });
});
