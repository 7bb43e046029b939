import { LOG_START, type EventStore, type LogCursor, type Sql } from '@tessera/event-store';
import { readCheckpoint } from './checkpoint';
import type { Projection } from './projection';
import { ident, isUndefinedTable } from './projection-sql';

/** Where a projection stands: for the CLI, readiness and metrics (DESIGN §4). */
export interface ProjectionStatus {
  name: string;
  schema: string;
  /** The version the stored read model was built with (the code's when never built). */
  version: number;
  cursor: LogCursor;
  /** Events in the log after the cursor. */
  lag: number;
  /** False after a poison event (until a rebuild clears it), before the first start, or while a rebuild is due. */
  healthy: boolean;
  error?: string;
}

/** The status of each projection, read from its checkpoint row and the log. */
export async function projectionStatus(
  db: Sql,
  store: EventStore,
  projections: readonly Projection<unknown>[],
): Promise<ProjectionStatus[]> {
  const out: ProjectionStatus[] = [];
  for (const p of projections) {
    let checkpoint = null;
    try {
      checkpoint = await readCheckpoint(db, p);
    } catch (err) {
      if (!isUndefinedTable(err)) throw err;
    }
    if (!checkpoint) {
      out.push({
        name: p.name,
        schema: p.schema,
        version: p.version,
        cursor: LOG_START,
        lag: await store.countAfter(LOG_START),
        healthy: false,
        error: 'not started: no checkpoint yet',
      });
      continue;
    }
    const versionDue = checkpoint.version !== p.version;
    const error =
      checkpoint.error ??
      (versionDue ? `rebuild due: stored version ${checkpoint.version}, code version ${p.version}` : undefined);
    out.push({
      name: p.name,
      schema: p.schema,
      version: checkpoint.version,
      cursor: checkpoint.cursor,
      lag: await store.countAfter(checkpoint.cursor),
      healthy: checkpoint.status === 'ok' && !versionDue,
      ...(error ? { error } : {}),
    });
  }
  return out;
}

/** A checkpoint found in the database, whether or not this process knows the projection's code. */
export interface StoredProjectionStatus extends ProjectionStatus {
  /** `ok` or `degraded`, as stored. */
  status: string;
}

/**
 * The status of every projection that has a checkpoint in any schema of the
 * database (for `tessera projections status`, which may not load every
 * service's code). Healthy means stored status `ok`; versions are not compared.
 */
export async function storedProjectionStatus(db: Sql, store: EventStore): Promise<StoredProjectionStatus[]> {
  const schemas = await db.query<{ schema: string }>(
    `SELECT table_schema AS schema FROM information_schema.tables WHERE table_name = 'projection_checkpoints' ` +
      `ORDER BY table_schema`,
  );
  const out: StoredProjectionStatus[] = [];
  for (const { schema } of schemas) {
    const rows = await db.query<{
      name: string;
      version: number;
      transaction_id: string;
      position: string | number;
      status: string;
      error: string | null;
    }>(
      `SELECT name, version, transaction_id::text AS transaction_id, position, status, error ` +
        `FROM ${ident(schema)}.projection_checkpoints ORDER BY name`,
    );
    for (const row of rows) {
      const cursor = { transactionId: String(row.transaction_id), position: Number(row.position) };
      out.push({
        name: row.name,
        schema,
        version: Number(row.version),
        cursor,
        lag: await store.countAfter(cursor),
        healthy: row.status === 'ok',
        status: row.status,
        ...(row.error ? { error: row.error } : {}),
      });
    }
  }
  return out;
}
