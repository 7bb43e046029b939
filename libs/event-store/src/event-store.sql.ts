import { EVENT_COLUMNS } from './event-row.mapper';

/** Namespace (first key) of every advisory lock the event store takes. */
export const EVENT_STORE_LOCK_NAMESPACE = 0x7e55;
/** Second key of the migration lock (stream locks use `hashtext(stream_id)`). */
export const MIGRATION_LOCK_KEY = 0;

/** Names of the unique constraints whose violations mean something to the store. */
export const STREAM_VERSION_CONSTRAINT = 'events_stream_version_uq';
/** The unique constraint on event ids (DESIGN §2: appends are idempotent on them). */
export const EVENT_ID_CONSTRAINT = 'events_event_id_uq';

/**
 * The whole append of one chunk in one round trip: see migration
 * 0002_append_events. $1 = requests JSON, $2 = events JSON (text, so that no
 * adapter serialises them twice).
 */
export const APPEND_SQL = `SELECT * FROM eventlog.append_events($1::text::jsonb, $2::text::jsonb)`;

/** Reads one stream from a version on. */
export const READ_STREAM_SQL = `
SELECT ${EVENT_COLUMNS} FROM eventlog.events e
WHERE e.stream_id = $1 AND e.stream_version >= $2
ORDER BY e.stream_version`;

// The read horizon: see migration 0003_read_horizon. Evaluated once per statement.
const HORIZON_SQL = `SELECT eventlog.read_horizon() AS h`;

/**
 * readAll: (transaction id, position) order, only below the horizon, so a
 * transaction that commits late is never skipped. ORDER BY names the table's
 * columns (`e.`): a bare `transaction_id` would be the text output column, and
 * '100000' sorts before '99999'.
 */
export const READ_ALL_SQL = `
WITH horizon AS (${HORIZON_SQL})
SELECT ${EVENT_COLUMNS} FROM eventlog.events e, horizon
WHERE (e.transaction_id, e.position) > ($1::text::xid8, $2::bigint)
  AND e.transaction_id < horizon.h
ORDER BY e.transaction_id, e.position
LIMIT $3`;

/** The newest cursor readAll could return now. */
export const HEAD_SQL = `
WITH horizon AS (${HORIZON_SQL})
SELECT e.transaction_id::text AS transaction_id, e.position FROM eventlog.events e, horizon
WHERE e.transaction_id < horizon.h
ORDER BY e.transaction_id DESC, e.position DESC
LIMIT 1`;

/** How many events readAll would still return after a cursor. */
export const COUNT_AFTER_SQL = `
WITH horizon AS (${HORIZON_SQL})
SELECT count(*) AS n FROM eventlog.events e, horizon
WHERE (e.transaction_id, e.position) > ($1::text::xid8, $2::bigint)
  AND e.transaction_id < horizon.h`;
