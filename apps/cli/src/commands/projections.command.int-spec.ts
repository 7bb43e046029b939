import { PgDatabase } from '@tessera/event-store';
import { accountsProjection } from '../../../../libs/projections/test/accounts.projection';
import {
  AccountWorkload,
  expectedAccounts,
  pgEnv,
  settle,
  sorted,
  tableRows,
  type PgEnv,
} from '../../../../libs/projections/test/projection-int-support';
import { createProjectionsCommand } from './projections.command';

jest.setTimeout(120_000);

describe('tessera projections', () => {
  let env: PgEnv;
  beforeAll(async () => {
    env = await pgEnv();
    const work = new AccountWorkload(env.store, 20);
    await work.open();
    await work.deposit(3000, 300);
    await settle(env);
  });
  afterAll(async () => {
    await env.close();
  });

  function run(args: string[], projections = [accountsProjection({ schema: 'demo' })]) {
    let out = '';
    let err = '';
    const command = createProjectionsCommand(projections, {
      out: (t) => (out += t),
      err: (t) => (err += t),
      open: async () => new PgDatabase({ connectionString: env.testDb.url, applicationName: 'cli-test', max: 2 }),
    });
    return command.run(args).then((code) => ({ code, out, err }));
  }

  it('rebuilds with a progress bar on stderr, then status shows it at the head and healthy', async () => {
    const before = await run(['status']);
    expect(before.code).toBe(1); // known but never started
    expect(before.out).toMatch(/demo\.accounts\s+1\s+0\/0\s+3,020\s+UNHEALTHY: not started/);

    const rebuilt = await run(['rebuild', 'demo.accounts']);
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.err).toMatch(/\r\[##########\] 100% 3,020\/3,020 events [\d,]+ ev\/s\n$/);
    expect(rebuilt.out).toMatch(/^rebuilt demo\.accounts \(version 1\) in [\d.]+ s\n$/);
    expect(sorted(await tableRows(env.db, '"demo"."accounts"'))).toEqual(sorted(await expectedAccounts(env.db)));

    // Without the code registered, status still lists what the database holds.
    const after = await run(['status'], []);
    expect(after.code).toBe(0);
    expect(after.out).toMatch(/^projection\s+version\s+cursor\s+lag\s+health\n/);
    expect(after.out).toMatch(/demo\.accounts\s+1\s+\d+\/\d+\s+0\s+ok\n/);
  });

  it('refuses an unknown projection and bad usage', async () => {
    const unknown = await run(['rebuild', 'demo.nope']);
    expect(unknown).toMatchObject({
      code: 2,
      err: expect.stringContaining('unknown projection "demo.nope" (known: demo.accounts)'),
    });
    expect((await run([])).code).toBe(2);
  });
});
