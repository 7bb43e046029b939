import type { Sql } from './database';
import type { EventStore } from './event-store';
import type { AppendRequest, AppendResult, ExpectedVersion, LogCursor, NewEvent, RecordedEvent } from './events';

/** Options of the GroupCommitEventStore. */
export interface GroupCommitOptions {
  /** Most caller requests merged into one appendMany (default 500). */
  maxBatchRequests?: number;
}

interface Pending {
  requests: readonly AppendRequest[];
  resolve: (results: AppendResult[]) => void;
  reject: (err: unknown) => void;
}

const DEFAULT_MAX_BATCH_REQUESTS = 500;

/**
 * Group commit (issue 3 benchmark): appends that arrive while a batch is being
 * committed wait, then go together as ONE appendMany (one statement, one
 * commit, one WAL flush) instead of one commit each. No timer: an idle store
 * commits a lone append at once. Every caller is answered only after its
 * events are committed (durability unchanged, DESIGN §2).
 *
 * appendMany is all or nothing, so when a merged batch fails (a conflict, a
 * duplicate id, a bad request, anything) each caller's request is run again
 * on its own: every caller gets exactly the outcome it would have had alone,
 * and a conflict in one caller's request never fails another's. Appends
 * inside a caller's transaction (`tx`) and all reads bypass the queue.
 */
export class GroupCommitEventStore implements EventStore {
  private queue: Pending[] = [];
  private flushing = false;
  private readonly maxBatchRequests: number;

  constructor(
    private readonly inner: EventStore,
    opts: GroupCommitOptions = {},
  ) {
    this.maxBatchRequests = Math.max(1, opts.maxBatchRequests ?? DEFAULT_MAX_BATCH_REQUESTS);
  }

  async append(
    streamId: string,
    expectedVersion: ExpectedVersion,
    events: readonly NewEvent[],
    tx?: Sql,
  ): Promise<AppendResult> {
    const [result] = await this.appendMany([{ streamId, expectedVersion, events }], tx);
    return result;
  }

  appendMany(requests: readonly AppendRequest[], tx?: Sql): Promise<AppendResult[]> {
    if (tx) return this.inner.appendMany(requests, tx);
    if (requests.length === 0) return Promise.resolve([]);
    return new Promise<AppendResult[]>((resolve, reject) => {
      this.queue.push({ requests, resolve, reject });
      if (!this.flushing) void this.drain();
    });
  }

  readStream(streamId: string, fromVersion?: number, tx?: Sql): Promise<RecordedEvent[]> {
    return this.inner.readStream(streamId, fromVersion, tx);
  }

  readAll(cursor: LogCursor, limit: number, tx?: Sql): Promise<RecordedEvent[]> {
    return this.inner.readAll(cursor, limit, tx);
  }

  head(tx?: Sql): Promise<LogCursor> {
    return this.inner.head(tx);
  }

  countAfter(cursor: LogCursor, tx?: Sql): Promise<number> {
    return this.inner.countAfter(cursor, tx);
  }

  /** Commits queued batches one after another until the queue is empty; appends arriving meanwhile join the next. */
  private async drain(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        await this.flush(this.takeBatch());
      }
    } finally {
      this.flushing = false;
    }
  }

  /** The oldest callers, in arrival order, up to the cap (a caller's own requests are never split). */
  private takeBatch(): Pending[] {
    let taken = 0;
    let n = 0;
    while (n < this.queue.length && (n === 0 || taken + this.queue[n].requests.length <= this.maxBatchRequests)) {
      taken += this.queue[n].requests.length;
      n++;
    }
    return this.queue.splice(0, n);
  }

  private async flush(batch: Pending[]): Promise<void> {
    if (batch.length === 1) {
      await this.runAlone(batch[0]);
      return;
    }
    let results: AppendResult[];
    try {
      results = await this.inner.appendMany(batch.flatMap((p) => p.requests));
    } catch {
      // Nothing of the batch was appended: answer every caller from its own attempt.
      await this.runEachAlone(batch);
      return;
    }
    let offset = 0;
    for (const pending of batch) {
      pending.resolve(results.slice(offset, offset + pending.requests.length));
      offset += pending.requests.length;
    }
  }

  private async runAlone(pending: Pending): Promise<void> {
    try {
      pending.resolve(await this.inner.appendMany(pending.requests));
    } catch (err) {
      pending.reject(err);
    }
  }

  /**
   * Runs the callers' requests separately, concurrently where they write
   * different streams and in arrival order where they write one (a later
   * request may expect the version an earlier one produces). Guards (requests
   * without events) order nothing: callers that only guard a shared stream
   * (every token request guards its scopes) still run concurrently.
   */
  private async runEachAlone(batch: Pending[]): Promise<void> {
    const lastOnStream = new Map<string, Promise<void>>();
    const runs = batch.map((pending) => {
      const streams = [...new Set(pending.requests.filter((r) => r.events.length > 0).map((r) => r.streamId))];
      const before = streams.map((s) => lastOnStream.get(s)).filter((p): p is Promise<void> => p !== undefined);
      const run = Promise.all(before).then(() => this.runAlone(pending));
      for (const s of streams) lastOnStream.set(s, run);
      return run;
    });
    await Promise.all(runs);
  }
}
