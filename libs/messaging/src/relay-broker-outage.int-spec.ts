import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { type Database, PgDatabase, runMigrations, SqlEventStore } from '@tessera/event-store';
import { createTestDatabase, type TestDatabase, uniqueSuffix } from '../../../test/support/infra';
import { PrivateKafkaBroker } from '../../../test/support/kafka-broker';
import { dedupConsumer, streamsInOrder } from '../../../test/support/relay-consumer';
import { KafkaBus } from './kafka.bus';
import { Relay } from './relay';
import { topicNames } from './topics';

// Starts a private broker twice (~10–20 s each on this machine): generous timeouts.
jest.setTimeout(300_000);

describe('Relay while the broker stops and comes back (issue 2, must hold)', () => {
  const suffix = uniqueSuffix();
  // Its own broker on other ports and data dir: the shared one on 9092 stays up for other tests.
  const broker = new PrivateKafkaBroker({
    port: Number(process.env.TESSERA_TEST_PRIVATE_KAFKA_PORT ?? 19092),
    dir: join(__dirname, '../../../.infra', `kafka-outage-${suffix}`),
  });
  const topic = topicNames(`t${suffix}`).identityEvents;
  let testDb: TestDatabase;
  let db: Database;
  let relayBus: KafkaBus;
  let consumerBus: KafkaBus;
  let relay: Relay;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    db = new PgDatabase({ connectionString: testDb.url, applicationName: 'relay-outage-int-spec' });
    await runMigrations(db);
    await broker.start();
    relayBus = new KafkaBus({ brokers: broker.brokers, clientId: 'relay-outage-relay' });
    consumerBus = new KafkaBus({ brokers: broker.brokers, clientId: 'relay-outage-consumer' });
    await relayBus.ensureTopics([{ name: topic, partitions: 3, retentionMs: 3_600_000 }]);
  });

  afterAll(async () => {
    await relay?.stop();
    await relayBus?.close();
    await consumerBus?.close();
    await broker.stop();
    rmSync(broker.dir, { recursive: true, force: true });
    await db?.close();
    await testDb?.drop();
  });

  it('no append fails while the broker is down, and everything appended meanwhile arrives', async () => {
    const store = new SqlEventStore(db);
    const consumer = await dedupConsumer(consumerBus, topic, 'outage');
    relay = new Relay({ db, store, bus: relayBus, topic });
    await relay.start();

    const appended: string[] = [];
    let failures = 0;
    const append = async (n: number, phase: string) => {
      for (let i = 0; i < n; i++) {
        const id = randomUUID();
        try {
          await store.append(`session-${i % 20}`, 'any', [{ id, type: 'session.started', data: { phase, i } }]);
          appended.push(id);
        } catch {
          failures++;
        }
        if (i % 10 === 9) await new Promise((r) => setTimeout(r, 20));
      }
    };

    await append(100, 'before');
    await consumer.waitFor(appended, 60_000);
    const beforeOutage = appended.length;

    await broker.stop();
    const appendedWhileDown: string[] = [];
    const startedDown = appended.length;
    await append(200, 'down');
    await new Promise((r) => setTimeout(r, 3000)); // let the relay fail, back off, lose its producer
    await append(100, 'down');
    appendedWhileDown.push(...appended.slice(startedDown));
    expect(failures).toBe(0);
    expect(appendedWhileDown).toHaveLength(300);
    expect(appendedWhileDown.some((id) => consumer.ids.has(id))).toBe(false); // nothing could be delivered

    await broker.start();
    await append(100, 'after');
    expect(failures).toBe(0);
    await consumer.waitFor(appended, 120_000);
    await consumer.stop();

    expect(beforeOutage).toBe(100);
    expect(consumer.ids.size).toBe(appended.length);
    expect(appended).toHaveLength(500);
    expect(streamsInOrder(consumer.versionsByStream)).toEqual([]);
  });
});
