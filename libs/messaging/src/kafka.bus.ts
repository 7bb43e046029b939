import type { Tracer } from '@opentelemetry/api';
import { Kafka, logLevel, type Admin, type Consumer, type Producer } from 'kafkajs';
import type { CloudEvent } from './cloud-event';
import { kafkaLogCreator } from './kafka-log-creator';
import { noopLogger, type Logger } from '@tessera/telemetry';
import type {
  MessageBus,
  MessageHandler,
  OutgoingMessage,
  SubscribeOptions,
  Subscription,
  TopicSpec,
} from './message-bus';
import { tracedHandler } from './traced-handler';

/** Options of the Kafka adapter. */
export interface KafkaBusOptions {
  brokers: string[];
  clientId: string;
  logger?: Logger;
  /** Consumer spans, children of each CloudEvent's `traceparent` (default: none). */
  tracer?: Tracer;
  /** How long `isHealthy` waits for the broker (default 2,000 ms). */
  healthTimeoutMs?: number;
}

/** CloudEvents structured mode over Kafka (CloudEvents Kafka binding §3.3). */
const STRUCTURED_CONTENT_TYPE = 'application/cloudevents+json; charset=UTF-8';

/**
 * The bus on Apache Kafka (DESIGN §3), through kafkajs: one idempotent producer
 * (acks=all), connected lazily and rebuilt after a failed send; one consumer
 * per subscription; topics created through the admin client.
 */
export class KafkaBus implements MessageBus {
  private readonly kafka: Kafka;
  private readonly logger: Logger;
  private readonly healthTimeoutMs: number;
  private readonly tracer?: Tracer;
  private producer: Producer | null = null;
  private producerReady: Promise<Producer> | null = null;
  private admin: Admin | null = null;
  private adminReady: Promise<Admin> | null = null;
  private readonly consumers = new Set<Consumer>();
  private closed = false;

  constructor(opts: KafkaBusOptions) {
    this.logger = opts.logger ?? noopLogger;
    this.healthTimeoutMs = opts.healthTimeoutMs ?? 2000;
    this.tracer = opts.tracer;
    this.kafka = new Kafka({
      clientId: opts.clientId,
      brokers: opts.brokers,
      logLevel: logLevel.WARN,
      logCreator: kafkaLogCreator(this.logger),
      connectionTimeout: 3000,
      requestTimeout: 10000,
      // Connection attempts give up within seconds; callers (relay, health checks) retry themselves.
      retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 2000 },
    });
  }

  async publish(topic: string, messages: readonly OutgoingMessage[]): Promise<void> {
    if (this.closed) throw new Error('bus closed');
    if (messages.length === 0) return;
    const producer = await this.connectedProducer();
    try {
      await producer.send({
        topic,
        acks: -1,
        messages: messages.map((m) => ({
          key: m.key,
          value: JSON.stringify(m.value),
          headers: { 'content-type': STRUCTURED_CONTENT_TYPE },
        })),
      });
    } catch (err) {
      // After a broker outage a kafkajs producer can stay disconnected for good:
      // drop it so the caller's retry starts from a fresh connection.
      await this.resetProducer(producer);
      throw err;
    }
  }

  async subscribe(topic: string, options: SubscribeOptions, untraced: MessageHandler): Promise<Subscription> {
    if (this.closed) throw new Error('bus closed');
    const handler = tracedHandler(this.tracer, topic, untraced);
    const consumer = this.kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: 10000,
      heartbeatInterval: 1000,
      maxWaitTimeInMs: 500,
      retry: { initialRetryTime: 200, maxRetryTime: 2000, retries: 8 },
    });
    this.consumers.add(consumer);
    const joined = new Promise<void>((resolve) => {
      const off = consumer.on(consumer.events.GROUP_JOIN, () => {
        off();
        resolve();
      });
    });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: options.fromBeginning ?? false });
    // Offsets are committed only for messages whose handler resolved (autoCommit resolves an
    // offset after eachMessage returns); a throwing handler leaves it uncommitted and kafkajs
    // delivers it again.
    await consumer.run({
      // Partitions are independent (ordering is per key): one slow partition must not hold the others' messages.
      partitionsConsumedConcurrently: 3,
      eachMessage: async ({ topic: t, partition, message }) => {
        if (!message.value) return;
        const event = JSON.parse(message.value.toString('utf8')) as CloudEvent;
        await handler(event, {
          topic: t,
          partition,
          offset: message.offset,
          key: message.key ? message.key.toString('utf8') : null,
        });
      },
    });
    // Resolve once partitions are assigned, so a subscriber that does not read from the
    // beginning still sees what is published right after subscribe() returns.
    await Promise.race([joined, sleep(30000)]);
    return {
      stop: async () => {
        this.consumers.delete(consumer);
        await consumer.disconnect();
      },
    };
  }

  async ensureTopics(topics: readonly TopicSpec[]): Promise<void> {
    const admin = await this.connectedAdmin();
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t.name));
    if (missing.length === 0) return;
    // createTopics resolves false (no error) for topics that already exist, e.g. when
    // two migrate steps race.
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((t) => ({
        topic: t.name,
        numPartitions: t.partitions,
        configEntries: [{ name: 'retention.ms', value: String(t.retentionMs) }],
      })),
    });
  }

  async isHealthy(): Promise<boolean> {
    if (this.closed) return false;
    try {
      const admin = await withTimeout(this.connectedAdmin(), this.healthTimeoutMs);
      await withTimeout(admin.describeCluster(), this.healthTimeoutMs);
      return true;
    } catch {
      void this.resetAdmin();
      return false;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const consumers = [...this.consumers];
    this.consumers.clear();
    await Promise.all(consumers.map((c) => c.disconnect().catch(() => undefined)));
    if (this.producer) await this.resetProducer(this.producer);
    await this.resetAdmin();
  }

  private connectedProducer(): Promise<Producer> {
    if (!this.producerReady) {
      const producer = this.kafka.producer({
        idempotent: true,
        // One request in flight keeps per-partition order trivially safe across retries.
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        // Bounded so a send fails while the broker is away; the relay retries the batch.
        retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 2000 },
      });
      this.producer = producer;
      producer.on(producer.events.DISCONNECT, () => {
        if (this.producer === producer) {
          this.producer = null;
          this.producerReady = null;
        }
      });
      this.producerReady = producer.connect().then(
        () => producer,
        async (err: unknown) => {
          await this.resetProducer(producer);
          throw err;
        },
      );
    }
    return this.producerReady;
  }

  private async resetProducer(producer: Producer): Promise<void> {
    if (this.producer === producer) {
      this.producer = null;
      this.producerReady = null;
    }
    await producer.disconnect().catch(() => undefined);
  }

  private connectedAdmin(): Promise<Admin> {
    if (!this.adminReady) {
      const admin = this.kafka.admin({ retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1000 } });
      this.admin = admin;
      const ready = admin.connect().then(
        () => admin,
        async (err: unknown) => {
          if (this.adminReady === ready) {
            this.adminReady = null;
            this.admin = null;
          }
          await admin.disconnect().catch(() => undefined);
          throw err;
        },
      );
      this.adminReady = ready;
    }
    return this.adminReady;
  }

  private async resetAdmin(): Promise<void> {
    // Disconnect at once, even while connect() still retries, so no retry timer outlives us.
    const admin = this.admin;
    this.admin = null;
    this.adminReady = null;
    await admin?.disconnect().catch(() => undefined);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
