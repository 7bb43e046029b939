import type { Tracer } from '@opentelemetry/api';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Database, EventStore } from '@tessera/event-store';
import { type MessageBus, Relay, topicNames } from '@tessera/messaging';
import {
  CONFIG,
  DATABASE,
  EVENT_STORE,
  LOGGER,
  MESSAGE_BUS,
  METRICS,
  type TesseraConfig,
  TRACER,
} from '@tessera/platform';
import type { Logger } from '@tessera/telemetry';
import type { Registry } from 'prom-client';
import { revocationMessage } from './revocation-message';

/** Name (checkpoint row and advisory lock) of the relay that feeds `iam.revocations`. */
export const REVOCATIONS_RELAY = 'revocations';

/**
 * Publishes revocations to `iam.revocations` FROM THE LOG (DESIGN §3, STYLE:
 * never from the request handler): a second relay with its own checkpoint and
 * lock, selecting revocation events. Every token service instance is a
 * candidate; one is active.
 */
@Injectable()
export class RevocationRelay implements OnApplicationBootstrap, OnModuleDestroy {
  readonly relay: Relay;

  constructor(
    @Inject(DATABASE) db: Database,
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(MESSAGE_BUS) bus: MessageBus,
    @Inject(CONFIG) config: TesseraConfig,
    @Inject(LOGGER) logger: Logger,
    @Inject(METRICS) metrics: Registry,
    @Inject(TRACER) tracer: Tracer,
  ) {
    this.relay = new Relay({
      db,
      store,
      bus,
      topic: topicNames(config.topics.prefix).revocations,
      name: REVOCATIONS_RELAY,
      select: revocationMessage,
      logger,
      metrics,
      tracer,
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.relay.start();
  }

  // Before the platform closes the database (onApplicationShutdown).
  async onModuleDestroy(): Promise<void> {
    await this.relay.stop();
  }
}
