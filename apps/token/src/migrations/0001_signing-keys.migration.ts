import type { Migration } from '@tessera/event-store';

/**
 * The token service's private key table (DESIGN §5): private JWKs encrypted
 * with TESSERA_KEK (AES-256-GCM); never in an event. Public facts (kid, alg,
 * public JWK, lifecycle) are in the log; this row only holds what must stay secret.
 */
export const signingKeys0001: Migration = {
  id: 'token/0001_signing_keys',
  up: `
    CREATE SCHEMA IF NOT EXISTS token;
    CREATE TABLE token.signing_keys (
      kid text PRIMARY KEY,
      alg text NOT NULL,
      kek_version text NOT NULL,
      iv bytea NOT NULL,
      ciphertext bytea NOT NULL,
      auth_tag bytea NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );`,
};
