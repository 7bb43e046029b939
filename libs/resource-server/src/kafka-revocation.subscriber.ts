import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { REVOCATIONS_TOPIC } from './revocation-event';
import type { RevocationList } from './revocation-list';

/** Options of the Kafka revocation subscriber. */
export interface KafkaRevocationSubscriberOptions {
  /** Kafka brokers, e.g. `['kafka:9092']`. */
  brokers: readonly string[];
  /** Full topic name (default `iam.revocations`). */
  topic?: string;
  /** Kafka client id (default `tessera-resource-server`). */
  clientId?: string;
  /** Prefix of this instance's own consumer group (default `resource-server`). */
  groupIdPrefix?: string;
  /**
   * Read the topic's retained history on start (default true): an instance
   * started after a revocation still refuses the revoked token.
   */
  fromBeginning?: boolean;
  /** kafkajs log level (default ERROR). */
  logLevel?: logLevel;
  /** How long `start` waits for partitions to be assigned, in ms (default 30,000). */
  joinTimeoutMs?: number;
}

/**
 * Feeds a `RevocationList` from `iam.revocations` (plain Node, kafkajs). Each
 * instance has its own consumer group, so every instance sees every
 * revocation; it commits no offsets (a restarted instance re-reads history).
 */
export class KafkaRevocationSubscriber {
  /** This instance's consumer group id. */
  readonly groupId: string;
  private readonly kafka: Kafka;
  private readonly topic: string;
  private consumer: Consumer | null = null;

  constructor(
    private readonly revocations: RevocationList,
    private readonly options: KafkaRevocationSubscriberOptions,
  ) {
    this.groupId = `${options.groupIdPrefix ?? 'resource-server'}-${randomUUID()}`;
    this.topic = options.topic ?? REVOCATIONS_TOPIC;
    this.kafka = new Kafka({
      clientId: options.clientId ?? 'tessera-resource-server',
      brokers: [...options.brokers],
      logLevel: options.logLevel ?? logLevel.ERROR,
    });
  }

  /** Connects and resolves once partitions are assigned (messages published after that are seen). */
  async start(): Promise<void> {
    if (this.consumer) return;
    const consumer = this.kafka.consumer({ groupId: this.groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
    this.consumer = consumer;
    const joined = new Promise<void>((resolve) => {
      const off = consumer.on(consumer.events.GROUP_JOIN, () => {
        off();
        resolve();
      });
    });
    await consumer.connect();
    await consumer.subscribe({ topic: this.topic, fromBeginning: this.options.fromBeginning ?? true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ message }) => {
        if (!message.value) return;
        let event: unknown;
        try {
          event = JSON.parse(message.value.toString('utf8'));
        } catch {
          return; // Not JSON: not a revocation event; skipping it keeps the subscription alive.
        }
        this.revocations.apply(event);
      },
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.options.joinTimeoutMs ?? 30_000);
    });
    await Promise.race([joined, timeout]).finally(() => clearTimeout(timer));
  }

  /** Disconnects. */
  async stop(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = null;
    await consumer?.disconnect();
  }
}
