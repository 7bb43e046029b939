import { accountsProjection } from '../test/accounts.projection';
import {
  AccountWorkload,
  expectedAccounts,
  pgEnv,
  settle,
  sorted,
  tableRows,
  type PgEnv,
} from '../test/projection-int-support';
import { ProjectionRunner } from './projection-runner';
import { rebuildProjection } from './rebuild-projection';

const LIVE = '"demo"."accounts"';
jest.setTimeout(180_000);

describe('rebuildProjection on PostgreSQL', () => {
  let env: PgEnv;
  beforeAll(async () => {
    env = await pgEnv();
  });
  afterAll(async () => {
    await env.close();
  });

  it('replays from 0 into a shadow table and swaps atomically while appends, the live runner and readers go on', async () => {
    const work = new AccountWorkload(env.store, 300);
    await work.open();
    await work.deposit(20_000, 500);
    const projection = accountsProjection({ schema: 'demo' });
    const live = new ProjectionRunner({
      db: env.newPool('live-runner'),
      store: env.store,
      projections: [projection],
      batchSize: 300,
      pollIntervalMs: 20,
    });
    await settle(env);
    await live.catchUp();
    await live.start();
    const oidBefore = await tableOid();

    // Writers and readers keep going during the whole rebuild.
    let stop = false;
    const appending = (async () => {
      let batches = 0;
      while (!stop) {
        await work.deposit(40, 40);
        batches++;
      }
      return batches;
    })();
    const readerPool = env.newPool('live-readers');
    const readerErrors: unknown[] = [];
    let reads = 0;
    let emptyReads = 0;
    const reading = Promise.all(
      [0, 1].map(async () => {
        while (!stop) {
          try {
            const [{ n }] = await readerPool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${LIVE}`);
            const one = await readerPool.query(`SELECT state FROM ${LIVE} WHERE key = 'acc7'`);
            if (n === 0 || one.length === 0) emptyReads++;
            reads++;
          } catch (err) {
            readerErrors.push(err);
          }
        }
      }),
    );

    const progress: [number, number][] = [];
    await rebuildProjection({
      db: env.newPool('rebuild'),
      store: env.store,
      projection,
      batchSize: 1000,
      onProgress: (done, total) => progress.push([done, total]),
    });
    // Let readers and the live runner run on the new table for a moment.
    await new Promise((r) => setTimeout(r, 300));
    stop = true;
    const appendBatches = await appending;
    await reading;
    await settle(env);
    await live.catchUp();
    await live.stop();

    expect(readerErrors).toEqual([]);
    expect(emptyReads).toBe(0);
    expect(reads).toBeGreaterThan(10);
    expect(appendBatches).toBeGreaterThan(0);
    expect(await tableOid()).not.toBe(oidBefore);
    // Progress: several reports, monotonic, ending complete.
    expect(progress.length).toBeGreaterThan(10);
    for (let i = 1; i < progress.length; i++) expect(progress[i][0]).toBeGreaterThanOrEqual(progress[i - 1][0]);
    const [done, total] = progress[progress.length - 1];
    expect(done).toBe(total);
    expect(done).toBeGreaterThanOrEqual(20_300);

    // Every row equals the fold of the whole log, computed independently.
    const rows = await tableRows(env.db, LIVE);
    expect(rows.size).toBe(300);
    expect(sorted(rows)).toEqual(sorted(await expectedAccounts(env.db)));
    // The swapped table kept its key and index names.
    const indexes = await env.db.query<{ indexname: string }>(
      `SELECT indexname FROM pg_indexes WHERE schemaname = 'demo' AND tablename = 'accounts' ORDER BY indexname`,
    );
    expect(indexes.map((i) => i.indexname)).toEqual(['accounts_owner', 'accounts_pkey']);
    const shadow = await env.db.query(`SELECT to_regclass('demo.accounts__shadow') AS t`);
    expect(shadow).toEqual([{ t: null }]);
  });

  async function tableOid(): Promise<string> {
    const [row] = await env.db.query<{ oid: string }>(`SELECT 'demo.accounts'::regclass::oid::text AS oid`);
    return row.oid;
  }
});
