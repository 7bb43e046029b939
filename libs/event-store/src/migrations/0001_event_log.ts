import type { Migration } from './migration';

/**
 * The identity event log (DESIGN §2): one append-only table, read in
 * (transaction id, position) order. Constraint names are used by the store.
 */
export const eventLog0001: Migration = {
  id: '0001_event_log',
  up: `
CREATE TABLE eventlog.events (
  position        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  transaction_id  xid8 NOT NULL DEFAULT pg_current_xact_id(),
  stream_id       text NOT NULL,
  stream_version  int NOT NULL CHECK (stream_version > 0),
  event_id        uuid NOT NULL,
  type            text NOT NULL,
  schema_version  int NOT NULL DEFAULT 1,
  data            jsonb NOT NULL,
  metadata        jsonb NOT NULL DEFAULT '{}'::jsonb,
  recorded_at     timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT events_stream_version_uq UNIQUE (stream_id, stream_version),
  CONSTRAINT events_event_id_uq UNIQUE (event_id)
);

CREATE INDEX events_transaction_position_idx ON eventlog.events (transaction_id, position);

-- Append-only, enforced by the database (DESIGN §2). Statement-level, so even an
-- UPDATE or DELETE that matches no row fails, and TRUNCATE (which has no rows) too.
CREATE FUNCTION eventlog.reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'eventlog.events is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER events_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON eventlog.events
  FOR EACH STATEMENT EXECUTE FUNCTION eventlog.reject_change();

-- Wakes the relay and the projections without polling delay (DESIGN §3, §4);
-- delivered at commit, once per transaction (identical payloads are folded).
CREATE FUNCTION eventlog.notify_appended() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('eventlog_appended', '');
  RETURN NULL;
END
$$;

CREATE TRIGGER events_notify_appended
  AFTER INSERT ON eventlog.events
  FOR EACH STATEMENT EXECUTE FUNCTION eventlog.notify_appended();

REVOKE UPDATE, DELETE, TRUNCATE ON eventlog.events FROM PUBLIC;

CREATE SCHEMA IF NOT EXISTS authentication;
CREATE SCHEMA IF NOT EXISTS token;
CREATE SCHEMA IF NOT EXISTS introspection;
CREATE SCHEMA IF NOT EXISTS consent;
CREATE SCHEMA IF NOT EXISTS audit;
`,
};
