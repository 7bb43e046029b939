import type { Migration } from '@tessera/event-store';
import { tokenMigrations } from '../../token/src/migrations';

/** Every service's private-schema migrations: what standalone applies at start and `tessera migrate` applies. */
export const allMigrations: readonly Migration[] = [...tokenMigrations];
