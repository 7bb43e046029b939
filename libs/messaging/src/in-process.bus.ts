import type { Tracer } from '@opentelemetry/api';
import type { CloudEvent } from './cloud-event';
import type {
  DeliveryInfo,
  MessageBus,
  MessageHandler,
  OutgoingMessage,
  SubscribeOptions,
  Subscription,
  TopicSpec,
} from './message-bus';
import { tracedHandler } from './traced-handler';

interface StoredMessage {
  key: string;
  /** Serialised like on the wire, so a consumer never shares objects with the producer. */
  value: string;
}

interface Group {
  offset: number;
  handlers: MessageHandler[];
  /** Round-robin among the group's subscribers, one delivery per message per group. */
  next: number;
  running: boolean;
}

/** Options of the in-process bus. */
export interface InProcessBusOptions {
  /** Delay before a message whose handler threw is delivered again (default 100 ms). */
  redeliveryDelayMs?: number;
  /** Consumer spans, children of each CloudEvent's `traceparent` (default: none). */
  tracer?: Tracer;
}

/**
 * The bus in one process (standalone mode and unit tests, DESIGN §3): per-topic
 * append-only arrays kept for late subscribers, consumer groups with their own
 * offset, asynchronous delivery in order per topic, and redelivery after a short
 * delay when a handler throws (at-least-once, like Kafka).
 */
export class InProcessBus implements MessageBus {
  private readonly topics = new Map<string, StoredMessage[]>();
  private readonly groups = new Map<string, Map<string, Group>>();
  private readonly redeliveryDelayMs: number;
  private readonly tracer?: Tracer;
  private closed = false;

  constructor(opts: InProcessBusOptions = {}) {
    this.redeliveryDelayMs = opts.redeliveryDelayMs ?? 100;
    this.tracer = opts.tracer;
  }

  async publish(topic: string, messages: readonly OutgoingMessage[]): Promise<void> {
    if (this.closed) throw new Error('bus closed');
    const log = this.topic(topic);
    for (const m of messages) log.push({ key: m.key, value: JSON.stringify(m.value) });
    for (const group of this.groups.get(topic)?.values() ?? []) this.kick(topic, group);
  }

  async subscribe(topic: string, options: SubscribeOptions, untraced: MessageHandler): Promise<Subscription> {
    if (this.closed) throw new Error('bus closed');
    const handler = tracedHandler(this.tracer, topic, untraced);
    const log = this.topic(topic);
    const byId = this.groups.get(topic) ?? new Map<string, Group>();
    this.groups.set(topic, byId);
    let group = byId.get(options.groupId);
    if (!group) {
      // A new group starts at the oldest message or at the end, like Kafka's auto.offset.reset.
      group = { offset: options.fromBeginning ? 0 : log.length, handlers: [], next: 0, running: false };
      byId.set(options.groupId, group);
    }
    const g = group;
    g.handlers.push(handler);
    this.kick(topic, g);
    return {
      stop: async () => {
        const i = g.handlers.indexOf(handler);
        if (i >= 0) g.handlers.splice(i, 1);
      },
    };
  }

  async ensureTopics(topics: readonly TopicSpec[]): Promise<void> {
    for (const t of topics) this.topic(t.name);
  }

  async isHealthy(): Promise<boolean> {
    return !this.closed;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const byId of this.groups.values()) for (const g of byId.values()) g.handlers.length = 0;
  }

  private topic(name: string): StoredMessage[] {
    let log = this.topics.get(name);
    if (!log) {
      log = [];
      this.topics.set(name, log);
    }
    return log;
  }

  private kick(topic: string, group: Group): void {
    if (group.running || group.handlers.length === 0) return;
    group.running = true;
    // Delivery is asynchronous: publish() never runs a consumer's code.
    setImmediate(() => void this.drain(topic, group));
  }

  private async drain(topic: string, group: Group): Promise<void> {
    const log = this.topic(topic);
    try {
      while (!this.closed && group.handlers.length > 0 && group.offset < log.length) {
        const offset = group.offset;
        const m = log[offset];
        const handler = group.handlers[group.next++ % group.handlers.length];
        const info: DeliveryInfo = { topic, partition: 0, offset: String(offset), key: m.key };
        try {
          await handler(JSON.parse(m.value) as CloudEvent, info);
          group.offset = offset + 1;
        } catch {
          // Not committed: the same message comes again after a pause (at-least-once).
          await new Promise((r) => setTimeout(r, this.redeliveryDelayMs));
        }
      }
    } finally {
      group.running = false;
    }
    if (!this.closed && group.handlers.length > 0 && group.offset < log.length) this.kick(topic, group);
  }
}
