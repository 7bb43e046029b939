import {
  PgDatabase,
  runMigrations,
  SqlEventStore,
  type AppendRequest,
  type Database,
  type EventStore,
} from '@tessera/event-store';
import { createTestDatabase, type TestDatabase } from '../../../test/support/infra';
import { AccountEvents, accountStream, type AccountState } from './accounts.projection';

/** A fresh migrated PostgreSQL database with its store, for one test file. */
export interface PgEnv {
  testDb: TestDatabase;
  db: PgDatabase;
  store: SqlEventStore;
  /** Another pool on the same database, e.g. for a second runner or a killer connection. */
  newPool(applicationName: string): PgDatabase;
  close(): Promise<void>;
}

/** Creates and migrates a throw-away database. */
export async function pgEnv(): Promise<PgEnv> {
  const testDb = await createTestDatabase('tessera_proj');
  const pools: PgDatabase[] = [];
  const newPool = (applicationName: string) => {
    const pool = new PgDatabase({ connectionString: testDb.url, applicationName, max: 4 });
    pools.push(pool);
    return pool;
  };
  const db = newPool('projection-tests');
  await runMigrations(db);
  return {
    testDb,
    db,
    store: new SqlEventStore(db),
    newPool,
    async close() {
      for (const p of pools) await p.close().catch(() => undefined);
      await testDb.drop();
    },
  };
}

/** A deterministic workload over `accounts` accounts: opens, then deposits 1..n (and optional closes). */
export class AccountWorkload {
  private next = 0;
  constructor(
    private readonly store: EventStore,
    private readonly accounts: number,
    private readonly prefix = 'acc',
  ) {}

  /** Opens every account (one append transaction). */
  async open(): Promise<void> {
    const requests: AppendRequest[] = [];
    for (let i = 0; i < this.accounts; i++) {
      requests.push({
        streamId: accountStream(`${this.prefix}${i}`),
        expectedVersion: 0,
        events: [{ type: AccountEvents.opened, data: { owner: `owner${i % 7}` } }],
      });
    }
    await this.store.appendMany(requests);
  }

  /** Appends `n` deposits spread over the accounts, `perTx` per transaction. */
  async deposit(n: number, perTx = 50): Promise<void> {
    for (let done = 0; done < n; done += perTx) {
      const requests: AppendRequest[] = [];
      for (let i = 0; i < Math.min(perTx, n - done); i++) {
        const k = this.next++;
        requests.push({
          streamId: accountStream(`${this.prefix}${(k * 7919) % this.accounts}`),
          expectedVersion: 'any',
          events: [{ type: AccountEvents.deposited, data: { amount: (k % 97) + 1 } }],
        });
      }
      await this.store.appendMany(requests);
    }
  }
}

/**
 * The expected read model computed by SQL straight from the log, independently
 * of the projection code: a double-applied event shows in count and balance.
 * Closed accounts are absent. `excludeEventIds` leaves out dead-lettered events.
 */
export async function expectedAccounts(
  db: Database,
  builtBy = 1,
  excludeEventIds: string[] = [],
): Promise<Map<string, AccountState>> {
  const rows = await db.query<{ key: string; owner: string; count: number; balance: number; closed: boolean }>(
    `SELECT substr(stream_id, 9) AS key, max(data->>'owner') AS owner,
            count(*) FILTER (WHERE type <> 'account.closed')::int AS count,
            coalesce(sum((data->>'amount')::int), 0)::int AS balance,
            bool_or(type = 'account.closed') AS closed
       FROM eventlog.events
      WHERE stream_id LIKE 'account-%' AND NOT (event_id = ANY($1::uuid[]))
      GROUP BY stream_id`,
    [excludeEventIds],
  );
  const out = new Map<string, AccountState>();
  for (const r of rows) {
    if (!r.closed) out.set(r.key, { owner: r.owner, balance: Number(r.balance), count: Number(r.count), builtBy });
  }
  return out;
}

/** Every row of a projection table, as a map. */
export async function tableRows(db: Database, table: string): Promise<Map<string, AccountState>> {
  const rows = await db.query<{ key: string; state: AccountState }>(`SELECT key, state FROM ${table}`);
  return new Map(rows.map((r) => [r.key, r.state]));
}

/** Polls `fn` until it returns true or `timeoutMs` passes. */
export async function waitFor(fn: () => Promise<boolean>, timeoutMs = 10_000, stepMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

/** Sorted entries, for readable deep-equality failures. */
export function sorted<T>(m: Map<string, T>): [string, T][] {
  return [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Waits until readAll can see every committed event. PostgreSQL's snapshot
 * xmin is cluster-wide: a transaction held open by another test file (even
 * in another database) hides newer events from every log reader until it ends.
 */
export async function settle(env: Pick<PgEnv, 'db' | 'store'>, timeoutMs = 60_000): Promise<void> {
  const [{ last }] = await env.db.query<{ last: string | null }>(
    'SELECT max(position)::text AS last FROM eventlog.events',
  );
  if (last === null) return;
  await waitFor(
    async () => {
      const n = await env.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM eventlog.events
        WHERE position <= $1::bigint AND transaction_id >= pg_snapshot_xmin(pg_current_snapshot())`,
        [last],
      );
      return n[0].n === 0;
    },
    timeoutMs,
    50,
  );
}
