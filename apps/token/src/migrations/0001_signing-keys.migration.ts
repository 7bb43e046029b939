import type { Migration } from '@tessera/event-store';
import { signingKeysTableSql } from '@tessera/keys';

/**
 * The token service's private key table (DESIGN §5): private JWKs encrypted
 * with TESSERA_KEK (AES-256-GCM); never in an event. Public facts (kid, alg,
 * public JWK, lifecycle) are in the log; this row only holds what must stay secret.
 */
export const signingKeys0001: Migration = {
  id: 'token/0001_signing_keys',
  up: `
    CREATE SCHEMA IF NOT EXISTS token;${signingKeysTableSql('token')}`,
};
