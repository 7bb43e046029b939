import { Client, Pool, type ClientConfig, type PoolClient, type QueryResult, types as pgTypes } from 'pg';
import type { Database, Session, Sql } from './database';
import { APPEND_SQL, READ_ALL_SQL, READ_STREAM_SQL } from './event-store.sql';
import { parseInt8 } from './int8';

/** Options of PgDatabase. */
export interface PgDatabaseOptions {
  connectionString: string;
  /** Pool size (default 10). */
  max?: number;
  applicationName?: string;
  /** Called with errors of idle pooled clients and of LISTEN connections (which reconnect). */
  onError?: (err: Error) => void;
}

const INT8_OID = 20;

/**
 * int8 as a number when exact (a bigint otherwise), like PGlite, so both
 * adapters return the same JS types; xid8 stays a decimal string on both.
 * Per pool, so other `pg` users in the process keep pg's defaults.
 */
const typeParsers: ClientConfig['types'] = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? parseInt8
      : pgTypes.getTypeParser(oid, format)) as typeof pgTypes.getTypeParser,
};

/**
 * The event store's hot statements run as named prepared statements: parsed
 * and planned once per connection instead of on every append and read (the
 * read-all plan alone cost as much as running it). Static texts only, so the
 * per-connection set stays this small.
 */
const PREPARED = new Map<string, string>([
  [APPEND_SQL, 'tessera_append_events'],
  [READ_ALL_SQL, 'tessera_read_all'],
  [READ_STREAM_SQL, 'tessera_read_stream'],
]);

/** pg's query config: named (prepared) when the text is one of PREPARED and has parameters. */
function statement(text: string, params?: readonly unknown[]) {
  const values = params as unknown[] | undefined;
  const name = values ? PREPARED.get(text) : undefined;
  return name ? { name, text, values } : { text, values };
}

/** The `Database` port on PostgreSQL through a `pg` pool (distributed mode). */
export class PgDatabase implements Database {
  readonly dialect = 'postgres' as const;
  private readonly pool: Pool;
  private readonly listeners = new Set<() => Promise<void>>();
  private readonly config: ClientConfig;

  constructor(private readonly opts: PgDatabaseOptions) {
    this.config = {
      connectionString: opts.connectionString,
      application_name: opts.applicationName ?? 'tessera',
      types: typeParsers,
    };
    this.pool = new Pool({ ...this.config, max: opts.max ?? 10 });
    // An idle client that loses its connection must not crash the process; the pool replaces it.
    this.pool.on('error', (err) => this.opts.onError?.(err));
  }

  async query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<R[]> {
    return rowsOf<R>(await this.pool.query(statement(text, params)));
  }

  async transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    const client = await this.checkout();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const tx: Sql = { query: (text, params) => clientQuery(client, text, params) };
      try {
        const result = await fn(tx);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch((rollbackErr: Error) => (broken = rollbackErr));
        throw err;
      }
    } finally {
      // A client whose ROLLBACK failed is in an unknown state: destroy it rather than pool it.
      client.giveBack(broken);
    }
  }

  async session(): Promise<Session> {
    const client = await this.checkout();
    let released = false;
    return {
      query: (text, params) => clientQuery(client, text, params),
      release: async () => {
        if (released) return;
        released = true;
        // Destroyed, not pooled: session advisory locks and LISTENs end with the connection.
        client.giveBack(true);
      },
    };
  }

  /**
   * A pooled client with an 'error' listener while it is checked out: pg's
   * pool only listens on idle clients, and a lost connection (a terminated
   * backend, a restart) would otherwise be an unhandled 'error' event that
   * kills the process. The query in flight still rejects with the error.
   */
  private async checkout(): Promise<PoolClient & { giveBack(err?: Error | boolean): void }> {
    const client = await this.pool.connect();
    let lost: Error | undefined;
    const onError = (err: Error) => {
      lost = err;
      this.opts.onError?.(err);
    };
    client.on('error', onError);
    return Object.assign(client, {
      giveBack: (err?: Error | boolean) => {
        client.off('error', onError);
        client.release(err ?? lost);
      },
    });
  }

  async listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    const listener = new PgListener(this.config, channel, onNotify, (err) => this.opts.onError?.(err));
    await listener.start();
    const stop = async () => {
      this.listeners.delete(stop);
      await listener.stop();
    };
    this.listeners.add(stop);
    return stop;
  }

  async close(): Promise<void> {
    await Promise.all([...this.listeners].map((stop) => stop()));
    await this.pool.end();
  }
}

/**
 * LISTEN on its own connection, outside the pool. After a lost connection it
 * reconnects with backoff and calls `onNotify('')` once, since notifications
 * sent meanwhile are lost and the listener must look for itself.
 */
class PgListener {
  private client?: Client;
  private stopped = false;
  private retryTimer?: NodeJS.Timeout;

  constructor(
    private readonly config: ClientConfig,
    private readonly channel: string,
    private readonly onNotify: (payload: string) => void,
    private readonly onError: (err: Error) => void,
  ) {}

  async start(): Promise<void> {
    const client = new Client(this.config);
    client.on('notification', (msg) => {
      if (msg.channel === this.channel) this.onNotify(msg.payload ?? '');
    });
    client.on('error', (err) => {
      this.onError(err);
      this.lost(client);
    });
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${quoteIdent(this.channel)}`);
    } catch (err) {
      client.end().catch(() => undefined);
      throw err;
    }
    if (this.stopped) await client.end().catch(() => undefined);
    else this.client = client;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private lost(client: Client): void {
    if (this.stopped || this.client !== client) return;
    this.client = undefined;
    client.end().catch(() => undefined);
    this.retry(500);
  }

  private retry(delayMs: number): void {
    this.retryTimer = setTimeout(() => {
      if (this.stopped) return;
      this.start().then(
        () => this.onNotify(''),
        (err: Error) => {
          this.onError(err);
          this.retry(Math.min(delayMs * 2, 10_000));
        },
      );
    }, delayMs);
    this.retryTimer.unref();
  }
}

async function clientQuery<R>(client: PoolClient, text: string, params?: readonly unknown[]): Promise<R[]> {
  return rowsOf<R>(await client.query(statement(text, params)));
}

// Without parameters pg uses the simple protocol, which allows several statements (migrations): the last one's rows.
function rowsOf<R>(result: QueryResult | QueryResult[]): R[] {
  const last = Array.isArray(result) ? result[result.length - 1] : result;
  return (last?.rows ?? []) as R[];
}

/** Double-quotes an SQL identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
