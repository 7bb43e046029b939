import type { Migration } from '@tessera/event-store';
import { signingKeysTableSql } from '@tessera/keys';

/**
 * The introspection service's private key table (DESIGN §5: each signing
 * service holds its own keys): private JWKs encrypted with TESSERA_KEK
 * (AES-256-GCM); never in an event. `tessera_introspection` gets its grants
 * from the service grants run after every migration run (libs/event-store).
 * IF NOT EXISTS: a database that applied it under its former id
 * `introspection/0001_signing-keys` applies it again without error.
 */
export const signingKeys0001: Migration = {
  id: 'introspection/0001_signing_keys',
  up: `
    CREATE SCHEMA IF NOT EXISTS introspection;${signingKeysTableSql('introspection', { ifNotExists: true })}`,
};
