/**
 * Per-service roles and grants (DESIGN §2, brief "Shared decisions"): each
 * `tessera_<service>` may read and append the log (never UPDATE, DELETE or
 * TRUNCATE), advance the relay checkpoint, and do anything in its own schema.
 * Roles are created when the migrating user may (infra-up creates them
 * otherwise); grants go only to roles that exist. Idempotent: run after every
 * migration run, so roles created later get their grants on the next migrate.
 * The service list mirrors SERVICE_NAMES in libs/platform (which depends on this lib).
 * One cross-schema grant: EXECUTE on `token.client_secret_matches` to
 * `tessera_introspection`, once the function exists.
 */
export const SERVICE_GRANTS_SQL = `
DO $$
DECLARE
  svc text;
  role_name text;
BEGIN
  FOREACH svc IN ARRAY ARRAY['authentication', 'token', 'introspection', 'consent', 'audit'] LOOP
    role_name := 'tessera_' || svc;
    EXECUTE format('CREATE SCHEMA IF NOT EXISTS %I', svc);
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role_name) THEN
      BEGIN
        EXECUTE format('CREATE ROLE %I LOGIN', role_name);
      EXCEPTION WHEN insufficient_privilege OR duplicate_object OR unique_violation THEN
        NULL; -- not allowed to, or another database's migration created it meanwhile
      END;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role_name) THEN
      EXECUTE format('GRANT USAGE ON SCHEMA eventlog TO %I', role_name);
      EXECUTE format('GRANT SELECT, INSERT ON eventlog.events TO %I', role_name);
      EXECUTE format('GRANT USAGE ON SEQUENCE %s TO %I',
        pg_get_serial_sequence('eventlog.events', 'position'), role_name);
      EXECUTE format('GRANT SELECT ON eventlog.schema_migrations TO %I', role_name);
      IF to_regclass('eventlog.relay_checkpoints') IS NOT NULL THEN
        EXECUTE format('GRANT SELECT, INSERT, UPDATE ON eventlog.relay_checkpoints TO %I', role_name);
      END IF;
      EXECUTE format('GRANT ALL ON SCHEMA %I TO %I', svc, role_name);
      EXECUTE format('GRANT ALL ON ALL TABLES IN SCHEMA %I TO %I', svc, role_name);
      EXECUTE format('GRANT ALL ON ALL SEQUENCES IN SCHEMA %I TO %I', svc, role_name);
      EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT ALL ON TABLES TO %I', svc, role_name);
      EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT ALL ON SEQUENCES TO %I', svc, role_name);
    END IF;
  END LOOP;
  -- The introspection service authenticates its callers through the token service's
  -- token.client_secret_matches (migration token/0003_client_secret_check) and reads
  -- nothing else of schema token. Granted here too, so that a role created after that
  -- migration still gets it.
  IF to_regprocedure('token.client_secret_matches(text, bytea)') IS NOT NULL
     AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tessera_introspection') THEN
    GRANT USAGE ON SCHEMA token TO tessera_introspection;
    GRANT EXECUTE ON FUNCTION token.client_secret_matches(text, bytea) TO tessera_introspection;
  END IF;
END
$$;
`;
