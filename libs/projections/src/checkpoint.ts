import { LOG_START, type LogCursor, type Sql } from '@tessera/event-store';
import type { Projection } from './projection';
import { tablesOf } from './projection-sql';

/** `ok`, or `degraded` after a poison event until a rebuild clears it (DESIGN §3). */
export type ProjectionHealth = 'ok' | 'degraded';

/** A projection's row in `<schema>.projection_checkpoints`. */
export interface Checkpoint {
  version: number;
  cursor: LogCursor;
  status: ProjectionHealth;
  error: string | null;
}

interface CheckpointRow {
  version: number;
  transaction_id: string;
  position: string | number;
  status: string;
  error: string | null;
}

function toCheckpoint(row: CheckpointRow): Checkpoint {
  return {
    version: Number(row.version),
    // pg returns bigint as a string, PGlite as a number: normalise here.
    cursor: { transactionId: String(row.transaction_id), position: Number(row.position) },
    status: row.status === 'degraded' ? 'degraded' : 'ok',
    error: row.error,
  };
}

const COLUMNS = 'version, transaction_id::text AS transaction_id, position, status, error';

/** Creates the checkpoint at the log start with the projection's version when it has none. */
export async function ensureCheckpoint(sql: Sql, p: Projection<unknown>): Promise<void> {
  await sql.query(
    `INSERT INTO ${tablesOf(p).checkpoints} (name, version, transaction_id, position) ` +
      `VALUES ($1, $2, $3::xid8, $4) ON CONFLICT (name) DO NOTHING`,
    [p.name, p.version, LOG_START.transactionId, LOG_START.position],
  );
}

/**
 * Reads the checkpoint; with `forUpdate`, row-locks it so that another runner
 * or a rebuild's swap waits for this transaction (they serialise on this row).
 */
export async function readCheckpoint(sql: Sql, p: Projection<unknown>, forUpdate = false): Promise<Checkpoint | null> {
  const rows = await sql.query<CheckpointRow>(
    `SELECT ${COLUMNS} FROM ${tablesOf(p).checkpoints} WHERE name = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [p.name],
  );
  return rows.length === 0 ? null : toCheckpoint(rows[0]);
}

/** Moves the cursor; `degradedBy` marks the projection unhealthy (a later batch never clears it). */
export async function advanceCheckpoint(
  sql: Sql,
  p: Projection<unknown>,
  cursor: LogCursor,
  degradedBy?: string,
): Promise<void> {
  await sql.query(
    `UPDATE ${tablesOf(p).checkpoints} SET transaction_id = $2::xid8, position = $3, updated_at = now(), ` +
      `status = CASE WHEN $4::text IS NULL THEN status ELSE 'degraded' END, error = COALESCE($4::text, error) ` +
      `WHERE name = $1`,
    [p.name, cursor.transactionId, cursor.position, degradedBy ?? null],
  );
}

/** Sets the checkpoint after a rebuild's swap: new cursor and version, health from the replay. */
export async function resetCheckpoint(
  sql: Sql,
  p: Projection<unknown>,
  cursor: LogCursor,
  degradedBy: string | null,
): Promise<void> {
  await sql.query(
    `UPDATE ${tablesOf(p).checkpoints} SET transaction_id = $2::xid8, position = $3, version = $4, ` +
      `status = $5, error = $6, updated_at = now() WHERE name = $1`,
    [p.name, cursor.transactionId, cursor.position, p.version, degradedBy ? 'degraded' : 'ok', degradedBy],
  );
}
