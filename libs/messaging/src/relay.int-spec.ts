import { randomUUID } from 'node:crypto';
import { type Database, PgDatabase, runMigrations, type Session, SqlEventStore } from '@tessera/event-store';
import { Client } from 'pg';
import { Registry } from 'prom-client';
import { createTestDatabase, kafkaBrokers, type TestDatabase, uniqueSuffix } from '../../../test/support/infra';
import { dedupConsumer, streamsInOrder } from '../../../test/support/relay-consumer';
import { InProcessBus } from './in-process.bus';
import { KafkaBus } from './kafka.bus';
import { fromCloudEvent } from './log-event-mapping';
import type { MessageBus, OutgoingMessage } from './message-bus';
import { Relay, RELAY_LOCK_NAMESPACE } from './relay';
import { topicNames } from './topics';

// Relay round trips through the real broker take seconds; set here because jest applies
// testTimeout globally, not per project.
jest.setTimeout(120_000);

async function until(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('Relay: log → Kafka (DESIGN §3)', () => {
  let testDb: TestDatabase;
  let db: Database;
  let store: SqlEventStore;
  const prefix = `t${uniqueSuffix()}`;
  const topic = topicNames(prefix).identityEvents;
  const bus = new KafkaBus({ brokers: kafkaBrokers, clientId: 'relay-int-spec' });
  const relays: Relay[] = [];

  beforeAll(async () => {
    testDb = await createTestDatabase();
    db = new PgDatabase({ connectionString: testDb.url, applicationName: 'relay-int-spec' });
    await runMigrations(db);
    store = new SqlEventStore(db);
    await bus.ensureTopics([{ name: topic, partitions: 3, retentionMs: 3_600_000 }]);
  });

  afterEach(async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
  });

  afterAll(async () => {
    await bus.close();
    await db.close();
    await testDb.drop();
  });

  it('publishes 2,000 appended events; a de-duplicating consumer gets all, in order per stream', async () => {
    const consumer = await dedupConsumer(bus, topic, `${prefix}-e2e`);
    const metrics = new Registry();
    let published = 0;
    const relay = new Relay({ db, store, bus, topic, metrics, onPublished: (n) => (published += n) });
    relays.push(relay);
    await relay.start();

    // 4 concurrent writers, 50 transactions of 10 events each over 40 overlapping streams.
    const appended: string[] = [];
    await Promise.all(
      [0, 1, 2, 3].map(async (w) => {
        for (let t = 0; t < 50; t++) {
          const requests = Array.from({ length: 10 }, (_, j) => ({
            streamId: `client-${(w * 7 + t * 10 + j) % 40}`,
            expectedVersion: 'any' as const,
            events: [{ id: randomUUID(), type: 'client.registered', data: { w, t, j }, metadata: { actor: 'system' } }],
          }));
          await store.appendMany(requests);
          appended.push(...requests.map((r) => r.events[0].id));
        }
      }),
    );
    expect(appended).toHaveLength(2000);
    await consumer.waitFor(appended, 60_000);
    await consumer.stop();

    expect(consumer.ids.size).toBe(2000);
    expect(streamsInOrder(consumer.versionsByStream)).toEqual([]);
    expect([...consumer.versionsByStream.values()].reduce((n, v) => n + v.length, 0)).toBe(2000);
    expect(published).toBeGreaterThanOrEqual(2000);

    // The envelope rebuilds the stored event exactly.
    const sample = consumer.events[123];
    const [stored] = (await store.readStream(sample.subject!)).filter((e) => e.id === sample.id);
    expect(fromCloudEvent(sample)).toEqual(stored);

    // The checkpoint is the log head once everything is acknowledged (stored at most every 250 ms, so
    // within a poll interval of that), and the lag metric agrees.
    const head = await store.head();
    const checkpoint = async () => {
      const [cp] = await db.query<{ transaction_id: string; position: number }>(
        "SELECT transaction_id::text AS transaction_id, position FROM eventlog.relay_checkpoints WHERE name = 'identity-events'",
      );
      return cp ? { transactionId: cp.transaction_id, position: Number(cp.position) } : null;
    };
    await until(async () => JSON.stringify(await checkpoint()) === JSON.stringify(head), 2000, 'checkpoint at head');
    expect(await checkpoint()).toEqual(head);
    const text = await metrics.metrics();
    expect(text).toMatch(/tessera_relay_lag_events\{relay="identity-events"\} 0/);
    expect(text).toMatch(/tessera_relay_published_total\{relay="identity-events"\} (\d+)/);
  });

  it('delivers an append the read horizon hid, without waiting for another append or the poll', async () => {
    const inProcess = new InProcessBus();
    const name = `horizon-${uniqueSuffix()}`;
    // A poll interval of a minute: only the retry after a notified-but-hidden append can deliver in time.
    const relay = new Relay({ db, store, bus: inProcess, topic, name, pollIntervalMs: 60_000 });
    relays.push(relay);
    await relay.start();
    await until(() => relay.active, 5000, 'relay active');
    const seen: string[] = [];
    const sub = await inProcess.subscribe(topic, { groupId: name, fromBeginning: true }, async (e) => {
      seen.push(String(e.subject ?? e.id));
    });
    // An older transaction that has taken an id holds the read horizon below the append that follows it.
    const holder = new Client({ connectionString: testDb.url });
    await holder.connect();
    const streamId = `horizon-${randomUUID()}`;
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_current_xact_id()');
      await store.append(streamId, 0, [{ type: 'test.horizon', data: {} }]);
      await new Promise((r) => setTimeout(r, 300)); // the relay was notified and read nothing yet
      await holder.query('COMMIT'); // ends without any notification
      await until(() => seen.includes(streamId), 10_000, 'the hidden append to be published');
    } finally {
      await holder.end();
      await sub.stop();
    }
  });

  it('keeps exactly one relay active; a standby takes over when the active one stops', async () => {
    const inProcess = new InProcessBus();
    const a = new Relay({ db, store, bus: inProcess, topic, name: 'failover-test', lockRetryMs: 100 });
    const b = new Relay({ db, store, bus: inProcess, topic, name: 'failover-test', lockRetryMs: 100 });
    relays.push(a, b);
    await a.start();
    await until(() => a.active, 5000, 'a active');
    await b.start();
    await new Promise((r) => setTimeout(r, 500));
    expect([a.active, b.active]).toEqual([true, false]);
    await a.stop();
    await until(() => b.active, 5000, 'standby b active');
    expect(a.active).toBe(false);
  });

  it('stands down when its session dies, and the standby takes over', async () => {
    const inProcess = new InProcessBus();
    // Sessions on their own pg clients with an error listener: PgDatabase's pooled session
    // clients have none while checked out, so a killed backend would crash the test process
    // (reported to helper-2); what is tested here is the relay's reaction.
    const guarded: Database = Object.assign(Object.create(db) as Database, {
      session: async (): Promise<Session> => {
        const client = new Client({ connectionString: testDb.url });
        client.on('error', () => undefined); // surfaces on the next query instead
        await client.connect();
        return {
          query: async <R>(text: string, params?: readonly unknown[]) =>
            (await client.query(text, params as unknown[] | undefined)).rows as R[],
          release: () => client.end().catch(() => undefined),
        };
      },
    });
    const a = new Relay({
      db: guarded,
      store,
      bus: inProcess,
      topic,
      name: 'session-loss',
      lockRetryMs: 100,
      pollIntervalMs: 50,
    });
    const b = new Relay({
      db: guarded,
      store,
      bus: inProcess,
      topic,
      name: 'session-loss',
      lockRetryMs: 100,
      pollIntervalMs: 50,
    });
    relays.push(a, b);
    await a.start();
    await until(() => a.active, 5000, 'a active');
    await b.start();
    const [holder] = await db.query<{ pid: number }>(
      `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = $1 AND objsubid = 2
         AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [RELAY_LOCK_NAMESPACE],
    );
    expect(holder).toBeDefined();
    await db.query('SELECT pg_terminate_backend($1)', [holder.pid]);
    await until(() => b.active, 10_000, 'standby b active after the session loss');
    await until(() => !a.active, 5000, 'a back to standby');
  });

  it('retries the same batch with backoff while the bus fails; appends never fail; nothing is lost', async () => {
    const inner = new InProcessBus();
    let failing = true;
    let failures = 0;
    const flaky: MessageBus = {
      publish: async (t: string, messages: readonly OutgoingMessage[]) => {
        if (failing) {
          failures++;
          throw new Error('broker unavailable');
        }
        return inner.publish(t, messages);
      },
      subscribe: (t, o, h) => inner.subscribe(t, o, h),
      ensureTopics: (t) => inner.ensureTopics(t),
      isHealthy: async () => !failing,
      close: () => inner.close(),
    };
    const consumer = await dedupConsumer(inner, 'flaky-topic', 'g');
    const relay = new Relay({ db, store, bus: flaky, topic: 'flaky-topic', name: 'flaky-test', pollIntervalMs: 50 });
    relays.push(relay);
    await relay.start();
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) {
      const id = randomUUID();
      await store.append(`user-${i % 5}`, 'any', [{ id, type: 'user.registered', data: { i } }]);
      ids.push(id);
    }
    await new Promise((r) => setTimeout(r, 1000));
    // 100, 200, 400 ms… doubling: a handful of attempts in a second, not a hot loop.
    expect(failures).toBeGreaterThanOrEqual(3);
    expect(failures).toBeLessThanOrEqual(8);
    expect(consumer.ids.size).toBe(0);
    failing = false;
    await consumer.waitFor(ids, 10_000);
    expect(streamsInOrder(consumer.versionsByStream)).toEqual([]);
    await consumer.stop();
  });
});
