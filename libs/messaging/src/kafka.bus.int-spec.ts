import { Kafka, logLevel } from 'kafkajs';
import { kafkaBrokers, uniqueSuffix } from '../../../test/support/infra';
import type { CloudEvent } from './cloud-event';
import { KafkaBus } from './kafka.bus';
import { topicNames } from './topics';

function ce(id: string, subject: string, n: number): CloudEvent {
  return {
    specversion: '1.0',
    id,
    source: 'urn:test',
    type: 'test.happened',
    subject,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data: { n },
  };
}

async function until(check: () => boolean, ms = 30000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

// Broker round trips and group joins take seconds; the int project's testTimeout is not applied per project.
jest.setTimeout(60_000);

describe('KafkaBus against the real broker', () => {
  const prefix = `t${uniqueSuffix()}`;
  const topics = topicNames(prefix);
  const bus = new KafkaBus({ brokers: kafkaBrokers, clientId: 'kafka-bus-int-spec' });
  const admin = new Kafka({
    brokers: kafkaBrokers,
    clientId: 'kafka-bus-int-spec-admin',
    logLevel: logLevel.NOTHING,
  }).admin();

  beforeAll(async () => {
    await admin.connect();
    await bus.ensureTopics([
      { name: topics.identityEvents, partitions: 3, retentionMs: 3_600_000 },
      { name: topics.audit, partitions: 1, retentionMs: 7_200_000 },
    ]);
  });
  afterAll(async () => {
    await bus.close();
    await admin
      .deleteTopics({
        topics: Object.values(topics).filter((t) => t !== topics.revocations && t !== topics.deadLetters),
      })
      .catch(() => undefined);
    await admin.disconnect();
  });

  it('creates topics with their partitions and retention, and ignores existing ones', async () => {
    await bus.ensureTopics([{ name: topics.identityEvents, partitions: 3, retentionMs: 3_600_000 }]);
    const meta = await admin.fetchTopicMetadata({ topics: [topics.identityEvents, topics.audit] });
    const partitions = Object.fromEntries(meta.topics.map((t) => [t.name, t.partitions.length]));
    expect(partitions).toEqual({ [topics.identityEvents]: 3, [topics.audit]: 1 });
    const configs = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: 2 /* TOPIC */, name: topics.audit, configNames: ['retention.ms'] }],
    });
    expect(configs.resources[0].configEntries[0].configValue).toBe('7200000');
  });

  it('is healthy while the broker answers, unhealthy when pointed nowhere', async () => {
    expect(await bus.isHealthy()).toBe(true);
    const nowhere = new KafkaBus({ brokers: ['127.0.0.1:1'], clientId: 'nowhere', healthTimeoutMs: 500 });
    const started = Date.now();
    expect(await nowhere.isHealthy()).toBe(false);
    expect(Date.now() - started).toBeLessThan(3000);
    await nowhere.close();
  });

  it('round-trips CloudEvents through a consumer group, in order per key', async () => {
    const received: Array<{ event: CloudEvent; key: string | null }> = [];
    const sub = await bus.subscribe(
      topics.identityEvents,
      { groupId: `${prefix}-g1`, fromBeginning: true },
      async (event, info) => {
        received.push({ event, key: info.key });
      },
    );
    const keys = ['stream-a', 'stream-b', 'stream-c', 'stream-d', 'stream-e'];
    const sent: CloudEvent[] = [];
    for (let batch = 0; batch < 10; batch++) {
      const messages = [];
      for (let i = 0; i < 20; i++) {
        const n = batch * 20 + i;
        const key = keys[n % keys.length];
        const event = ce(`e-${n}`, key, n);
        sent.push(event);
        messages.push({ key, value: event });
      }
      await bus.publish(topics.identityEvents, messages);
    }
    await until(() => received.length >= sent.length);
    await sub.stop();
    expect(received).toHaveLength(sent.length);
    expect(received[0].event).toEqual(sent.find((e) => e.id === received[0].event.id));
    for (const key of keys) {
      const got = received.filter((r) => r.key === key).map((r) => (r.event.data as { n: number }).n);
      const want = sent.filter((e) => e.subject === key).map((e) => (e.data as { n: number }).n);
      expect(got).toEqual(want);
    }
  });

  it('redelivers a message whose handler threw, and commits what was handled', async () => {
    const topic = topics.audit;
    const group = `${prefix}-g2`;
    const seen: string[] = [];
    let failOnce = true;
    const sub = await bus.subscribe(topic, { groupId: group, fromBeginning: true }, async (event) => {
      seen.push(event.id);
      if (event.id === 'x-1' && failOnce) {
        failOnce = false;
        throw new Error('handler failed once');
      }
    });
    await bus.publish(topic, [
      { key: 'k', value: ce('x-1', 'k', 1) },
      { key: 'k', value: ce('x-2', 'k', 2) },
    ]);
    await until(() => seen.includes('x-2'));
    expect(seen.filter((id) => id === 'x-1').length).toBeGreaterThanOrEqual(2);
    expect(seen.indexOf('x-2')).toBeGreaterThan(seen.lastIndexOf('x-1'));
    await sub.stop();
    const offsets = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    expect(offsets[0].partitions[0].offset).toBe('2');
  });
});
