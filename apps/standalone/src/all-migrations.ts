import type { Migration } from '@tessera/event-store';
import { auditMigrations } from '../../audit/src/migrations';
import { authenticationMigrations } from '../../authentication/src/migrations';
import { introspectionMigrations } from '../../introspection/src/migrations';
import { tokenMigrations } from '../../token/src/migrations';

/** Every service's private-schema migrations: what standalone applies at start and `tessera migrate` applies. */
export const allMigrations: readonly Migration[] = [
  ...tokenMigrations,
  ...introspectionMigrations,
  ...authenticationMigrations,
  ...auditMigrations,
];
