import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { REVOCATION_EVENT_TYPE, type RevocationMessageData } from '@tessera/contracts';
import { type CloudEvent, type MessageBus, type Subscription, topicNames } from '@tessera/messaging';
import { CONFIG, LOGGER, MESSAGE_BUS, type TesseraConfig } from '@tessera/platform';
import type { Logger } from '@tessera/telemetry';
import { CLOCK, type Clock } from './clock';
import { HotTokenCache } from './hot-token.cache';

const RETRY_MS = 5_000;

/**
 * The handles a `tessera.revocation.v1` message names (`data.handles`); none
 * for a message of another type or without such a list (the topic is public:
 * trust nothing about its shape).
 */
export function revokedHandles(event: CloudEvent): string[] {
  if (event.type !== REVOCATION_EVENT_TYPE) return [];
  const data = event.data as Partial<RevocationMessageData> | null | undefined;
  const handles: unknown = data?.handles;
  if (!Array.isArray(handles)) return [];
  return handles.filter((h): h is string => typeof h === 'string');
}

/**
 * Evicts revoked tokens from the hot cache as `iam.revocations` announces
 * them (issue 4 §2, DESIGN §3). Every replica must see every revocation, so
 * the consumer group is unique to this process and starts at the latest
 * message: what was revoked before it started is in the read model already.
 * Should the subscription fail (broker down), it retries; meanwhile the
 * cache's revalidation bounds staleness.
 */
@Injectable()
export class RevocationListener implements OnApplicationBootstrap, OnModuleDestroy {
  private subscription?: Subscription;
  private retry?: NodeJS.Timeout;
  private stopped = false;
  private readonly topic: string;
  private readonly groupId = `tessera-introspection-revocations-${hostname()}-${randomUUID()}`;

  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(CONFIG) config: TesseraConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly cache: HotTokenCache,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.topic = topicNames(config.topics.prefix).revocations;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.subscribe();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    await this.subscription?.stop().catch((err: unknown) => this.logger.warn({ err }, 'revocation unsubscribe failed'));
    this.subscription = undefined;
  }

  private async subscribe(): Promise<void> {
    if (this.stopped) return;
    try {
      this.subscription = await this.bus.subscribe(
        this.topic,
        { groupId: this.groupId, fromBeginning: false },
        async (event) => this.cache.revoke(revokedHandles(event), this.clock()),
      );
    } catch (err) {
      this.logger.warn({ err, topic: this.topic }, 'revocation subscription failed; retrying');
      this.retry = setTimeout(() => void this.subscribe(), RETRY_MS);
      this.retry.unref();
    }
  }
}
