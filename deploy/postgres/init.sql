-- Creates the Tessera database and the per-service roles when missing (idempotent).
-- Run by scripts/infra-up.sh (`psql -v ON_ERROR_STOP=1 -v dbname=<name> -f init.sql`, connected
-- to the `postgres` database) and by the postgres image from /docker-entrypoint-initdb.d.
-- Grants on eventlog.events (INSERT + SELECT only) and on each service's schema belong to the
-- migrations (DESIGN §2), which own those objects; here only cluster-wide objects are created.

\if :{?dbname}
\else
  \set dbname tessera
\endif

SELECT format('CREATE DATABASE %I', :'dbname')
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'dbname')
\gexec

-- One LOGIN role per service, never superuser (DESIGN §2: service roles may append, never rewrite).
DO $$
DECLARE
  role_name text;
BEGIN
  FOREACH role_name IN ARRAY ARRAY[
    'tessera_authentication',
    'tessera_token',
    'tessera_introspection',
    'tessera_consent',
    'tessera_audit'
  ] LOOP
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = role_name) THEN
      EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE', role_name);
    END IF;
  END LOOP;
END
$$;
