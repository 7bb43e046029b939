import type { Tracer } from '@opentelemetry/api';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Database, EventStore, RecordedEvent } from '@tessera/event-store';
import type { ActiveKeySigner } from '@tessera/keys';
import { EVENTLOG_APPENDED_CHANNEL } from '@tessera/messaging';
import { DATABASE, EVENT_STORE, LOGGER, METRICS, TRACER } from '@tessera/platform';
import { projectionLagGauge } from '@tessera/projections';
import { type Logger, recordBatchSpans } from '@tessera/telemetry';
import type { Gauge, Registry } from 'prom-client';
import { AUDIT_SETTINGS, type AuditSettings } from '../audit.settings';
import { AUDIT_CHECKPOINT_SIGNER } from '../keys/audit-keys.tokens';
import { readChainHead, runAuditBatch } from './audit-batch';
import { pruneAuditTrail, type PruneResult } from './audit-retention';
import { signCheckpointIfDue, type StoredCheckpoint } from './chain-checkpoints';
import { WakeSignal } from './wake-signal';

const MAX_BACKOFF_MS = 10_000;
const LAG_INTERVAL_MS = 5000;
/** The trail's label on `tessera_projection_lag_events` (DESIGN §4: lag is a metric). */
const LAG_LABEL = 'audit.records';

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The audit service's consumer of the WHOLE log (issue 7 §1). Not a platform
 * projection: the runner folds state by key, while the trail is an
 * append-only hash chain that needs one sequencer. So it pulls the log by
 * cursor itself (`readAll`, woken by NOTIFY `eventlog_appended`, polling
 * otherwise) and writes records, chain head and cursor in one transaction
 * that row-locks the head: instances serialise, none skips or repeats an
 * event. After each round it signs a checkpoint when one is due, and prunes
 * past the retention on its own timer.
 */
@Injectable()
export class AuditTrailConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private running = false;
  private loop?: Promise<void>;
  private readonly wakeSignal = new WakeSignal();
  private unlisten?: () => Promise<void>;
  private lastPrune = 0;
  private lastLag = 0;
  private readonly lag: Gauge<'projection'>;
  private readonly listeners: (() => void)[] = [];

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(AUDIT_CHECKPOINT_SIGNER) private readonly signer: ActiveKeySigner,
    @Inject(AUDIT_SETTINGS) private readonly settings: AuditSettings,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(METRICS) metrics: Registry,
    @Inject(TRACER) private readonly tracer: Tracer,
  ) {
    this.lag = projectionLagGauge(metrics);
  }

  /** Called after every round that chained records (the publisher wakes on it). */
  onRecords(listener: () => void): void {
    this.listeners.push(listener);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      this.unlisten = await this.db.listen(EVENTLOG_APPENDED_CHANNEL, () => this.wakeSignal.wake());
    } catch (err) {
      this.logger.warn({ err: errorText(err) }, 'audit: LISTEN unavailable, polling only');
    }
    this.loop = this.run();
  }

  // Before the platform closes the database (onApplicationShutdown).
  async onModuleDestroy(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wakeSignal.wake();
    await this.loop;
    await this.unlisten?.().catch(() => undefined);
  }

  /** Chains every event readAll shows now (tests, CLI). Returns how many it read. */
  async catchUp(): Promise<number> {
    let total = 0;
    for (;;) {
      const startedAt = Date.now();
      const n = await runAuditBatch(this.db, this.store, this.settings.batchSize, (events) =>
        this.traceRecorded(events, startedAt),
      );
      if (n === 0) break;
      total += n;
      // Between batches too: a long catch-up keeps the head within a batch of a due checkpoint (the integrity bound).
      await this.signCheckpoint().catch(() => null);
    }
    if (total > 0) this.listeners.forEach((l) => l());
    return total;
  }

  /** Signs a checkpoint of the head when due (or now, with `force`); null when none was needed or no key signs yet. */
  async signCheckpoint(force = false, now = new Date()): Promise<StoredCheckpoint | null> {
    const policy = { everyRecords: this.settings.checkpointEveryRecords, everyMs: this.settings.checkpointEveryMs };
    return signCheckpointIfDue(this.db, this.signer, policy, now, force);
  }

  /** Prunes records past the retention, keeping the chain verifiable from a signed checkpoint. */
  prune(now = new Date()): Promise<PruneResult> {
    return pruneAuditTrail(this.db, new Date(now.getTime() - this.settings.retentionMs));
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        await this.catchUp();
        await this.signCheckpoint().catch((err: unknown) =>
          // No active key yet (the schedule is still creating it): the next round signs.
          this.logger.warn({ err: errorText(err) }, 'audit: checkpoint not signed yet'),
        );
        await this.pruneWhenDue();
        await this.refreshLag();
        failures = 0;
      } catch (err) {
        failures++;
        this.logger.error({ err: errorText(err), failures }, 'audit: batch failed; retrying');
      }
      const backoff =
        failures === 0
          ? this.settings.pollIntervalMs
          : Math.min(MAX_BACKOFF_MS, this.settings.pollIntervalMs * 2 ** failures);
      await this.wakeSignal.sleep(backoff);
    }
  }

  /** Each event's trace continues into the audit trail (issue 7 §2): one span per record, spanning its batch. */
  private traceRecorded(events: readonly RecordedEvent[], startedAt: number): void {
    const items = events.map((e) => ({
      traceparent: e.metadata?.traceparent,
      attributes: { 'tessera.event.type': e.type, 'tessera.event.id': e.id },
    }));
    recordBatchSpans(this.tracer, 'audit record', items, startedAt);
  }

  private async pruneWhenDue(): Promise<void> {
    if (Date.now() - this.lastPrune < this.settings.pruneIntervalMs) return;
    this.lastPrune = Date.now();
    const result = await this.prune();
    if (result.deleted > 0) this.logger.info({ ...result }, 'audit: pruned records past retention');
  }

  private async refreshLag(): Promise<void> {
    if (Date.now() - this.lastLag < LAG_INTERVAL_MS) return;
    this.lastLag = Date.now();
    const head = await readChainHead(this.db);
    this.lag.set({ projection: LAG_LABEL }, await this.store.countAfter(head.cursor));
  }
}
