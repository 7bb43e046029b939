/** A parameterised SQL statement runner; rows come back as plain objects. */
export interface Sql {
  /** Runs one statement with `$1…$n` parameters and returns its rows. */
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<R[]>;
}

/** A connection held for a while: session-level advisory locks, LISTEN. */
export interface Session extends Sql {
  /** Returns the connection to the pool (or closes it); session locks are released. */
  release(): Promise<void>;
}

/**
 * The port every store, relay and projection talks to. Two adapters:
 * PostgreSQL through `pg` (distributed mode) and PGlite (standalone mode).
 */
export interface Database extends Sql {
  readonly dialect: 'postgres' | 'pglite';
  /** Runs `fn` in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  /** A dedicated connection (PGlite has only one; its session is shared). */
  session(): Promise<Session>;
  /** LISTEN on a channel; returns the function that stops listening. */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
