// The broker `npm run infra:up` starts from the Maven Central jars (issue 2) must serve what the
// platform relies on with kafkajs 2.2.4 (DESIGN §3): topic creation through the admin client (no
// auto-creation), an idempotent producer with acks = all, and consumer GROUPS (a one-node broker
// whose offsets topic cannot be created leaves kafkajs waiting for a group coordinator forever).
import { Admin, Consumer, Kafka, logLevel, Partitioners, Producer } from 'kafkajs';
import { kafkaBrokers, uniqueSuffix } from '../support/infra';

const MESSAGE_COUNT = 200;
const PARTITIONS = 3;
// Explicit: jest only honours a top-level testTimeout, not the e2e project's.
const TIMEOUT_MS = 60_000;

describe('the Kafka broker (real, from infra:up)', () => {
  const suffix = uniqueSuffix();
  const topic = `tessera-test.infra-broker.${suffix}`;
  const kafka = new Kafka({
    clientId: `infra-broker-${suffix}`,
    brokers: kafkaBrokers,
    logLevel: logLevel.WARN,
  });
  let admin: Admin;
  let producer: Producer;
  let consumer: Consumer;

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
  }, TIMEOUT_MS);

  afterAll(async () => {
    await consumer?.disconnect();
    await producer?.disconnect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }, TIMEOUT_MS);

  it(
    'creates a topic through the admin client and does not auto-create others',
    async () => {
      const created = await admin.createTopics({
        topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }],
        waitForLeaders: true,
      });
      expect(created).toBe(true);

      const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
      expect(metadata.topics[0].partitions).toHaveLength(PARTITIONS);

      // auto.create.topics.enable=false: asking for an unknown topic's metadata must not create it.
      // (A quiet client: the broker's refusal is the expected answer, not an error worth logging.)
      const unknown = `${topic}.never-created`;
      const quiet = new Kafka({
        clientId: `infra-broker-quiet-${suffix}`,
        brokers: kafkaBrokers,
        logLevel: logLevel.NOTHING,
      });
      const probe = quiet.admin();
      await probe.connect();
      try {
        await expect(probe.fetchTopicMetadata({ topics: [unknown] })).rejects.toThrow();
      } finally {
        await probe.disconnect();
      }
      expect(await admin.listTopics()).not.toContain(unknown);
    },
    TIMEOUT_MS,
  );

  it(
    'delivers what an idempotent producer (acks all) sends to a consumer group, per key in order',
    async () => {
      producer = kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      await producer.connect();

      const sent = Array.from({ length: MESSAGE_COUNT }, (_, i) => ({
        key: `stream-${i % 7}`,
        value: JSON.stringify({ n: i, suffix }),
      }));
      const results = await producer.send({ topic, acks: -1, messages: sent });
      expect(results.reduce((sum, r) => sum + (r.errorCode === 0 ? 1 : 0), 0)).toBe(results.length);

      const groupId = `tessera-test.infra-broker.${suffix}`;
      // A short fetch wait: disconnect() waits for the fetch in flight (5 s by default).
      consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 500 });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      const received: { key: string; value: string }[] = [];
      const allReceived = new Promise<void>((resolve) => {
        void consumer.run({
          eachMessage: async ({ message }) => {
            received.push({
              key: message.key!.toString(),
              value: message.value!.toString(),
            });
            if (received.length === MESSAGE_COUNT) resolve();
          },
        });
      });
      await allReceived;

      // Same messages, none twice; and within a key (one partition) in the order sent.
      expect([...received].sort(byValue)).toEqual([...sent].sort(byValue));
      for (const key of new Set(sent.map((m) => m.key))) {
        expect(received.filter((m) => m.key === key)).toEqual(sent.filter((m) => m.key === key));
      }

      // The group commits its offsets on the broker (the group coordinator works). The commit
      // follows the last eachMessage, so poll for it within a bounded time.
      const committed = async (): Promise<number> => {
        const offsets = await admin.fetchOffsets({ groupId, topics: [topic] });
        return offsets[0].partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
      };
      const deadline = Date.now() + 15_000;
      while ((await committed()) < MESSAGE_COUNT && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(await committed()).toBe(MESSAGE_COUNT);
    },
    TIMEOUT_MS,
  );
});

function byValue(a: { value: string }, b: { value: string }): number {
  return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
}
