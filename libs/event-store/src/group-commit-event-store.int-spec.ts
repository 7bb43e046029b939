import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../../../test/support/infra';
import type { Database } from './database';
import { ConcurrencyError, DuplicateEventError } from './errors';
import type { AppendResult } from './events';
import { GroupCommitEventStore } from './group-commit-event-store';
import { runMigrations } from './migrations/migration-runner';
import { PgDatabase } from './pg-database';
import { PgliteDatabase } from './pglite-database';
import { SqlEventStore } from './sql-event-store';

const ev = (n: number, id?: string) => ({ ...(id ? { id } : {}), type: 'thing.happened', data: { n } });

async function countEvents(db: Database, streamPrefix: string): Promise<number> {
  const [row] = await db.query<{ n: unknown }>(`SELECT count(*) AS n FROM eventlog.events WHERE stream_id LIKE $1`, [
    `${streamPrefix}%`,
  ]);
  return Number(row.n);
}

function describeGroupCommit(adapter: string, open: () => Promise<{ db: Database; close: () => Promise<void> }>) {
  describe(`GroupCommitEventStore on ${adapter}`, () => {
    let db: Database;
    let close: () => Promise<void>;
    let inner: SqlEventStore;
    let store: GroupCommitEventStore;
    let innerCalls: number;

    beforeAll(async () => {
      ({ db, close } = await open());
      await runMigrations(db);
      inner = new SqlEventStore(db);
      const appendMany = inner.appendMany.bind(inner);
      inner.appendMany = (requests, tx) => {
        innerCalls++;
        return appendMany(requests, tx);
      };
      store = new GroupCommitEventStore(inner);
    });
    afterAll(() => close());
    beforeEach(() => (innerCalls = 0));

    it('merges 300 concurrent appends into a few statements; every caller gets its own stream result', async () => {
      const results = await Promise.all(
        Array.from({ length: 300 }, (_, i) => store.append(`merge-${i}`, 0, [ev(i), ev(i + 1000)])),
      );
      expect(innerCalls).toBeLessThanOrEqual(3);
      results.forEach((r, i) => {
        expect(r.streamId).toBe(`merge-${i}`);
        expect(r.nextExpectedVersion).toBe(2);
        expect(r.positions).toHaveLength(2);
      });
      // positions are this caller's own rows
      const stream = await store.readStream('merge-42');
      expect(stream.map((e) => e.position)).toEqual(results[42].positions);
      expect(stream.map((e) => e.data)).toEqual([{ n: 42 }, { n: 1042 }]);
      expect(await countEvents(db, 'merge-')).toBe(600);
    });

    it('guards (requests without events) of 100 callers on one stream merge; a stale guard fails alone', async () => {
      await store.append('guarded', 0, [ev(1), ev(2)]);
      const calls = Array.from({ length: 100 }, (_, i) =>
        store.appendMany([
          { streamId: `guarded-by-${i}`, expectedVersion: 0, events: [ev(i)] },
          // caller 50 decided on version 1 of the guarded stream, which has moved on
          { streamId: 'guarded', expectedVersion: i === 50 ? 1 : 2, events: [] },
        ]),
      );
      const outcomes = await Promise.allSettled(calls);
      outcomes.forEach((o, i) => {
        if (i === 50) {
          expect(o.status).toBe('rejected');
          expect((o as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrencyError);
        } else {
          expect(o.status).toBe('fulfilled');
          const [own, guard] = (o as PromiseFulfilledResult<AppendResult[]>).value;
          expect(own.positions).toHaveLength(1);
          expect(guard).toEqual({ streamId: 'guarded', nextExpectedVersion: 2, positions: [] });
        }
      });
      expect(await countEvents(db, 'guarded-by-')).toBe(99);
      expect(await store.readStream('guarded')).toHaveLength(2); // a guard appends nothing

      innerCalls = 0;
      const fresh = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          store.appendMany([
            { streamId: `guarded-again-${i}`, expectedVersion: 0, events: [ev(i)] },
            { streamId: 'guarded', expectedVersion: 2, events: [] },
          ]),
        ),
      );
      expect(fresh.map(([, guard]) => guard.nextExpectedVersion)).toEqual(Array(100).fill(2));
      expect(innerCalls).toBeLessThanOrEqual(3); // merged into a few batches (planAppend keeps the guards in one chunk)
    });

    it('with conflicts mixed in, each caller gets exactly its own outcome and nothing is appended twice', async () => {
      await store.append('conf-pre', 0, [ev(1), ev(2)]);
      const knownId = randomUUID();
      const known = await store.append('conf-idem', 0, [ev(7, knownId)]);
      innerCalls = 0;

      const calls: Promise<AppendResult | AppendResult[]>[] = [];
      const kinds: string[] = [];
      const add = (kind: string, p: Promise<AppendResult | AppendResult[]>) => {
        kinds.push(kind);
        calls.push(p);
      };
      for (let i = 0; i < 200; i++) {
        add('own', store.append(`conf-own-${i}`, 0, [ev(i)]));
        if (i % 10 === 0) add('shared', store.append('conf-shared', 0, [ev(i)])); // 20 racers, one wins
        if (i === 50) add('stale', store.append('conf-pre', 1, [ev(3)])); // the stream is at 2
        if (i === 80) add('reappend', store.append('conf-idem', 0, [ev(7, knownId)])); // idempotent
        if (i === 120) add('dup', store.append('conf-dup', 0, [ev(8, knownId)])); // id reused elsewhere
        if (i === 150)
          add(
            'many',
            store.appendMany(
              [0, 1, 2].map((k) => ({ streamId: `conf-many-${k}`, expectedVersion: 0, events: [ev(k)] })),
            ),
          );
      }
      const settled = await Promise.allSettled(calls);

      const outcome = (kind: string) => settled.filter((_, i) => kinds[i] === kind);
      for (const [i, s] of outcome('own').entries()) {
        expect(s.status).toBe('fulfilled');
        const r = (s as PromiseFulfilledResult<AppendResult>).value;
        expect(r).toEqual(expect.objectContaining({ streamId: `conf-own-${i}`, nextExpectedVersion: 1 }));
      }
      const shared = outcome('shared');
      expect(shared.filter((s) => s.status === 'fulfilled')).toHaveLength(1);
      for (const s of shared.filter((x) => x.status === 'rejected')) {
        expect((s as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrencyError);
      }
      const [stale] = outcome('stale');
      expect((stale as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrencyError);
      expect((stale as PromiseRejectedResult).reason.actualVersion).toBe(2);
      const [reappend] = outcome('reappend');
      expect(reappend).toEqual({ status: 'fulfilled', value: known });
      const [dup] = outcome('dup');
      expect((dup as PromiseRejectedResult).reason).toBeInstanceOf(DuplicateEventError);
      const [many] = outcome('many');
      expect((many as PromiseFulfilledResult<AppendResult[]>).value.map((r) => r.streamId)).toEqual([
        'conf-many-0',
        'conf-many-1',
        'conf-many-2',
      ]);

      // the log: every success once, no failure at all
      expect(await countEvents(db, 'conf-own-')).toBe(200);
      expect(await countEvents(db, 'conf-shared')).toBe(1);
      expect((await store.readStream('conf-pre')).map((e) => e.streamVersion)).toEqual([1, 2]);
      expect(await store.readStream('conf-idem')).toHaveLength(1);
      expect(await store.readStream('conf-dup')).toHaveLength(0);
      expect(await countEvents(db, 'conf-many-')).toBe(3);
    });
  });
}

describeGroupCommit('PostgreSQL', async () => {
  const testDb: TestDatabase = await createTestDatabase('tessera_gc');
  const db = new PgDatabase({ connectionString: testDb.url, max: 10, applicationName: 'group-commit-int-spec' });
  return {
    db,
    close: async () => {
      await db.close();
      await testDb.drop();
    },
  };
});

// PGlite serialises every statement anyway; group commit must still answer each caller correctly.
describeGroupCommit('PGlite', async () => {
  const db = await PgliteDatabase.open('memory');
  return { db, close: () => db.close() };
});
