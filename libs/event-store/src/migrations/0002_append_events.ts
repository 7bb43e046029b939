import { EVENT_STORE_LOCK_NAMESPACE } from '../event-store.sql';
import type { Migration } from './migration';

/**
 * The whole append of one batch as one function call, one round trip
 * (DESIGN §2). A function rather than a statement sent each time because its
 * plan is cached per connection: planning this statement costs more than
 * running it, on PGlite especially. SECURITY INVOKER (the default): a caller
 * still needs INSERT on eventlog.events.
 *
 * p_requests = `[{r, s, x}]` (request number, stream id, expected version or
 * null for 'any'); p_events = `[{r, k, id, t, v, d, m}]` (request number,
 * 1-based index in the request, event id, type, schema version, data, metadata).
 * jsonb, not json: jsonb_to_recordset hands nested values to jsonb columns
 * without parsing them again (2.4x faster on a 1000-event batch).
 *
 * It inserts only when every request is at its expected version and no event
 * id is stored yet; otherwise it inserts nothing and returns what the caller
 * needs to raise ConcurrencyError or answer an idempotent re-append.
 * Rows: kind 'q' = a request's stream head (flag = stale), 'd' = an already
 * stored event id (flag = same content), 'i' = an inserted event.
 *
 * `'any'` requests first lock their streams (in sorted order, so batches do
 * not deadlock); the query after the lock reads with a fresh snapshot, as
 * every statement of a VOLATILE function does in READ COMMITTED.
 *
 * `stale` (the head was written by a transaction younger than this one) keeps
 * every stream's versions in transaction-id order, the order readAll returns:
 * a long transaction that took its xid before another appended to the stream
 * must not append after it, or readers would see the later version first.
 */
export const appendEvents0002: Migration = {
  id: '0002_append_events',
  up: `
CREATE FUNCTION eventlog.append_events(p_requests jsonb, p_events jsonb)
RETURNS TABLE (kind text, r int, k int, "position" bigint, stream_id text, stream_version int, flag boolean)
LANGUAGE plpgsql VOLATILE AS $fn$
BEGIN
  PERFORM pg_advisory_xact_lock(${EVENT_STORE_LOCK_NAMESPACE}, hashtext(a.s))
  FROM (SELECT DISTINCT q.s FROM jsonb_to_recordset(p_requests) AS q(r int, s text, x int)
        WHERE q.x IS NULL ORDER BY q.s) AS a;
  RETURN QUERY
  WITH req AS (
    SELECT q.r, q.s AS stream_id, q.x AS expected, coalesce(h.version, 0) AS current,
           coalesce(h.transaction_id > pg_current_xact_id(), false) AS stale
    FROM jsonb_to_recordset(p_requests) AS q(r int, s text, x int)
    LEFT JOIN LATERAL (
      SELECT e.stream_version AS version, e.transaction_id
      FROM eventlog.events e WHERE e.stream_id = q.s
      ORDER BY e.stream_version DESC LIMIT 1
    ) AS h ON true
  ),
  input AS (
    SELECT * FROM jsonb_to_recordset(p_events) AS i(r int, k int, id uuid, t text, v int, d jsonb, m jsonb)
  ),
  dup AS (
    -- One index probe per event id (LIMIT keeps the planner from turning it into a scan of the log).
    SELECT i.r, i.k, e.position, e.stream_id, e.stream_version,
           (e.stream_id = q.stream_id AND e.type = i.t AND e.schema_version = i.v AND e.data = i.d) AS same
    FROM input i
    JOIN req q ON q.r = i.r
    CROSS JOIN LATERAL (
      SELECT x.position, x.stream_id, x.stream_version, x.type, x.schema_version, x.data
      FROM eventlog.events x WHERE x.event_id = i.id LIMIT 1
    ) AS e
  ),
  verdict AS (
    SELECT NOT EXISTS (SELECT 1 FROM dup)
       AND NOT EXISTS (SELECT 1 FROM req WHERE req.stale OR (req.expected IS NOT NULL AND req.expected <> req.current)) AS ok
  ),
  ins AS (
    INSERT INTO eventlog.events AS ev (stream_id, stream_version, event_id, type, schema_version, data, metadata)
    SELECT q.stream_id, q.current + i.k, i.id, i.t, i.v, i.d, coalesce(i.m, '{}'::jsonb)
    FROM input i JOIN req q ON q.r = i.r
    WHERE (SELECT verdict.ok FROM verdict)
    ORDER BY i.r, i.k
    RETURNING ev.position, ev.stream_id, ev.stream_version
  )
  SELECT 'q'::text, req.r, NULL::int, NULL::bigint, req.stream_id, req.current, req.stale FROM req
  UNION ALL
  SELECT 'd'::text, dup.r, dup.k, dup.position, dup.stream_id, dup.stream_version, dup.same FROM dup
  UNION ALL
  SELECT 'i'::text, NULL::int, NULL::int, ins.position, ins.stream_id, ins.stream_version, NULL::boolean FROM ins;
END
$fn$;
`,
};
