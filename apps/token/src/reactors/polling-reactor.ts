import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ConcurrencyError, type Database } from '@tessera/event-store';
import type { Logger } from '@tessera/telemetry';

/** How often the work list is read by default; a cascade takes effect within about this much after the runner folds it. */
const POLL_MS = 250;
const BATCH = 50;

/** What a PollingReactor works through. */
export interface WorkList {
  /** Names the reactor in log lines (`<name> failed; retrying`). */
  name: string;
  /** A projection table (`<schema>.<name>`) whose states flag `pending`. */
  table: string;
  db: Database;
  logger: Logger;
  pollMs?: number;
  batch?: number;
}

/**
 * Polls a work list the projection runner keeps and handles each pending row
 * (the reactor half of a cascade). Every replica may run one: handlers append
 * with expected versions, so a row is acted on once and a lost race is
 * decided again on the next round.
 */
export abstract class PollingReactor<Row> implements OnApplicationBootstrap, OnModuleDestroy {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;
  /** The last key of the previous round's batch: the next round starts after it (round-robin, so no row starves). */
  private after = '';

  constructor(private readonly work: WorkList) {}

  /** Handles one row; true when it appended. A ConcurrencyError (a lost race) is left to the next round. */
  protected abstract handle(row: Row): Promise<boolean>;

  /** What identifies a row in a log line. */
  protected abstract describe(row: Row): Record<string, unknown>;

  onApplicationBootstrap(): void {
    this.schedule();
  }

  // Before the platform closes the database (onApplicationShutdown).
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Handles every pending row once; returns how many cascades it appended (tests call it directly). */
  async runOnce(): Promise<number> {
    let appended = 0;
    for (const row of await this.pending()) {
      try {
        if (await this.handle(row)) appended++;
      } catch (err) {
        // A lost race: the next round decides on what the winner wrote.
        if (err instanceof ConcurrencyError) continue;
        this.work.logger.warn({ err, ...this.describe(row) }, `${this.work.name} failed; retrying`);
      }
    }
    return appended;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.runOnce()
        .catch((err: unknown) => this.work.logger.warn({ err }, `${this.work.name} round failed`))
        .then(() => this.schedule());
    }, this.work.pollMs ?? POLL_MS);
    this.timer.unref();
  }

  /**
   * The next batch of pending rows in key order after the previous batch,
   * wrapping to the start when the list is exhausted: rows that keep failing
   * or stay pending cannot hold the batch and starve later ones.
   */
  private async pending(): Promise<Row[]> {
    const batch = this.work.batch ?? BATCH;
    const rows = await this.work.db
      .query<{ key: string; state: Row }>(
        `SELECT key, state FROM ${this.work.table} WHERE state->>'pending' = 'true' AND key > $1 ORDER BY key LIMIT ${batch}`,
        [this.after],
      )
      .catch((err: { code?: string }) => {
        if (err.code === '42P01') return []; // the runner has not created the table yet
        throw err;
      });
    this.after = rows.length < batch ? '' : rows[rows.length - 1].key;
    return rows.map((r) => r.state);
  }
}
