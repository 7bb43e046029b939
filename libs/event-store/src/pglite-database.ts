import { AsyncLocalStorage } from 'node:async_hooks';
import { resolve } from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { Database, Session, Sql } from './database';

interface TxState {
  open: boolean;
}

interface Shared {
  db: Promise<PgliteDatabase>;
  refs: number;
}

// One PGlite per data directory per process: two instances on one directory corrupt it (STACK: PGlite).
const shared = new Map<string, Shared>();

/**
 * The `Database` port on PGlite (standalone mode). PGlite is one connection:
 * its own `transaction()` and `query()` share one mutex, so a query from
 * elsewhere waits while a transaction runs instead of running inside it, and
 * transactions run one at a time. A query or transaction started from inside
 * a running transaction's callback would wait for that transaction forever;
 * it is rejected instead (use the `tx` argument).
 */
export class PgliteDatabase implements Database {
  readonly dialect = 'pglite' as const;
  private readonly txContext = new AsyncLocalStorage<TxState>();
  private refs = 1;

  private constructor(
    private readonly pg: PGlite,
    private readonly key?: string,
  ) {}

  /** Opens (or shares, per directory) a PGlite database; `'memory'` is a fresh in-memory one each time. */
  static async open(dataDir: string | 'memory'): Promise<PgliteDatabase> {
    if (dataDir === 'memory') return new PgliteDatabase(await PGlite.create());
    const key = resolve(dataDir);
    const existing = shared.get(key);
    if (existing) {
      const db = await existing.db;
      db.refs++;
      return db;
    }
    const entry: Shared = { db: PGlite.create(key).then((pg) => new PgliteDatabase(pg, key)), refs: 1 };
    shared.set(key, entry);
    entry.db.catch(() => shared.delete(key));
    return entry.db;
  }

  /** The underlying PGlite instance (for tools and tests). */
  get pglite(): PGlite {
    return this.pg;
  }

  async query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<R[]> {
    this.refuseInsideTransaction('query');
    return run<R>(this.pg, text, params);
  }

  async transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    this.refuseInsideTransaction('transaction');
    // PGlite's transaction(): BEGIN, COMMIT when fn resolves, ROLLBACK when it throws, under the shared mutex.
    return this.pg.transaction(async (t) => {
      const state: TxState = { open: true };
      try {
        return await this.txContext.run(state, () => fn({ query: (text, params) => run(t, text, params) }));
      } finally {
        state.open = false;
      }
    });
  }

  /** PGlite has one connection, so every session is that one: session advisory locks always succeed here. */
  async session(): Promise<Session> {
    return { query: (text, params) => this.query(text, params), release: async () => undefined };
  }

  async listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    // Delivered outside any transaction's async context and after PGlite is done with the statement.
    const unlisten = await this.pg.listen(channel, (payload) =>
      setImmediate(() => this.txContext.exit(() => onNotify(payload ?? ''))),
    );
    return async () => {
      await unlisten();
    };
  }

  async close(): Promise<void> {
    if (--this.refs > 0) return;
    if (this.key) shared.delete(this.key);
    if (!this.pg.closed) await this.pg.close();
  }

  private refuseInsideTransaction(what: string): void {
    if (this.txContext.getStore()?.open) {
      throw new Error(
        `PgliteDatabase.${what}() called inside a running transaction: PGlite has one connection, ` +
          'so it would wait for that transaction forever. Pass the transaction (tx) instead.',
      );
    }
  }
}

type Runner = Pick<PGlite, 'query' | 'exec'> | Pick<Transaction, 'query' | 'exec'>;

// Without parameters the simple protocol runs several statements (migrations), as pg does: the last one's rows.
async function run<R>(runner: Runner, text: string, params?: readonly unknown[]): Promise<R[]> {
  if (!params || params.length === 0) {
    const results = await runner.exec(text);
    return (results[results.length - 1]?.rows ?? []) as R[];
  }
  return (await runner.query<R>(text, params as unknown[])).rows;
}
