import type { Migration } from '@tessera/event-store';
import { signingKeysTableSql } from '@tessera/keys';

/**
 * The audit service's schema (issue 7 §1): the hash-chained records, the
 * chain head with the consumer's log cursor (written in the records' own
 * transaction), the signed checkpoints, the scope catalogue the consumer
 * needs for claim names, the publisher's cursor, and the private signing keys
 * (DESIGN §5: sealed with TESSERA_KEK, never in an event).
 * Records and checkpoints are append-only by trigger; only pruning (a
 * transaction that sets `audit.pruning`) may delete, and only below a signed checkpoint.
 * `tessera_audit` gets its grants from the service grants run after every migration run.
 */
export const auditTrail0001: Migration = {
  id: 'audit/0001_audit_trail',
  up: `
    CREATE SCHEMA IF NOT EXISTS audit;
    CREATE TABLE audit.records (
      seq bigint PRIMARY KEY,
      record jsonb NOT NULL,
      prev_hash text NOT NULL,
      hash text NOT NULL
    );
    CREATE UNIQUE INDEX records_event_id ON audit.records ((record->>'eventId'));
    CREATE INDEX records_subject ON audit.records ((record->>'subject'), seq);
    CREATE INDEX records_client ON audit.records ((record->>'clientId'), seq);
    CREATE INDEX records_action ON audit.records ((record->>'action'), seq);
    CREATE INDEX records_time ON audit.records ((record->>'time'));

    CREATE FUNCTION audit.records_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' AND current_setting('audit.pruning', true) = 'on' THEN
        RETURN OLD;
      END IF;
      RAISE EXCEPTION '%.% is append-only: % refused', TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
    END
    $$;
    CREATE TRIGGER records_append_only BEFORE UPDATE OR DELETE ON audit.records
      FOR EACH ROW EXECUTE FUNCTION audit.records_append_only();
    CREATE TRIGGER records_no_truncate BEFORE TRUNCATE ON audit.records
      FOR EACH STATEMENT EXECUTE FUNCTION audit.records_append_only();

    CREATE TABLE audit.chain (
      id int PRIMARY KEY CHECK (id = 1),
      seq bigint NOT NULL,
      hash text NOT NULL,
      transaction_id xid8 NOT NULL,
      position bigint NOT NULL,
      pruned_before bigint NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    INSERT INTO audit.chain (id, seq, hash, transaction_id, position, pruned_before)
      VALUES (1, 0, '${'0'.repeat(64)}', '0'::xid8, 0, 1);

    CREATE TABLE audit.checkpoints (
      seq bigint PRIMARY KEY,
      hash text NOT NULL,
      kid text NOT NULL,
      jws text NOT NULL,
      signed_at timestamptz NOT NULL
    );
    CREATE TRIGGER checkpoints_append_only BEFORE UPDATE OR DELETE ON audit.checkpoints
      FOR EACH ROW EXECUTE FUNCTION audit.records_append_only();
    CREATE TRIGGER checkpoints_no_truncate BEFORE TRUNCATE ON audit.checkpoints
      FOR EACH STATEMENT EXECUTE FUNCTION audit.records_append_only();

    CREATE TABLE audit.scope_claims (
      name text PRIMARY KEY,
      claims jsonb NOT NULL
    );

    CREATE TABLE audit.publisher (
      id int PRIMARY KEY CHECK (id = 1),
      seq bigint NOT NULL
    );
    INSERT INTO audit.publisher (id, seq) VALUES (1, 0);
${signingKeysTableSql('audit')}`,
};
