import { SpanKind, type Tracer } from '@opentelemetry/api';
import type { Database, EventStore, LogCursor, RecordedEvent, Session } from '@tessera/event-store';
import { LOG_START } from '@tessera/event-store';
import type { Registry } from 'prom-client';
import { toCloudEvent } from './log-event-mapping';
import { noopLogger, recordBatchSpans, type Logger } from '@tessera/telemetry';
import type { MessageBus, OutgoingMessage } from './message-bus';
import { relayMetrics, type RelayMetrics } from './relay-metrics';
import { RELAY_CHECKPOINTS_DDL } from './relay.migration';

/** Options of the relay. */
export interface RelayOptions {
  db: Database;
  store: EventStore;
  bus: MessageBus;
  /** Full topic name, normally `topicNames(prefix).identityEvents`. */
  topic: string;
  /** Checkpoint row and lock name (default `identity-events`); each relay of a process needs its own. */
  name?: string;
  /**
   * Turns a log event into the message to publish, or null to skip it (its
   * cursor still advances). Default: every event as its CloudEvent, keyed by
   * stream id. A second relay uses it to publish integration events (DESIGN §3).
   */
  select?: (e: RecordedEvent) => OutgoingMessage | null;
  /** Events per readAll and per publish (default 500). */
  batchSize?: number;
  /** Poll fallback when no NOTIFY arrives (default 200 ms). */
  pollIntervalMs?: number;
  /**
   * Once caught up, the next read starts no sooner than this after the last
   * one began (default 5 ms): under load every commit NOTIFYs, and a read per
   * commit (two, for a relay that skips most events) cost more than the
   * events themselves (issue 3 benchmark). Adds at most this to delivery.
   */
  minReadIntervalMs?: number;
  /** How often a standby tries to take the lock (default 1,000 ms). */
  lockRetryMs?: number;
  logger?: Logger;
  /** Called after each batch the bus acknowledged (the checkpoint is stored at most every 250 ms, also when idle). */
  onPublished?: (n: number, cursor: LogCursor) => void;
  /** Called when this relay becomes active (holds the lock) or goes back to standby. */
  onActiveChange?: (active: boolean) => void;
  metrics?: Registry;
  /** A PRODUCER span per published event, child of its traceparent (default: none). */
  tracer?: Tracer;
}

/** The `eventlog_appended` channel the store NOTIFYs on every append (DESIGN §2). */
export const EVENTLOG_APPENDED_CHANNEL = 'eventlog_appended';

/** First key of the relay's session advisory lock (`'TESS'`); the second is hashtext(name). */
export const RELAY_LOCK_NAMESPACE = 0x54455353;

const MIN_BACKOFF_MS = 100;
/** Longest time the stored checkpoint trails what the bus acknowledged while busy. */
const CHECKPOINT_INTERVAL_MS = 250;
const MAX_BACKOFF_MS = 5000;

class Stopped extends Error {}

/**
 * The transactional outbox of DESIGN §3: tails the log in (transaction id,
 * position) order and publishes every event to the identity-events topic, keyed
 * by stream id, storing its cursor only after the broker acknowledged. One relay
 * is active at a time (a session advisory lock on a dedicated connection); the
 * others stand by and take over when the active one's session dies.
 * Delivery is at-least-once: consumers de-duplicate by event id.
 */
export class Relay {
  private readonly name: string;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly minReadIntervalMs: number;
  private readonly lockRetryMs: number;
  private readonly logger: Logger;
  private readonly metrics?: RelayMetrics;
  private running = false;
  private loop: Promise<void> | null = null;
  private unlisten: (() => Promise<void>) | null = null;
  private appended = false;
  private wake: (() => void) | null = null;
  private wakeOnAppend = false;
  private cursor: LogCursor = LOG_START;
  private isActive = false;

  constructor(private readonly opts: RelayOptions) {
    this.name = opts.name ?? 'identity-events';
    this.batchSize = opts.batchSize ?? 500;
    this.pollIntervalMs = opts.pollIntervalMs ?? 200;
    this.minReadIntervalMs = opts.minReadIntervalMs ?? 5;
    this.lockRetryMs = opts.lockRetryMs ?? 1000;
    this.logger = opts.logger ?? noopLogger;
    if (opts.metrics) {
      this.metrics = relayMetrics(opts.metrics, this.name, () => opts.store.countAfter(this.cursor));
    }
  }

  /** True while this relay holds the lock and publishes. */
  get active(): boolean {
    return this.isActive;
  }

  /** Starts in the background: returns at once, then keeps trying to take the lock. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      this.unlisten = await this.opts.db.listen(EVENTLOG_APPENDED_CHANNEL, () => this.notifyAppended());
    } catch (err) {
      // Polling alone still delivers everything, only later.
      this.logger.warn({ err: errorText(err), relay: this.name }, 'relay: LISTEN failed, polling only');
    }
    this.loop = this.run();
  }

  /** Stops publishing, releases the lock and waits for the current batch to end. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake?.();
    await this.loop;
    this.loop = null;
    await this.unlisten?.().catch(() => undefined);
    this.unlisten = null;
  }

  private notifyAppended(): void {
    this.appended = true;
    if (this.wakeOnAppend) this.wake?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      let session: Session | null = null;
      let locked = false;
      try {
        session = await this.opts.db.session();
        while (this.running && !(locked = await this.tryLock(session))) await this.pause(this.lockRetryMs);
        if (!locked) break;
        this.setActive(true);
        await this.publishLoop(session);
      } catch (err) {
        if (!(err instanceof Stopped)) {
          this.logger.warn({ err: errorText(err), relay: this.name }, 'relay: session lost, back to standby');
        }
      } finally {
        this.setActive(false);
        if (session) await this.release(session, locked);
      }
      if (this.running) await this.pause(this.lockRetryMs);
    }
  }

  private async tryLock(session: Session): Promise<boolean> {
    const [row] = await session.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_lock($1::int4, hashtext($2)) AS locked',
      [RELAY_LOCK_NAMESPACE, this.name],
    );
    return row?.locked === true;
  }

  private async release(session: Session, locked: boolean): Promise<void> {
    // A pooled connection outlives release(): unlock explicitly so the lock goes with us.
    if (locked) {
      await session
        .query('SELECT pg_advisory_unlock($1::int4, hashtext($2))', [RELAY_LOCK_NAMESPACE, this.name])
        .catch(() => undefined);
    }
    await session.release().catch(() => undefined);
  }

  private async publishLoop(session: Session): Promise<void> {
    await session.query(RELAY_CHECKPOINTS_DDL);
    // A checkpoint lost in a crash only means republishing a batch (at-least-once): no need to
    // wait for a WAL flush on every batch, which would add an fsync to the relay's latency.
    await session.query('SET synchronous_commit = off');
    this.cursor = await this.loadCheckpoint(session);
    this.logger.info({ relay: this.name, cursor: this.cursor }, 'relay active');
    let saved = this.cursor;
    let savedAt = Date.now();
    const save = async (): Promise<void> => {
      if (saved === this.cursor) return;
      await this.saveCheckpoint(session, this.cursor);
      saved = this.cursor;
      savedAt = Date.now();
    };
    let readAt = 0;
    let caughtUp = false;
    // After an append notification whose event the read did not return yet, the next reads come after
    // this many ms (doubling), not after a whole poll interval: see below.
    let hiddenRetryMs = 0;
    while (this.running) {
      if (caughtUp) await this.spaceReads(readAt);
      const notified = this.appended;
      this.appended = false;
      readAt = Date.now();
      // Read through the lock's own session: if that connection dies, this fails and we stand down.
      const events = await this.opts.store.readAll(this.cursor, this.batchSize, session);
      caughtUp = events.length < this.batchSize;
      if (events.length === 0) {
        // Caught up. Under load that happens between most appends, so the checkpoint is written here too at most
        // every CHECKPOINT_INTERVAL_MS (a write per catch-up was ~0.1 row per issued token, issue 3 benchmark);
        // an idle relay still stores it within one poll interval after that.
        if (Date.now() - savedAt >= CHECKPOINT_INTERVAL_MS) await save();
        // An append was notified but is not readable yet: a transaction that began before it (a read model's
        // checkpoint, another append) holds the read horizon below it (DESIGN §2). No further notification
        // comes when that transaction ends, so waiting a poll interval put ~200 ms on the tail of revocation
        // delivery (issue 4 benchmark); retry soon instead, backing off to the poll interval.
        if (notified || hiddenRetryMs > 0) {
          hiddenRetryMs = hiddenRetryMs === 0 ? Math.max(1, this.minReadIntervalMs) : hiddenRetryMs * 2;
          if (hiddenRetryMs < this.pollIntervalMs) {
            await this.pause(hiddenRetryMs, true);
            continue;
          }
        }
        hiddenRetryMs = 0;
        await this.waitForAppend();
        continue;
      }
      hiddenRetryMs = 0;
      await this.publishUntilAcked(session, events);
      const last = events[events.length - 1];
      this.cursor = { transactionId: last.transactionId, position: last.position };
      // A checkpoint per batch would add a round trip to every batch under load; one at most every
      // CHECKPOINT_INTERVAL_MS (and whenever idle) bounds what a successor republishes (at-least-once).
      if (Date.now() - savedAt >= CHECKPOINT_INTERVAL_MS) await save();
      this.metrics?.published.inc({ relay: this.name }, events.length);
      this.opts.onPublished?.(events.length, this.cursor);
    }
    await save();
  }

  /** Kafka down delays delivery, never loses it (DESIGN §3): retry the same batch with backoff. */
  private async publishUntilAcked(session: Session, events: RecordedEvent[]): Promise<void> {
    const select = this.opts.select ?? defaultSelect;
    const messages = events.map(select).filter((m): m is OutgoingMessage => m !== null);
    if (messages.length === 0) return;
    const startedAt = Date.now();
    for (let backoff = MIN_BACKOFF_MS; ; backoff = Math.min(backoff * 2, MAX_BACKOFF_MS)) {
      if (!this.running) throw new Stopped();
      try {
        await this.opts.bus.publish(this.opts.topic, messages);
        this.traceDelivery(messages, startedAt);
        return;
      } catch (err) {
        this.logger.warn(
          { err: errorText(err), relay: this.name, events: events.length, retryInMs: backoff },
          'relay: publish failed, retrying',
        );
      }
      await session.query('SELECT 1'); // still holding the lock? if the session died, stand down
      await this.pause(backoff);
    }
  }

  /** One PRODUCER span per message, in the trace of the request that appended its event (issue 7 §2). */
  private traceDelivery(messages: readonly OutgoingMessage[], startedAt: number): void {
    if (!this.opts.tracer) return;
    const name = `${this.opts.topic} publish`;
    const items = messages.map((m) => ({
      traceparent: m.value.traceparent,
      attributes: {
        'messaging.operation.type': 'send',
        'messaging.destination.name': this.opts.topic,
        'messaging.message.id': m.value.id,
        'cloudevents.event_type': m.value.type,
        'tessera.relay': this.name,
      },
    }));
    recordBatchSpans(this.opts.tracer, name, items, startedAt, { kind: SpanKind.PRODUCER });
  }

  private async loadCheckpoint(session: Session): Promise<LogCursor> {
    const [row] = await session.query<{ transaction_id: string; position: string | number }>(
      'SELECT transaction_id::text AS transaction_id, position FROM eventlog.relay_checkpoints WHERE name = $1',
      [this.name],
    );
    return row ? { transactionId: String(row.transaction_id), position: Number(row.position) } : LOG_START;
  }

  private async saveCheckpoint(session: Session, cursor: LogCursor): Promise<void> {
    await session.query(
      `INSERT INTO eventlog.relay_checkpoints (name, transaction_id, position, updated_at)
       VALUES ($1, $2::text::xid8, $3, now())
       ON CONFLICT (name) DO UPDATE
         SET transaction_id = EXCLUDED.transaction_id, position = EXCLUDED.position, updated_at = now()`,
      [this.name, cursor.transactionId, cursor.position],
    );
  }

  /** Caught up: lets events gather until minReadIntervalMs after the last read began (see the option). */
  private async spaceReads(readAt: number): Promise<void> {
    const wait = readAt + this.minReadIntervalMs - Date.now();
    if (wait > 0 && this.running) await this.pause(wait);
  }

  private async waitForAppend(): Promise<void> {
    if (this.appended || !this.running) return;
    await this.pause(this.pollIntervalMs, true);
  }

  /** Sleeps, cut short by stop() and, with `onAppend`, by an append notification. */
  private pause(ms: number, onAppend = false): Promise<void> {
    this.wakeOnAppend = onAppend;
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        if (this.wake === done) this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }

  private setActive(active: boolean): void {
    if (this.isActive === active) return;
    this.isActive = active;
    this.opts.onActiveChange?.(active);
  }
}

function defaultSelect(e: RecordedEvent): OutgoingMessage {
  return { key: e.streamId, value: toCloudEvent(e) };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
