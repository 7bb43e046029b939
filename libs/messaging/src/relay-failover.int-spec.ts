import { randomUUID } from 'node:crypto';
import { type Database, PgDatabase, runMigrations, SqlEventStore } from '@tessera/event-store';
import { createTestDatabase, kafkaBrokers, type TestDatabase, uniqueSuffix } from '../../../test/support/infra';
import { dedupConsumer, streamsInOrder } from '../../../test/support/relay-consumer';
import { type RelayProcess, spawnRelay } from '../../../test/support/relay-process';
import { KafkaBus } from './kafka.bus';
import { topicNames } from './topics';

// Spawns two relay processes and waits on the broker: generous timeouts.
jest.setTimeout(180_000);

describe('Relay failover: SIGKILL the active relay mid-stream (issue 2, must hold)', () => {
  let testDb: TestDatabase;
  let db: Database;
  const prefix = `t${uniqueSuffix()}`;
  const topic = topicNames(prefix).identityEvents;
  const bus = new KafkaBus({ brokers: kafkaBrokers, clientId: 'relay-failover-int-spec' });
  const processes: RelayProcess[] = [];

  beforeAll(async () => {
    testDb = await createTestDatabase();
    db = new PgDatabase({ connectionString: testDb.url, applicationName: 'relay-failover-int-spec' });
    await runMigrations(db);
    await bus.ensureTopics([{ name: topic, partitions: 3, retentionMs: 3_600_000 }]);
  });

  afterAll(async () => {
    for (const p of processes) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await bus.close();
    await db.close();
    await testDb.drop();
  });

  it('the standby takes over and a de-duplicating consumer receives every event', async () => {
    const store = new SqlEventStore(db);
    const consumer = await dedupConsumer(bus, topic, `${prefix}-failover`);
    const env = { DATABASE_URL: testDb.url, KAFKA_BROKERS: kafkaBrokers.join(','), TESSERA_TOPIC_PREFIX: prefix };

    const first = spawnRelay(env);
    processes.push(first);
    await first.waitForOutput('relay active', 30_000);
    const second = spawnRelay(env);
    processes.push(second);
    await second.waitForOutput('relay started', 30_000);
    await new Promise((r) => setTimeout(r, 1500));
    expect(second.stdout()).not.toContain('relay active'); // one active at a time

    // Append continuously, in small multi-stream transactions, until told to stop.
    const appended: string[] = [];
    let appendFailures = 0;
    let appending = true;
    const writer = (async () => {
      for (let i = 0; appending; i++) {
        const events = [0, 1, 2].map((j) => ({ id: randomUUID(), stream: `user-${(i * 3 + j) % 50}` }));
        try {
          await store.appendMany(
            events.map((e) => ({
              streamId: e.stream,
              expectedVersion: 'any' as const,
              events: [{ id: e.id, type: 'user.registered', data: { i } }],
            })),
          );
          appended.push(...events.map((e) => e.id));
        } catch {
          appendFailures++;
        }
        if (i % 20 === 0) await new Promise((r) => setImmediate(r));
      }
    })();

    // Kill the active relay while it is publishing: events are flowing and more keep coming.
    await new Promise<void>((resolve, reject) => {
      const deadline = Date.now() + 60_000;
      const tick = () => {
        if (consumer.ids.size >= 1500) return resolve();
        if (Date.now() > deadline) return reject(new Error('the first relay never published 1,500 events'));
        setTimeout(tick, 10);
      };
      tick();
    });
    const receivedBeforeKill = consumer.ids.size;
    first.child.kill('SIGKILL');
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });

    await second.waitForOutput('relay active', 30_000);
    await new Promise((r) => setTimeout(r, 2000)); // keep appending under the new relay
    appending = false;
    await writer;

    expect(appendFailures).toBe(0);
    expect(appended.length).toBeGreaterThan(receivedBeforeKill);
    await consumer.waitFor(appended, 90_000);
    await consumer.stop();
    expect(consumer.ids.size).toBe(appended.length);
    expect(streamsInOrder(consumer.versionsByStream)).toEqual([]);
    console.log(
      `failover: appended ${appended.length}, received before kill ${receivedBeforeKill}, duplicates ${consumer.duplicates}`,
    );

    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
    expect(second.stdout()).toContain('relay stopped');
  });
});
