import type { Migration } from './migration';

/**
 * The read horizon of readAll (DESIGN §2): transaction ids below it are
 * finished in the calling statement's snapshot (a STABLE function sees the
 * caller's snapshot), so rows below it that are not visible now never will be.
 *
 * It is `pg_snapshot_xmin(pg_current_snapshot())`, except that running
 * transactions seen working in ANOTHER database are ignored: xids are
 * cluster-wide, but such a transaction can never write this database's log,
 * and a long one (another database on the server, another test file) would
 * otherwise stall every reader here. A running xid that cannot be placed
 * (finished meanwhile, hidden by privileges, prepared for 2PC) still holds
 * the horizon. plpgsql so that its plan is cached per connection.
 */
export const readHorizon0003: Migration = {
  id: '0003_read_horizon',
  up: `
CREATE FUNCTION eventlog.read_horizon() RETURNS xid8
LANGUAGE plpgsql STABLE AS $fn$
DECLARE
  snap pg_snapshot := pg_current_snapshot();
  oldest xid8;
BEGIN
  SELECT min(x) INTO oldest
  FROM pg_snapshot_xip(snap) AS x
  WHERE NOT EXISTS (
    SELECT 1 FROM pg_stat_activity a
    WHERE a.backend_xid = xid(x) AND a.datid IS NOT NULL AND a.datname <> current_database());
  RETURN least(pg_snapshot_xmax(snap), oldest);
END
$fn$;
`,
};
