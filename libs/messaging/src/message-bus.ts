import type { CloudEvent } from './cloud-event';

/** One message for a topic; the key decides the partition (ordering per key). */
export interface OutgoingMessage {
  key: string;
  value: CloudEvent;
}

/** Where a delivered message came from. */
export interface DeliveryInfo {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
}

/** Handles one message; throwing means the message was not handled. */
export type MessageHandler = (event: CloudEvent, info: DeliveryInfo) => Promise<void>;

/** Options of a subscription. */
export interface SubscribeOptions {
  /** Consumer group: each group receives every message once (load-balanced inside it). */
  groupId: string;
  /** Start at the oldest retained message when the group has no committed offset. */
  fromBeginning?: boolean;
}

/** A running subscription. */
export interface Subscription {
  stop(): Promise<void>;
}

/**
 * The bus port (DESIGN §3): Kafka in distributed mode, in-process in
 * standalone mode. Topic names are full names (see `topicNames`).
 */
export interface MessageBus {
  /** Publishes and resolves once the bus has durably accepted every message (acks=all for Kafka). */
  publish(topic: string, messages: readonly OutgoingMessage[]): Promise<void>;
  subscribe(topic: string, options: SubscribeOptions, handler: MessageHandler): Promise<Subscription>;
  /** Creates the topics when missing (the platform's migration step). */
  ensureTopics(topics: readonly TopicSpec[]): Promise<void>;
  /** True when the bus can currently reach its broker. */
  isHealthy(): Promise<boolean>;
  close(): Promise<void>;
}

/** A topic to create. */
export interface TopicSpec {
  name: string;
  partitions: number;
  retentionMs: number;
}
