import { type AppendRequest, type Session } from '@tessera/event-store';
import { InProcessBus, topicNames, type CloudEvent } from '@tessera/messaging';
import { Registry } from 'prom-client';
import { uniqueSuffix } from '../../../test/support/infra';
import { AccountEvents, accountsProjection, accountStream } from '../test/accounts.projection';
import {
  AccountWorkload,
  expectedAccounts,
  pgEnv,
  settle,
  sorted,
  tableRows,
  waitFor,
  type PgEnv,
} from '../test/projection-int-support';
import { ProjectionRunner, type ProjectionRunnerOptions } from './projection-runner';
import { ReadThrough } from './read-through';

const LIVE = '"demo"."accounts"';
jest.setTimeout(120_000);

describe('ProjectionRunner on PostgreSQL', () => {
  let env: PgEnv;
  const runners: ProjectionRunner[] = [];
  const runner = (opts: Partial<ProjectionRunnerOptions> & Pick<ProjectionRunnerOptions, 'projections'>) => {
    const r = new ProjectionRunner({ db: env.db, store: env.store, batchSize: 200, pollIntervalMs: 50, ...opts });
    runners.push(r);
    return r;
  };

  beforeEach(async () => {
    env = await pgEnv();
  });
  afterEach(async () => {
    for (const r of runners.splice(0)) await r.stop();
    await env.close();
  });

  it('catches up: one row per account equal to the fold of the log, checkpoint at the head, lag 0', async () => {
    const work = new AccountWorkload(env.store, 40);
    await work.open();
    await work.deposit(1500);
    const metrics = new Registry();
    const r = runner({ projections: [accountsProjection({ schema: 'demo' })], metrics });
    await settle(env);
    await r.catchUp();

    const rows = await tableRows(env.db, LIVE);
    expect(rows.size).toBe(40);
    expect(sorted(rows)).toEqual(sorted(await expectedAccounts(env.db)));
    const [status] = await r.status();
    expect(status).toMatchObject({ schema: 'demo', name: 'accounts', version: 1, lag: 0, healthy: true });
    expect((await env.store.head()).position).toBe(status.cursor.position);
    expect(await metrics.getSingleMetricAsString('tessera_projection_lag_events')).toContain(
      'tessera_projection_lag_events{projection="demo.accounts"} 0',
    );
  });

  it('wakes on NOTIFY eventlog_appended without waiting for the poll interval', async () => {
    const r = runner({ projections: [accountsProjection({ schema: 'demo' })], pollIntervalMs: 60_000 });
    await r.start();
    await new Promise((res) => setTimeout(res, 200)); // the first round has run; the loop now sleeps 60 s
    const t0 = Date.now();
    await env.store.append(accountStream('late'), 0, [{ type: AccountEvents.opened, data: { owner: 'x' } }]);
    await waitFor(async () => (await tableRows(env.db, LIVE)).has('late'), 5000);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('applies an append the read horizon hid, without another append or waiting for the poll', async () => {
    const r = runner({ projections: [accountsProjection({ schema: 'demo' })], pollIntervalMs: 60_000 });
    await r.start();
    await new Promise((res) => setTimeout(res, 200)); // the first round has run; the loop now sleeps 60 s
    // An older transaction that has taken an id holds the read horizon below the append that follows it.
    const holder = env.newPool('horizon-holder');
    await holder.transaction(async (tx) => {
      await tx.query('SELECT pg_current_xact_id()');
      await env.store.append(accountStream('hidden'), 0, [{ type: AccountEvents.opened, data: { owner: 'x' } }]);
      await new Promise((res) => setTimeout(res, 300)); // the runner was woken and could read nothing yet
    }); // commits without any notification
    await waitFor(async () => (await tableRows(env.db, LIVE)).has('hidden'), 10_000);
  });

  it('once caught up, spaces its rounds by minReadIntervalMs instead of reading once per commit', async () => {
    let reads = 0;
    const store = new Proxy(env.store, {
      get(target, prop, receiver) {
        const value: unknown = Reflect.get(target, prop, receiver);
        if (prop === 'readAll') reads++;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const r = runner({
      store,
      projections: [accountsProjection({ schema: 'demo' })],
      pollIntervalMs: 60_000,
      minReadIntervalMs: 250,
    });
    await r.start();
    await new Promise((res) => setTimeout(res, 300)); // the first round has run
    reads = 0;
    const t0 = Date.now();
    const commits = 30;
    for (let i = 0; i < commits; i++) {
      await env.store.append(accountStream(`spaced-${i}`), 0, [{ type: AccountEvents.opened, data: { owner: 'x' } }]);
    }
    await waitFor(async () => (await tableRows(env.db, LIVE)).has(`spaced-${commits - 1}`), 10_000);
    const elapsed = Date.now() - t0;
    expect((await tableRows(env.db, LIVE)).size).toBe(commits);
    // One round per 250 ms of appending (plus the first and the last), not one per NOTIFY.
    expect(reads).toBeLessThanOrEqual(Math.ceil(elapsed / 250) + 2);
    expect(reads).toBeLessThan(commits);
  });

  it('catchUp() is not spaced: it sees everything appended before the call, and stop() ends a spacing pause', async () => {
    const r = runner({
      projections: [accountsProjection({ schema: 'demo' })],
      pollIntervalMs: 60_000,
      minReadIntervalMs: 60_000,
    });
    await r.start();
    await new Promise((res) => setTimeout(res, 200)); // caught up: the loop now waits out the 60 s spacing
    await env.store.append(accountStream('now'), 0, [{ type: AccountEvents.opened, data: { owner: 'x' } }]);
    const t0 = Date.now();
    await r.catchUp();
    expect((await tableRows(env.db, LIVE)).has('now')).toBe(true);
    await r.stop();
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('killed mid-batch after writing rows: nothing is kept, and a new runner resumes without applying any event twice', async () => {
    const work = new AccountWorkload(env.store, 30);
    await work.open();
    await work.deposit(600);
    const poolA = env.newPool('projection-runner-a');
    const a = runner({
      db: poolA,
      store: env.store,
      projections: [accountsProjection({ schema: 'demo' })],
      batchSize: 5000,
    });
    await settle(env);
    await a.catchUp();
    await a.start();
    const rowsBefore = await tableRows(env.db, LIVE);
    const checkpointBefore = await checkpointRow();
    expect(rowsBefore.has('acc3')).toBe(true);

    // Block the batch on its checkpoint UPDATE, i.e. after its upsert and delete ran. A SHARE lock
    // lets the runner's SELECT … FOR UPDATE through and takes no transaction id (readAll's xmin moves on).
    const locker: Session = await env.db.session();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE demo.projection_checkpoints IN SHARE MODE');
    const requests: AppendRequest[] = [];
    for (let i = 0; i < 300; i++) {
      requests.push({
        streamId: accountStream(`acc${i % 30}`),
        expectedVersion: 'any',
        events: [{ type: AccountEvents.deposited, data: { amount: 1000 + i } }],
      });
    }
    requests.push({
      streamId: accountStream('acc3'),
      expectedVersion: 'any',
      events: [{ type: AccountEvents.closed, data: {} }],
    });
    await env.store.appendMany(requests);

    let pid = 0;
    await waitFor(async () => {
      const rows = await env.db.query<{ pid: number; query: string }>(
        `SELECT pid, query FROM pg_stat_activity WHERE application_name = 'projection-runner-a'
            AND wait_event_type = 'Lock' AND state = 'active'`,
      );
      if (rows.length === 0) return false;
      expect(rows[0].query).toMatch(/^UPDATE "demo".projection_checkpoints/); // upsert and delete have run
      pid = rows[0].pid;
      return true;
    }, 60_000);
    await env.db.query('SELECT pg_terminate_backend($1)', [pid]);
    const stopping = a.stop(); // no retry by this runner: the next one must resume
    await waitFor(
      async () => (await env.db.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid])).length === 0,
    );
    await stopping;

    // The killed transaction left neither rows nor checkpoint behind.
    expect(await checkpointRow()).toEqual(checkpointBefore);
    expect(sorted(await tableRows(env.db, LIVE))).toEqual(sorted(rowsBefore));
    await locker.query('ROLLBACK');
    await locker.release();

    const b = runner({
      db: env.newPool('projection-runner-b'),
      store: env.store,
      projections: [accountsProjection({ schema: 'demo' })],
    });
    await settle(env);
    await b.catchUp();
    const rows = await tableRows(env.db, LIVE);
    expect(rows.has('acc3')).toBe(false);
    expect(sorted(rows)).toEqual(sorted(await expectedAccounts(env.db)));
    expect((await checkpointRow()).position).toBe(String((await env.store.head()).position));
  });

  it('rebuilds before going live when the projection version changes', async () => {
    const work = new AccountWorkload(env.store, 25);
    await work.open();
    await work.deposit(800);
    const v1 = runner({ projections: [accountsProjection({ schema: 'demo', version: 1 })] });
    await settle(env);
    await v1.catchUp();
    expect(sorted(await tableRows(env.db, LIVE))).toEqual(sorted(await expectedAccounts(env.db, 1)));
    // Damage a row: only a replay from the log can repair it.
    await env.db.query(`UPDATE ${LIVE} SET state = jsonb_set(state, '{balance}', '-1') WHERE key = 'acc1'`);
    const oid = await tableOid();

    const v2 = runner({ projections: [accountsProjection({ schema: 'demo', version: 2 })] });
    await v2.start();
    await work.deposit(100);
    await settle(env);
    await v2.catchUp();
    expect(await tableOid()).not.toBe(oid); // swapped, not patched in place
    expect(sorted(await tableRows(env.db, LIVE))).toEqual(sorted(await expectedAccounts(env.db, 2)));
    const [status] = await v2.status();
    expect(status).toMatchObject({ version: 2, healthy: true, lag: 0 });
  });

  it('dead-letters a poison event, skips it, reports unhealthy until a rebuild with fixed code', async () => {
    const bus = new InProcessBus();
    const topics = topicNames(`t${uniqueSuffix()}`);
    const received: CloudEvent[] = [];
    const sub = await bus.subscribe(topics.deadLetters, { groupId: 'dlq-reader', fromBeginning: true }, async (m) => {
      received.push(m);
    });
    const work = new AccountWorkload(env.store, 10);
    await work.open();
    await work.deposit(200);
    const poison = await env.store.append(accountStream('acc4'), 'any', [
      { type: AccountEvents.deposited, data: { amount: 5, poison: true } },
    ]);
    await work.deposit(200);
    const [poisonEvent] = (await env.store.readStream(accountStream('acc4'))).filter(
      (e) => e.position === poison.positions[0],
    );

    const buggy = accountsProjection({ schema: 'demo', poison: (e) => e.data.poison === true });
    const metrics = new Registry();
    const r = runner({
      projections: [buggy],
      bus,
      identityEventsTopic: topics.identityEvents,
      deadLetterTopic: topics.deadLetters,
      metrics,
    });
    await settle(env);
    await r.catchUp();
    await waitFor(async () => received.length >= 1);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      id: poisonEvent.id,
      type: AccountEvents.deposited,
      subject: 'account-acc4',
      data: { amount: 5, poison: true },
      logposition: String(poisonEvent.position),
      projection: 'demo.accounts',
      deadlettererror: 'Error: cannot fold account.deposited #' + poisonEvent.streamVersion,
    });
    const dead = await env.db.query<{ event_id: string; published: boolean }>(
      `SELECT event_id::text, published_at IS NOT NULL AS published FROM demo.projection_dead_letters`,
    );
    expect(dead).toEqual([{ event_id: poisonEvent.id, published: true }]);
    // Skipped: every other event is applied, the poison one is not.
    expect(sorted(await tableRows(env.db, LIVE))).toEqual(sorted(await expectedAccounts(env.db, 1, [poisonEvent.id])));
    let [status] = await r.status();
    expect(status.healthy).toBe(false);
    expect(status.error).toContain(poisonEvent.id);
    expect(status.lag).toBe(0);

    // Still degraded after later, healthy batches.
    await work.deposit(50);
    await settle(env);
    await r.catchUp();
    [status] = await r.status();
    expect(status.healthy).toBe(false);
    await r.stop();

    // The fixed code (new version) rebuilds and clears the status.
    const fixed = runner({
      projections: [accountsProjection({ schema: 'demo', version: 2 })],
      bus,
      deadLetterTopic: topics.deadLetters,
    });
    await fixed.start();
    await settle(env);
    await fixed.catchUp();
    [status] = await fixed.status();
    expect(status).toMatchObject({ healthy: true, version: 2 });
    expect(status.error).toBeUndefined();
    expect(sorted(await tableRows(env.db, LIVE))).toEqual(sorted(await expectedAccounts(env.db, 2)));
    expect(received).toHaveLength(1);
    await sub.stop();
    await bus.close();
  });

  it('read-through returns a just-appended stream before the runner saw it, without writing it', async () => {
    const projection = accountsProjection({ schema: 'demo' });
    const reader = new ReadThrough(env.db, env.store, projection);
    await env.store.append(accountStream('early'), 0, [{ type: AccountEvents.opened, data: { owner: 'e' } }]);
    // No table yet: still answered from the log.
    expect(await reader.get('early')).toEqual({ owner: 'e', balance: 0, count: 1, builtBy: 1 });

    const r = runner({ projections: [projection] });
    await settle(env);
    await r.catchUp();
    await env.store.append(accountStream('fresh'), 0, [
      { type: AccountEvents.opened, data: { owner: 'f' } },
      { type: AccountEvents.deposited, data: { amount: 40 } },
    ]);
    await env.store.append(accountStream('fresh'), 2, [{ type: AccountEvents.deposited, data: { amount: 2 } }]);
    expect(await reader.get('fresh')).toEqual({ owner: 'f', balance: 42, count: 3, builtBy: 1 });
    expect((await tableRows(env.db, LIVE)).has('fresh')).toBe(false);
    // A hit is served from the table (here deliberately different from the log).
    await env.db.query(`UPDATE ${LIVE} SET state = jsonb_set(state, '{owner}', '"from-table"') WHERE key = 'early'`);
    expect(await reader.get('early')).toMatchObject({ owner: 'from-table' });
    expect(await reader.get('never')).toBeNull();
  });

  async function checkpointRow() {
    const [row] = await env.db.query<Record<string, unknown>>(
      `SELECT version, transaction_id::text AS transaction_id, position::text AS position, status, error
         FROM demo.projection_checkpoints WHERE name = 'accounts'`,
    );
    return row;
  }

  async function tableOid(): Promise<string> {
    const [row] = await env.db.query<{ oid: string }>(`SELECT 'demo.accounts'::regclass::oid::text AS oid`);
    return row.oid;
  }
});
