import type { Tracer } from '@opentelemetry/api';
import type { Database, EventStore, RecordedEvent } from '@tessera/event-store';
import type { MessageBus, Subscription } from '@tessera/messaging';
import type { Gauge, Registry } from 'prom-client';
import { errorMessage } from './batch-fold';
import { ensureCheckpoint, readCheckpoint } from './checkpoint';
import { publishDeadLetters } from './dead-letters';
import { projectionLagGauge } from './lag-gauge';
import { noopLogger, recordBatchSpans, type Logger } from '@tessera/telemetry';
import type { Projection } from './projection';
import { runProjectionBatch } from './projection-batch';
import { ensureProjectionTables } from './projection-sql';
import { projectionStatus, type ProjectionStatus } from './projection-status';
import { rebuildProjection } from './rebuild-projection';
import { RoundReads } from './round-reads';

/** Options of the ProjectionRunner. */
export interface ProjectionRunnerOptions {
  db: Database;
  store: EventStore;
  projections: readonly Projection<any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Wake-ups from the relay's topic and the dead-letter topic (DESIGN §3). */
  bus?: MessageBus;
  /** Any message on it means "the log has grown". */
  identityEventsTopic?: string;
  /** Where poison events are published; without it they are only recorded in the database. */
  deadLetterTopic?: string;
  /** Consumer group for the wake-up subscription (default `tessera-projections`). */
  groupId?: string;
  /** Events per batch (default 500). */
  batchSize?: number;
  /** Poll fallback when no notification arrives (default 500 ms). */
  pollIntervalMs?: number;
  /**
   * Once caught up, the next round starts no sooner than this after the last
   * one began (default 5 ms): under load every commit NOTIFYs, and a round per
   * commit cost more than the events themselves (issue 3 benchmark, as the
   * relay's option). Adds at most this to a read model's delay; `catchUp()` is
   * not spaced.
   */
  minReadIntervalMs?: number;
  logger?: Logger;
  /** Registers `tessera_projection_lag_events{projection}` here. */
  metrics?: Registry;
  /** A CONSUMER span per applied event, child of the event's traceparent (default: none). */
  tracer?: Tracer;
}

const NOTIFY_CHANNEL = 'eventlog_appended';
const MAX_BACKOFF_MS = 10_000;
/** Dead letters the bus did not take (it was down) are published again after this long. */
const DEAD_LETTER_RETRY_MS = 5_000;

/**
 * Keeps read models up to date from the log (DESIGN §4): pulls events by
 * cursor, one transaction per batch with the checkpoint, wakes on NOTIFY or a
 * bus message, polls otherwise. Several runners may run the same projections:
 * they serialise on the checkpoint row.
 */
export class ProjectionRunner {
  private readonly projections: readonly Projection<unknown>[];
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly minReadIntervalMs: number;
  private readonly log: Logger;
  private readonly lagGauge?: Gauge<'projection'>;
  private running = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  private wakeRequested = false;
  /** An append was announced since the last round began (unlike wakeRequested, not cleared by sleep). */
  private notified = false;
  private unlisten?: () => Promise<void>;
  private subscription?: Subscription;
  private lastLagAt = 0;
  /** When the dead-letter outbox is next looked at without a new poison event (at start: the first round). */
  private deadLettersDueAt = 0;

  constructor(private readonly opts: ProjectionRunnerOptions) {
    this.projections = opts.projections;
    this.batchSize = opts.batchSize ?? 500;
    this.pollIntervalMs = opts.pollIntervalMs ?? 500;
    this.minReadIntervalMs = opts.minReadIntervalMs ?? 5;
    this.log = opts.logger ?? noopLogger;
    if (opts.metrics) this.lagGauge = projectionLagGauge(opts.metrics);
  }

  /**
   * Creates the tables, rebuilds every projection whose stored version is not
   * the code's (the old table answers meanwhile), subscribes to wake-ups and
   * starts the loop. Resolves once the loop runs.
   */
  async start(): Promise<void> {
    if (this.running) return;
    const { db, store } = this.opts;
    for (const p of this.projections) {
      await db.transaction(async (tx) => {
        await ensureProjectionTables(tx, p);
        await ensureCheckpoint(tx, p);
      });
      const checkpoint = await readCheckpoint(db, p);
      if (checkpoint && checkpoint.version !== p.version) {
        this.log.info(
          { projection: `${p.schema}.${p.name}`, from: checkpoint.version, to: p.version },
          'projection version changed: rebuilding',
        );
        await rebuildProjection({ db, store, projection: p, logger: this.log, onlyIfVersionDiffers: true });
      }
    }
    this.running = true;
    await this.subscribeWakeUps();
    this.loop = this.runLoop();
  }

  /** Stops the loop after the batch in flight and the wake-up subscriptions. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake();
    await this.loop;
    await this.unlisten?.().catch((err: unknown) => this.log.warn({ err: errorMessage(err) }, 'unlisten failed'));
    await this.subscription
      ?.stop()
      .catch((err: unknown) => this.log.warn({ err: errorMessage(err) }, 'unsubscribe failed'));
    this.unlisten = undefined;
    this.subscription = undefined;
  }

  /** Runs batches until every projection has read up to the log head (tests and start-up). */
  async catchUp(): Promise<void> {
    for (const p of this.projections) {
      await this.opts.db.transaction(async (tx) => {
        await ensureProjectionTables(tx, p);
        await ensureCheckpoint(tx, p);
      });
      for (;;) {
        const result = await this.batch(p);
        if (result.read === 0) break;
      }
    }
    await this.publishPendingDeadLetters();
    await this.refreshLag(true);
  }

  /** Status of every projection; also refreshes the lag gauge. */
  async status(): Promise<ProjectionStatus[]> {
    const statuses = await projectionStatus(this.opts.db, this.opts.store, this.projections);
    for (const s of statuses) this.lagGauge?.set({ projection: `${s.schema}.${s.name}` }, s.lag);
    return statuses;
  }

  /** Asks the loop to run now (a NOTIFY or a bus message arrived). */
  private wake(): void {
    this.wakeRequested = true;
    this.notified = true;
    this.wakeUp?.();
  }

  private async subscribeWakeUps(): Promise<void> {
    try {
      this.unlisten = await this.opts.db.listen(NOTIFY_CHANNEL, () => this.wake());
    } catch (err) {
      this.log.warn({ err: errorMessage(err) }, 'LISTEN unavailable: polling only');
    }
    const { bus, identityEventsTopic } = this.opts;
    if (bus && identityEventsTopic) {
      try {
        this.subscription = await bus.subscribe(
          identityEventsTopic,
          { groupId: this.opts.groupId ?? 'tessera-projections' },
          async () => this.wake(),
        );
      } catch (err) {
        this.log.warn({ err: errorMessage(err) }, 'bus wake-up subscription failed: NOTIFY and polling only');
      }
    }
  }

  private async runLoop(): Promise<void> {
    let failures = 0;
    let roundAt = 0;
    let caughtUp = false;
    // After a wake-up whose append no projection could read yet, the next rounds come after this many ms
    // (doubling up to the poll interval): see below.
    let hiddenRetryMs = 0;
    while (this.running) {
      if (caughtUp) await this.spaceRounds(roundAt);
      if (!this.running) break;
      // This round reads everything committed (and NOTIFYed) so far: wake-ups until now are served by it.
      const notified = this.notified;
      this.notified = false;
      this.wakeRequested = false;
      roundAt = Date.now();
      let busy = false;
      let read = 0;
      try {
        const reads = new RoundReads(this.opts.store);
        let poisoned = false;
        for (const p of this.projections) {
          if (!this.running) break;
          const result = await this.batch(p, reads);
          read += result.read;
          poisoned ||= result.poisons.length > 0;
          if (result.read >= this.batchSize) busy = true;
        }
        // The dead-letter outbox: at once after a poison event, else retried every DEAD_LETTER_RETRY_MS
        // (seven queries a round when nothing is pending, which is almost always).
        if (poisoned || Date.now() >= this.deadLettersDueAt) await this.publishPendingDeadLetters();
        if (!busy) await this.refreshLag(false);
        failures = 0;
      } catch (err) {
        failures++;
        busy = false;
        this.log.error({ err: errorMessage(err), failures }, 'projection batch failed; retrying');
      }
      caughtUp = !busy && failures === 0;
      // A notified append that nothing could read yet sits above the read horizon of an older open
      // transaction (DESIGN §2); no notification comes when that one ends, so retry soon rather than
      // after a whole poll interval (the relay does the same: issue 4, revocation propagation).
      if (failures === 0 && read === 0 && (notified || hiddenRetryMs > 0)) {
        hiddenRetryMs = hiddenRetryMs === 0 ? Math.max(1, this.minReadIntervalMs) : hiddenRetryMs * 2;
      } else {
        hiddenRetryMs = 0;
      }
      if (hiddenRetryMs >= this.pollIntervalMs) hiddenRetryMs = 0;
      if (!busy && this.running) {
        const backoff =
          failures > 0
            ? Math.min(MAX_BACKOFF_MS, this.pollIntervalMs * 2 ** failures)
            : hiddenRetryMs > 0
              ? hiddenRetryMs
              : this.pollIntervalMs;
        await this.sleep(backoff);
      }
    }
  }

  private async batch(p: Projection<unknown>, reads: Pick<EventStore, 'readAll'> = this.opts.store) {
    const startedAt = Date.now();
    const result = await runProjectionBatch(this.opts.db, reads, p, this.batchSize);
    const { tracer } = this.opts;
    if (tracer && result.events?.length) traceApplied(tracer, p, result.events, startedAt);
    for (const poison of result.poisons) {
      this.log.error(
        {
          projection: `${p.schema}.${p.name}`,
          eventId: poison.event.id,
          position: poison.event.position,
          err: poison.error,
        },
        'poison event skipped and dead-lettered; projection degraded',
      );
    }
    return result;
  }

  private async publishPendingDeadLetters(): Promise<void> {
    this.deadLettersDueAt = Date.now() + DEAD_LETTER_RETRY_MS;
    const { bus, deadLetterTopic, db } = this.opts;
    if (!bus || !deadLetterTopic) return;
    for (const p of this.projections) {
      try {
        while ((await publishDeadLetters(db, p, bus, deadLetterTopic)) > 0);
      } catch (err) {
        // The table is the outbox: the next round publishes them (DESIGN §3, the bus may be down).
        this.log.warn(
          { projection: `${p.schema}.${p.name}`, err: errorMessage(err) },
          'dead letters not published yet',
        );
      }
    }
  }

  private async refreshLag(force: boolean): Promise<void> {
    if (!this.lagGauge) return;
    if (!force && Date.now() - this.lastLagAt < this.pollIntervalMs) return;
    this.lastLagAt = Date.now();
    await this.status();
  }

  private sleep(ms: number): Promise<void> {
    if (this.wakeRequested) {
      this.wakeRequested = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        this.wakeRequested = false;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.wakeUp = finish;
    });
  }

  /**
   * Caught up: lets commits gather until minReadIntervalMs after the last round
   * began. A wake-up meanwhile stays requested (the next round serves it);
   * only stop() cuts the pause short.
   */
  private spaceRounds(roundAt: number): Promise<void> {
    const wait = roundAt + this.minReadIntervalMs - Date.now();
    if (wait <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        if (this.wakeUp === onWake) this.wakeUp = undefined;
        resolve();
      };
      const onWake = (): void => {
        if (!this.running) finish();
      };
      const timer = setTimeout(finish, wait);
      this.wakeUp = onWake;
    });
  }
}

/** The request's trace continues into the read model: one span per applied event, spanning its batch. */
function traceApplied(
  tracer: Tracer,
  p: Projection<unknown>,
  events: readonly RecordedEvent[],
  startedAt: number,
): void {
  const projection = `${p.schema}.${p.name}`;
  const items = events.map((e) => ({
    traceparent: e.metadata?.traceparent,
    attributes: { 'tessera.projection': projection, 'tessera.event.type': e.type, 'tessera.event.id': e.id },
  }));
  recordBatchSpans(tracer, `projection ${projection} apply`, items, startedAt);
}
