import type { Migration } from '@tessera/event-store';

/**
 * Client secrets and registration access tokens (RFC 7591/7592), only as
 * SHA-256 hashes (issue 3 §1); never in an event (DESIGN §2). The row is
 * written in the same transaction as the client's event.
 */
export const clientSecrets0002: Migration = {
  id: 'token/0002_client_secrets',
  up: `
    CREATE SCHEMA IF NOT EXISTS token;
    CREATE TABLE token.client_secrets (
      client_id text PRIMARY KEY,
      secret_hash bytea,
      registration_token_hash bytea NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    );`,
};
