import { join } from 'node:path';
import {
  type Database,
  type EventStore,
  GroupCommitEventStore,
  type Migration,
  migrationPlan,
  PgDatabase,
  PgliteDatabase,
  runMigrations,
  SqlEventStore,
} from '@tessera/event-store';
import { InProcessBus, KafkaBus, type MessageBus, Relay, topicNames, type TopicSpec } from '@tessera/messaging';
import { type Projection, ProjectionRunner } from '@tessera/projections';
import type { Tracer } from '@opentelemetry/api';
import type { Logger } from '@tessera/telemetry';
import type { Registry } from 'prom-client';
import type { ServiceConfig, StandaloneConfig, TopicConfig } from '../config';
import { MEMORY_DATA_DIR } from '../config';
import { advisory, type CheckResult, MAX_READY_PROJECTION_LAG, projectionChecks, runCheck } from '../health/readiness';
import { TraceStampingEventStore } from './trace-stamping.event-store';

/** What a serving process runs on: its ports' adapters, the relay candidate and its projections. */
export interface PlatformRuntimeOptions {
  config: ServiceConfig | StandaloneConfig;
  logger: Logger;
  metrics: Registry;
  /** This service's tracer: relay and consumer spans (default: none recorded). */
  tracer?: Tracer;
  projections?: readonly Projection[];
  /** The service's own schema migrations (`<service>/NNNN_…`), applied after the event log's. */
  migrations?: readonly Migration[];
}

const CHECK_TIMEOUT_MS = 3000;
/**
 * Least time between two reads of the log by the identity-events relay and by the projection runner
 * once caught up (their default is 5 ms, kept by the latency-bound revocations relay).
 */
const BULK_READ_INTERVAL_MS = 20;

/** The topics of DESIGN §3 under the configured prefix, with partitions and retention. */
export function topicSpecs(topics: TopicConfig): TopicSpec[] {
  return Object.values(topicNames(topics.prefix)).map((name) => ({
    name,
    partitions: topics.partitions,
    retentionMs: topics.retentionMs,
  }));
}

/** Where the standalone embedded database lives (shared by `tessera migrate`). */
export function pgliteLocation(dataDir: string): string {
  return dataDir === MEMORY_DATA_DIR ? MEMORY_DATA_DIR : join(dataDir, 'pglite');
}

/**
 * Owns the process's infrastructure: database, event store, bus, relay and
 * projection runner (DESIGN §6: the same code paths in both modes, only the
 * adapters differ). Created by `PlatformModule`, started on bootstrap,
 * stopped on shutdown.
 */
export class PlatformRuntime {
  private started = false;
  private startError: string | undefined;

  private constructor(
    readonly db: Database,
    readonly store: EventStore,
    readonly bus: MessageBus,
    readonly relay: Relay,
    readonly projections: ProjectionRunner,
    private readonly logger: Logger,
    private readonly expectedMigrations: readonly string[],
  ) {}

  /** Opens the adapters; in standalone mode also migrates the schema and creates the topics. */
  static async create(opts: PlatformRuntimeOptions): Promise<PlatformRuntime> {
    const { config, logger, metrics, tracer } = opts;
    const topics = topicNames(config.topics.prefix);
    const standalone = config.mode === 'standalone';
    const db: Database = standalone
      ? await PgliteDatabase.open(pgliteLocation(config.dataDir))
      : new PgDatabase({ connectionString: config.databaseUrl.reveal(), applicationName: config.kind });
    let bus: MessageBus;
    if (standalone) {
      // The standalone process is its own deploy step (DESIGN §6); distributed services leave it to `tessera migrate`.
      const applied = await runMigrations(db, {
        migrations: opts.migrations,
        log: (msg) => logger.info({ migration: msg }, 'migration'),
      });
      if (applied.length > 0) logger.info({ applied }, 'schema migrated');
      bus = new InProcessBus({ tracer });
      await bus.ensureTopics(topicSpecs(config.topics));
    } else {
      bus = new KafkaBus({ brokers: config.kafkaBrokers, clientId: `tessera-${config.kind}`, logger, tracer });
    }
    // Group commit: concurrent appends share one statement and one commit (issue 3 benchmark); each caller
    // still returns only once its events are committed. Appends carry the active span's traceparent (DESIGN §2).
    const store = new TraceStampingEventStore(new GroupCommitEventStore(new SqlEventStore(db)));
    // Every process is a relay candidate; the advisory lock keeps one active (DESIGN §3).
    // The whole log to Kafka and the read models tolerate a few ms more delay (every read model is
    // read-through or exact by its own stream; revocations take the 5 ms revocation relay, DESIGN §3):
    // reads spaced by 20 ms instead of 5 carry ~4× more events each, a quarter of the reads and produce
    // requests (issue 6 benchmark).
    const relay = new Relay({
      db,
      store,
      bus,
      topic: topics.identityEvents,
      minReadIntervalMs: BULK_READ_INTERVAL_MS,
      logger,
      metrics,
      tracer,
    });
    const runner = new ProjectionRunner({
      db,
      store,
      projections: [...(opts.projections ?? [])],
      minReadIntervalMs: BULK_READ_INTERVAL_MS,
      bus,
      // Wake-ups: NOTIFY (eventlog_appended) in both modes. The bus adds one only in standalone, where it
      // is in-process; over Kafka it meant consuming and parsing every event of the log in every service
      // just to learn what NOTIFY already said (issue 3 benchmark). Without LISTEN the runner polls.
      identityEventsTopic: standalone ? topics.identityEvents : undefined,
      deadLetterTopic: topics.deadLetters,
      groupId: `tessera-${config.kind}-projections`,
      logger,
      metrics,
      tracer,
    });
    // Readiness waits for the service's own migrations too (distributed: applied by `tessera migrate`).
    const expected = migrationPlan(opts.migrations).map((m) => m.id);
    return new PlatformRuntime(db, store, bus, relay, runner, logger, expected);
  }

  /**
   * Starts the relay and the projections. A failure here is logged and shown
   * by readiness instead of killing the process, so that a service started
   * before `tessera migrate` recovers by restart without crash loops.
   */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    try {
      await this.relay.start();
      await this.projections.start();
    } catch (err) {
      this.startError = (err as Error).message?.split('\n')[0] ?? 'start failed';
      this.logger.error({ err }, 'platform start failed');
    }
  }

  /** Stops in reverse order of dependency: consumers, relay, bus, database. */
  async stop(): Promise<void> {
    const steps: [string, () => Promise<void>][] = [
      ['projections', () => this.projections.stop()],
      ['relay', () => this.relay.stop()],
      ['bus', () => this.bus.close()],
      ['database', () => this.db.close()],
    ];
    for (const [name, step] of steps) {
      try {
        await step();
      } catch (err) {
        this.logger.warn({ err, component: name }, 'error while stopping');
      }
    }
  }

  /**
   * The readiness checks of DESIGN §1: database and schema, bus, projection
   * health and lag. The bus is advisory: Kafka down delays delivery, never
   * fails an append (DESIGN §3), so it must not take every replica out of service.
   */
  async readiness(): Promise<CheckResult[]> {
    const results = await Promise.all([
      runCheck('database', () => this.checkDatabase(), CHECK_TIMEOUT_MS),
      runCheck('bus', () => this.bus.isHealthy(), CHECK_TIMEOUT_MS).then(advisory),
      runCheck(
        'projections',
        async () => {
          const statuses = await this.projections.status();
          if (statuses.length === 0) return { name: 'projections', ok: true };
          return projectionChecks(statuses, MAX_READY_PROJECTION_LAG);
        },
        CHECK_TIMEOUT_MS,
      ),
    ]);
    const checks = results.flat();
    if (this.startError) checks.push({ name: 'startup', ok: false, detail: this.startError });
    return checks;
  }

  private async checkDatabase(): Promise<CheckResult> {
    await this.db.query('SELECT 1');
    const rows = await this.db
      .query<{ id: string }>('SELECT id FROM eventlog.schema_migrations')
      .catch((err: { code?: string }) => {
        // 42P01 undefined_table, 3F000 invalid_schema_name: never migrated.
        if (err.code === '42P01' || err.code === '3F000') return null;
        throw err;
      });
    if (rows === null) return { name: 'database', ok: false, detail: 'schema not migrated: run `tessera migrate`' };
    const applied = new Set(rows.map((r) => r.id));
    const missing = this.expectedMigrations.filter((id) => !applied.has(id));
    if (missing.length > 0) {
      return { name: 'database', ok: false, detail: `migrations not applied: ${missing.join(', ')}` };
    }
    return { name: 'database', ok: true };
  }
}
