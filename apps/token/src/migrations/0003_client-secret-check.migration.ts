import type { Migration } from '@tessera/event-store';

/**
 * `token.client_secret_matches(client_id, secret_hash)`: lets the
 * introspection service authenticate its callers (issue 4 §1) without reading
 * `token.client_secrets` and without any secret or hash entering the log
 * (DESIGN §2). The caller sends SHA-256 of the presented secret; the function
 * answers only true or false (false for an unknown or public client).
 * SECURITY DEFINER with a fixed search_path, so it runs with the owner's
 * rights and no caller-created object can shadow what it reads; EXECUTE goes
 * to `tessera_introspection` only (PUBLIC's default EXECUTE is revoked),
 * here when the role exists already and otherwise from the service grants
 * run after every migration run (libs/event-store). PGlite runs as the owner.
 * OR REPLACE: a database that applied it under its former id
 * `token/0003_client-secret-check` applies it again without error.
 */
export const clientSecretCheck0003: Migration = {
  id: 'token/0003_client_secret_check',
  up: `
    CREATE OR REPLACE FUNCTION token.client_secret_matches(client_id text, secret_hash bytea)
    RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $fn$
      SELECT coalesce(
        (SELECT s.secret_hash = client_secret_matches.secret_hash
           FROM token.client_secrets s
          WHERE s.client_id = client_secret_matches.client_id),
        false)
    $fn$;
    REVOKE ALL ON FUNCTION token.client_secret_matches(text, bytea) FROM PUBLIC;
    DO $do$
    BEGIN
      IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tessera_introspection') THEN
        GRANT USAGE ON SCHEMA token TO tessera_introspection;
        GRANT EXECUTE ON FUNCTION token.client_secret_matches(text, bytea) TO tessera_introspection;
      END IF;
    END
    $do$;`,
};
