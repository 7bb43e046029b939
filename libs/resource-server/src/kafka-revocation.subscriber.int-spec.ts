import { Kafka, logLevel, type Producer } from 'kafkajs';
import { kafkaBrokers, uniqueSuffix } from '../../../test/support/infra';
import { KafkaRevocationSubscriber } from './kafka-revocation.subscriber';
import { REVOCATION_EVENT_TYPE, REVOCATIONS_TOPIC } from './revocation-event';
import { RevocationList, tokenHandle } from './revocation-list';

/** The value the token service's relay publishes (CloudEvents structured mode, JSON). */
function revocationMessage(id: string, handles: string[], jtis?: string[]) {
  const data = { handles, clientId: 'c', sub: 'user-1', reason: 'revoked', revokedAt: new Date().toISOString() };
  return {
    key: 'user-1',
    value: JSON.stringify({
      specversion: '1.0',
      id,
      source: 'urn:tessera:token',
      type: REVOCATION_EVENT_TYPE,
      subject: 'user-1',
      time: new Date().toISOString(),
      datacontenttype: 'application/json',
      data: jtis ? { ...data, jtis } : data,
    }),
  };
}

async function until(check: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('KafkaRevocationSubscriber (real Kafka)', () => {
  const topic = `rs_${uniqueSuffix()}.${REVOCATIONS_TOPIC}`;
  const kafka = new Kafka({
    brokers: kafkaBrokers,
    clientId: 'revocation-subscriber-int-spec',
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  let producer: Producer;

  beforeAll(async () => {
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 2 }] });
    producer = kafka.producer();
    await producer.connect();
  });
  afterAll(async () => {
    await producer.disconnect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('every instance (its own group) learns revocations published before and after it started', async () => {
    await producer.send({ topic, messages: [revocationMessage('e1', [tokenHandle('earlier-token')])] });
    const lists = [new RevocationList(), new RevocationList()];
    const subscribers = lists.map((l) => new KafkaRevocationSubscriber(l, { brokers: kafkaBrokers, topic }));
    expect(subscribers[0].groupId).not.toBe(subscribers[1].groupId);
    try {
      await Promise.all(subscribers.map((s) => s.start()));
      await producer.send({
        topic,
        messages: [
          { key: 'x', value: 'not json' },
          revocationMessage('e2', [tokenHandle('the-opaque-token')], ['jti-exchanged']),
        ],
      });
      for (const list of lists) {
        await until(() => list.revoked('a.phantom.jwt', { jti: 'jti-exchanged' }));
        expect(list.revoked('earlier-token')).toBe(true);
        expect(list.revoked('the-opaque-token')).toBe(true);
        expect(list.revoked('another-token', { jti: 'other' })).toBe(false);
      }
    } finally {
      await Promise.all(subscribers.map((s) => s.stop()));
    }
  });
});
