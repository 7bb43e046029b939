import { PgliteDatabase, runMigrations, SqlEventStore } from '@tessera/event-store';
import { AccountEvents, accountsProjection, accountStream } from '../test/accounts.projection';
import { AccountWorkload, expectedAccounts, sorted, tableRows } from '../test/projection-int-support';
import { ProjectionRunner } from './projection-runner';
import { ReadThrough } from './read-through';
import { rebuildProjection } from './rebuild-projection';

jest.setTimeout(120_000);
const LIVE = '"demo"."accounts"';

// Standalone mode (DESIGN §6): the same runner on PGlite, one shared connection.
describe('projections on PGlite', () => {
  let db: PgliteDatabase;
  let store: SqlEventStore;
  beforeAll(async () => {
    db = await PgliteDatabase.open('memory');
    await runMigrations(db);
    store = new SqlEventStore(db);
  });
  afterAll(async () => {
    await db.close();
  });

  it('catches up, reads through on a miss, and rebuilds while the live runner runs', async () => {
    const work = new AccountWorkload(store, 50);
    await work.open();
    await work.deposit(3000, 200);
    const projection = accountsProjection({ schema: 'demo' });
    const runner = new ProjectionRunner({ db, store, projections: [projection], batchSize: 250, pollIntervalMs: 20 });
    await runner.catchUp();
    expect(sorted(await tableRows(db, LIVE))).toEqual(sorted(await expectedAccounts(db)));
    const [status] = await runner.status();
    expect(status).toMatchObject({ healthy: true, lag: 0, version: 1 });
    expect(status.cursor.position).toBe((await store.head()).position);

    await store.append(accountStream('fresh'), 0, [
      { type: AccountEvents.opened, data: { owner: 'f' } },
      { type: AccountEvents.deposited, data: { amount: 9 } },
    ]);
    expect(await new ReadThrough(db, store, projection).get('fresh')).toEqual({
      owner: 'f',
      balance: 9,
      count: 2,
      builtBy: 1,
    });
    expect((await tableRows(db, LIVE)).has('fresh')).toBe(false);

    await runner.start();
    const progress: number[] = [];
    const appending = work.deposit(400, 20);
    await rebuildProjection({ db, store, projection, batchSize: 500, onProgress: (done) => progress.push(done) });
    await appending;
    await runner.catchUp();
    await runner.stop();
    expect(progress.length).toBeGreaterThan(3);
    const rows = await tableRows(db, LIVE);
    expect(rows.get('fresh')).toEqual({ owner: 'f', balance: 9, count: 2, builtBy: 1 });
    expect(sorted(rows)).toEqual(sorted(await expectedAccounts(db)));
    expect(await db.query(`SELECT to_regclass('demo.accounts__shadow') AS t`)).toEqual([{ t: null }]);
  });
});
