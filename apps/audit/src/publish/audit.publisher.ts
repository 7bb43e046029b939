import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Database, Session } from '@tessera/event-store';
import { type MessageBus, topicNames } from '@tessera/messaging';
import { CONFIG, DATABASE, LOGGER, MESSAGE_BUS, type TesseraConfig } from '@tessera/platform';
import type { Logger } from '@tessera/telemetry';
import { AUDIT_SETTINGS, type AuditSettings } from '../audit.settings';
import { linksAfter } from '../trail/audit-links';
import { AuditTrailConsumer } from '../trail/audit-trail.consumer';
import { WakeSignal } from '../trail/wake-signal';
import { auditMessage } from './audit-message';

/** First key of the publisher's session advisory lock (`'AUDT'`); the second is hashtext('audit-publisher'). */
const LOCK_NAMESPACE = 0x41554454;
const LOCK_NAME = 'audit-publisher';
const BATCH = 500;
const MAX_BACKOFF_MS = 5000;

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Publishes every audit record on `iam.audit` (DESIGN §3) FROM THE AUDIT
 * TABLE, never from a request handler: a transactional outbox over
 * `audit.records` with its cursor in `audit.publisher`, stored after the bus
 * acknowledged (at-least-once; the CloudEvent id is the log event's). One
 * instance publishes at a time (a session advisory lock, as the relay);
 * Kafka being down delays messages, it loses none.
 */
@Injectable()
export class AuditPublisher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly topic: string;
  private running = false;
  private loop?: Promise<void>;
  private readonly wakeSignal = new WakeSignal();

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(CONFIG) config: TesseraConfig,
    @Inject(AUDIT_SETTINGS) private readonly settings: AuditSettings,
    @Inject(LOGGER) private readonly logger: Logger,
    consumer: AuditTrailConsumer,
  ) {
    this.topic = topicNames(config.topics.prefix).audit;
    consumer.onRecords(() => this.wakeSignal.wake());
  }

  onApplicationBootstrap(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async onModuleDestroy(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wakeSignal.wake();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let session: Session | null = null;
      let locked = false;
      try {
        session = await this.db.session();
        while (this.running && !(locked = await this.tryLock(session))) await this.wakeSignal.sleep(1000);
        if (locked) await this.publishLoop(session);
      } catch (err) {
        this.logger.warn({ err: errorText(err) }, 'audit publisher: session lost, back to standby');
      } finally {
        if (session) await this.release(session, locked);
      }
      if (this.running) await this.wakeSignal.sleep(1000);
    }
  }

  private async publishLoop(session: Session): Promise<void> {
    let backoff = 100;
    while (this.running) {
      const [row] = await session.query<{ seq: string | number }>('SELECT seq FROM audit.publisher WHERE id = 1');
      const links = await linksAfter(session, Number(row?.seq ?? 0), BATCH);
      if (links.length === 0) {
        await this.wakeSignal.sleep(this.settings.pollIntervalMs);
        continue;
      }
      try {
        await this.bus.publish(this.topic, links.map(auditMessage));
        backoff = 100;
      } catch (err) {
        this.logger.warn({ err: errorText(err), retryInMs: backoff }, 'audit publisher: publish failed, retrying');
        await this.wakeSignal.sleep(backoff, false);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        continue;
      }
      await session.query('UPDATE audit.publisher SET seq = $1 WHERE id = 1', [links[links.length - 1].seq]);
    }
  }

  private async tryLock(session: Session): Promise<boolean> {
    const [row] = await session.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_lock($1::int4, hashtext($2)) AS locked',
      [LOCK_NAMESPACE, LOCK_NAME],
    );
    return row?.locked === true;
  }

  private async release(session: Session, locked: boolean): Promise<void> {
    if (locked) {
      await session
        .query('SELECT pg_advisory_unlock($1::int4, hashtext($2))', [LOCK_NAMESPACE, LOCK_NAME])
        .catch(() => undefined);
    }
    await session.release().catch(() => undefined);
  }
}
